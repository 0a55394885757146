package org.rootmirror.resolver.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.resolver.testing.MutableTime;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** RFC 8198: negative answers synthesised from validated NSEC records of any zone. */
class AggressiveNsecTest {
  private static final Name ZONE = Name.fromConstantString("example.");

  private final MutableTime time = new MutableTime();
  private final AggressiveNsec aggressive = new AggressiveNsec(time);

  private static Name name(String s) {
    return Name.fromConstantString(s);
  }

  private static RRset signed(String owner, long ttl, int type, String rdata, Name signer) {
    try {
      Name o = name(owner);
      RRset set = new RRset(Record.fromString(o, type, DClass.IN, ttl, rdata, Name.root));
      int labels = o.labels() - 1 - (o.isWild() ? 1 : 0);
      set.addRR(Record.fromString(o, Type.RRSIG, DClass.IN, ttl,
          Type.string(type) + " 8 " + labels + " " + ttl + " 20300101000000 20200101000000 4711 " + signer + " AQID", Name.root));
      return set;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static RRset soa(long ttl, long minimum) {
    return signed("example.", ttl, Type.SOA, "ns.example. admin.example. 1 1800 900 604800 " + minimum, ZONE);
  }

  private static RRset nsec(String owner, String next, String types) {
    return signed(owner, 3600, Type.NSEC, next + " " + types, ZONE);
  }

  /** example. has a, c (a delegation), d, *.w in canonical order; the apex NSEC covers *.example. */
  private void learnZone() {
    aggressive.learn(List.of(soa(3600, 300),
        nsec("example.", "a.example.", "NS SOA RRSIG NSEC DNSKEY"),
        nsec("a.example.", "c.example.", "A RRSIG NSEC"),
        nsec("c.example.", "d.example.", "NS RRSIG NSEC"),
        nsec("d.example.", "*.w.example.", "A RRSIG NSEC"),
        nsec("*.w.example.", "example.", "TXT RRSIG NSEC")), ZONE);
  }

  @Test
  void aNameInAnEmptyGapOfAnyZoneIsNxdomainWithBothProofs() {
    learnZone();
    var nx = assertInstanceOf(CachedAnswer.NameError.class, aggressive.synthesise(name("b.example."), Type.A));
    assertEquals(List.of(name("a.example."), name("example.")), nx.proof().stream().map(RRset::getName).toList());
    assertEquals(300, nx.soa().getTTL(), "the SOA minimum bounds the TTL (RFC 8198 section 5.4)");
  }

  @Test
  void aTypeMissingFromTheOwnersBitmapIsNodata() {
    learnZone();
    var nd = assertInstanceOf(CachedAnswer.NoData.class, aggressive.synthesise(name("a.example."), Type.AAAA));
    assertEquals(name("a.example."), nd.proof().get(0).getName());
    assertNull(aggressive.synthesise(name("a.example."), Type.A), "the type exists");
  }

  @Test
  void aDsQuestionAtAnInsecureDelegationIsNodataFromTheParentsNsec() {
    learnZone();
    assertInstanceOf(CachedAnswer.NoData.class, aggressive.synthesise(name("c.example."), Type.DS));
    assertNull(aggressive.synthesise(name("c.example."), Type.SOA), "the parent's NSEC says nothing of the child's data");
    assertNull(aggressive.synthesise(name("x.c.example."), Type.A), "nor of names below the delegation");
  }

  @Test
  void aNameUnderAnExistingWildcardIsNotDenied() {
    learnZone();
    assertNull(aggressive.synthesise(name("q.w.example."), Type.TXT), "the wildcard answers it");
    assertInstanceOf(CachedAnswer.NoData.class, aggressive.synthesise(name("q.w.example."), Type.A));
  }

  @Test
  void nothingIsSynthesisedOnceTheNsecOrSoaExpires() {
    learnZone();
    time.advanceSeconds(301);
    assertNull(aggressive.synthesise(name("b.example."), Type.A));
  }

  @Test
  void nsecRecordsSignedByAnotherZoneAreNotLearnt() {
    aggressive.learn(List.of(soa(3600, 300), signed("a.example.", 3600, Type.NSEC, "z.example. A RRSIG NSEC", name("other."))), ZONE);
    assertEquals(0, aggressive.size());
  }

  @Test
  void theHeldRecordsAreBounded() {
    AggressiveNsec small = new AggressiveNsec(time, 3, Long.MAX_VALUE);
    small.learn(List.of(soa(3600, 300), nsec("a.example.", "b.example.", "A RRSIG NSEC"),
        nsec("b.example.", "c.example.", "A RRSIG NSEC"), nsec("c.example.", "d.example.", "A RRSIG NSEC"),
        nsec("d.example.", "e.example.", "A RRSIG NSEC")), ZONE);
    assertEquals(true, small.size() <= 3);
  }
}
