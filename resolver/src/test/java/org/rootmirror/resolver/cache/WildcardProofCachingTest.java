package org.rootmirror.resolver.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.resolver.Wildcards;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.testing.FakeResolver;
import org.rootmirror.resolver.testing.MutableTime;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** A wildcard expansion keeps its NSEC proof (RFC 4035 section 3.1.3.3) in the cache. */
class WildcardProofCachingTest {
  private static final Name ZONE = Name.fromConstantString("example.");
  private static final Name HOST = Name.fromConstantString("a.local.example.");
  private static final Question HOST_A = Question.of(HOST, Type.A);

  private final MutableTime time = new MutableTime();
  private final DnsCache cache = new DnsCache(CacheConfig.defaults(), time);
  private final FakeResolver inner = new FakeResolver();
  private final CachingResolver resolver = new CachingResolver(inner, cache, new AggressiveNsec(time), Runnable::run, 12);

  /** A signature in form only (nothing here checks it) with {@code labels} in its labels field. */
  private static RRSIGRecord sig(Name owner, int covered, int labels, long ttl) {
    try {
      return (RRSIGRecord) Record.fromString(owner, Type.RRSIG, DClass.IN, ttl,
          Type.string(covered) + " 8 " + labels + " " + ttl + " 20300101000000 20200101000000 4711 example. AQID", Name.root);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  /** An A RRset at {@code owner} signed with {@code labels} in its RRSIG. */
  private static RRset signedA(Name owner, int labels) throws Exception {
    RRset set = new RRset(new ARecord(owner, DClass.IN, 3600, InetAddress.getByName("192.0.2.6")));
    set.addRR(sig(owner, Type.A, labels, 3600));
    return set;
  }

  private static RRset proof(long ttl) {
    Name owner = Name.fromConstantString("b.example.");
    RRset set = new RRset(new NSECRecord(owner, DClass.IN, ttl, Name.fromConstantString("z.example."),
        new int[] {Type.A, Type.RRSIG, Type.NSEC}));
    set.addRR(sig(owner, Type.NSEC, 2, ttl));
    return set;
  }

  private static Resolution positive(RRset answer, RRset... authority) {
    return new Resolution(Rcode.NOERROR, List.of(answer), List.of(authority), SecurityStatus.SECURE, null);
  }

  @Test
  void aWildcardExpansionIsServedFromTheCacheWithItsNsecProof() throws Exception {
    inner.resolves(HOST_A, positive(signedA(HOST, 1), proof(600)));
    resolver.resolve(HOST_A, false);
    time.advanceSeconds(100);
    Resolution hit = resolver.cached(HOST_A, false);
    assertNotNull(hit);
    assertEquals(List.of(Type.NSEC), hit.authority().stream().map(RRset::getType).toList());
    assertEquals(500, hit.authority().get(0).getTTL());
    assertEquals(500, hit.answer().get(0).getTTL(), "the answer lives as long as its proof");
  }

  @Test
  void anAnswerThatIsNotAWildcardExpansionCarriesNoProof() throws Exception {
    inner.resolves(HOST_A, positive(signedA(HOST, 3), proof(600)));
    resolver.resolve(HOST_A, false);
    Resolution hit = resolver.cached(HOST_A, false);
    assertNotNull(hit);
    assertTrue(hit.authority().isEmpty());
    assertEquals(3600, hit.answer().get(0).getTTL());
  }

  @Test
  void aWildcardExpansionWhoseProofExpiresAtOnceIsNotCached() throws Exception {
    inner.resolves(HOST_A, positive(signedA(HOST, 1), proof(0)));
    Resolution first = resolver.resolve(HOST_A, false);
    assertEquals(1, first.authority().size(), "the first answer has its proof");
    assertNull(resolver.cached(HOST_A, false), "without its proof the answer is resolved again");
  }

  @Test
  void anotherNameUnderAKnownWildcardIsExpandedFromTheCache() throws Exception {
    // the zone's SOA, learnt from a secure NODATA
    Name apex = ZONE;
    RRset soa = new RRset(Record.fromString(apex, Type.SOA, DClass.IN, 3600, "ns.example. admin.example. 1 1800 900 604800 600", Name.root));
    RRset apexNsec = new RRset(new NSECRecord(apex, DClass.IN, 600, Name.fromConstantString("*.w.example."),
        new int[] {Type.NS, Type.SOA, Type.RRSIG, Type.NSEC}));
    apexNsec.addRR(sig(apex, Type.NSEC, 1, 600));
    Question apexTxt = Question.of(apex, Type.TXT);
    inner.resolves(apexTxt, new Resolution(Rcode.NOERROR, List.of(), List.of(soa, apexNsec), SecurityStatus.SECURE, null));
    resolver.resolve(apexTxt, false);
    // a.w.example. A, expanded from *.w.example., whose own NSEC proves a.w.example. absent
    Name wildOwner = Name.fromConstantString("*.w.example.");
    RRset wildNsec = new RRset(new NSECRecord(wildOwner, DClass.IN, 600, Name.fromConstantString("z.example."),
        new int[] {Type.A, Type.RRSIG, Type.NSEC}));
    wildNsec.addRR(sig(wildOwner, Type.NSEC, 2, 600));
    Question first = Question.of(Name.fromConstantString("a.w.example."), Type.A);
    inner.resolves(first, positive(signedA(first.name(), 2), wildNsec));
    resolver.resolve(first, false);

    Resolution other = resolver.cached(Question.of(Name.fromConstantString("b.w.example."), Type.A), false);
    assertNotNull(other, "RFC 8198 section 5.3: synthesised from the wildcard");
    assertEquals(Name.fromConstantString("b.w.example."), other.answer().get(0).getName());
    assertEquals(2, other.answer().get(0).sigs().get(0).getLabels());
    assertEquals(List.of(wildOwner), other.authority().stream().map(RRset::getName).toList());
    assertEquals(SecurityStatus.SECURE, other.status());
    assertEquals(2, inner.resolutions());
    Resolution noAaaa = resolver.cached(Question.of(Name.fromConstantString("b.w.example."), Type.AAAA), false);
    assertEquals(List.of(), noAaaa.answer(), "NODATA: the wildcard's NSEC lacks AAAA (RFC 8198 section 5.2)");
    assertEquals(List.of(Type.SOA, Type.NSEC), noAaaa.authority().stream().map(RRset::getType).toList());
  }

  @Test
  void theLiteralWildcardOwnerIsNotAnExpansion() throws Exception {
    assertFalse(Wildcards.expanded(signedA(Name.fromConstantString("*.example."), 1)));
    assertTrue(Wildcards.expanded(signedA(Name.fromConstantString("x.y.example."), 1)));
    assertFalse(Wildcards.expanded(new RRset(new ARecord(HOST, DClass.IN, 60, InetAddress.getByName("192.0.2.1")))));
  }

  @Test
  void theCacheStoresTheProofWithTheLeastTtl() throws Exception {
    assertTrue(cache.storeRRset(signedA(HOST, 1), List.of(proof(300)), SecurityStatus.SECURE, Credibility.ANSWER));
    CacheHit hit = cache.lookup(HOST, Type.A, DClass.IN).orElseThrow();
    assertEquals(300, hit.ttl());
    assertEquals(2, hit.answer().rrsets().size());
    Record first = ((CachedAnswer.Positive) hit.answer()).proof().get(0).first();
    assertEquals(Type.NSEC, first.getType());
  }
}
