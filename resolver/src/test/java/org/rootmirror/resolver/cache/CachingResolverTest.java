package org.rootmirror.resolver.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.testing.FakeResolver;
import org.rootmirror.resolver.testing.MutableTime;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

class CachingResolverTest {
  private static final Name WWW = Name.fromConstantString("www.example.");
  private static final Name ALIAS = Name.fromConstantString("alias.example.");
  private static final Question WWW_A = Question.of(WWW, Type.A);

  private final MutableTime time = new MutableTime();
  private final DnsCache cache = new DnsCache(CacheConfig.defaults(), time);
  private final FakeResolver inner = new FakeResolver();
  private final List<Runnable> background = new ArrayList<>();
  private final CachingResolver resolver = new CachingResolver(inner, cache, new AggressiveNsec(time), background::add, 12);

  private static RRset a(Name name, long ttl, String address) {
    return new RRset(new ARecord(name, DClass.IN, ttl, address(address)));
  }

  private static java.net.InetAddress address(String literal) {
    try {
      return java.net.InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static Resolution answer(SecurityStatus status, RRset... sets) {
    return new Resolution(Rcode.NOERROR, List.of(sets), List.of(), status, null);
  }

  private static RRset soa(Name zone) {
    String suffix = zone.equals(Name.root) ? "." : "." + zone;
    return new RRset(new SOARecord(zone, DClass.IN, 3600, Name.fromConstantString("ns" + suffix),
        Name.fromConstantString("admin" + suffix), 1, 1800, 900, 604800, 300));
  }

  /** An NSEC RRset signed (in form only: nothing here checks the signature) by {@code signer}. */
  private static RRset nsec(String owner, String next, Name signer) {
    Name o = Name.fromConstantString(owner);
    // the apex's NSEC lists SOA; a delegation's does not, and covers nothing below it
    int[] types = o.equals(Name.root) ? new int[] {Type.NS, Type.SOA, Type.NSEC, Type.RRSIG} : new int[] {Type.NS, Type.NSEC, Type.RRSIG};
    RRset set = new RRset(new NSECRecord(o, DClass.IN, 86400, Name.fromConstantString(next), types));
    set.addRR(new RRSIGRecord(o, DClass.IN, 86400, Type.NSEC, DNSSEC.Algorithm.RSASHA256, 86400,
        Instant.parse("2030-01-01T00:00:00Z"), Instant.parse("2020-01-01T00:00:00Z"), 20326, signer, new byte[] {1, 2, 3}));
    return set;
  }

  @Test
  void aValidatedAnswerIsServedFromTheCacheWithoutResolvingAgain() {
    inner.resolves(WWW_A, answer(SecurityStatus.SECURE, a(WWW, 300, "192.0.2.1")));
    assertEquals(Rcode.NOERROR, resolver.resolve(WWW_A, false).rcode());
    Resolution hit = resolver.cached(WWW_A, false);
    assertNotNull(hit);
    assertEquals(SecurityStatus.SECURE, hit.status());
    assertEquals(1, inner.resolutions());
    time.advanceSeconds(100);
    assertEquals(200, resolver.cached(WWW_A, false).answer().get(0).getTTL(), "the TTL counts down");
  }

  @Test
  void theIteratorsUnvalidatedDataIsNeverServed() {
    cache.storeRRset(a(WWW, 300, "192.0.2.1"), SecurityStatus.INDETERMINATE, Credibility.ANSWER);
    cache.storeRRset(a(ALIAS, 300, "192.0.2.2"), SecurityStatus.SECURE, Credibility.ADDITIONAL);
    assertNull(resolver.cached(WWW_A, false));
    assertNull(resolver.cached(Question.of(ALIAS, Type.A), false), "glue is not an answer (RFC 2181 section 5.4.1)");
  }

  @Test
  void bogusDataIsNeverCached() {
    inner.resolves(WWW_A, answer(SecurityStatus.BOGUS, a(WWW, 300, "192.0.2.1")));
    resolver.resolve(WWW_A, true);
    assertNull(resolver.cached(WWW_A, true));
    resolver.resolve(WWW_A, true);
    assertEquals(2, inner.resolutions());
  }

  @Test
  void aCnameChainIsRebuiltLinkByLinkWithTheWeakestStatus() {
    RRset cname = new RRset(new CNAMERecord(ALIAS, DClass.IN, 300, WWW));
    Question aliasA = Question.of(ALIAS, Type.A);
    inner.resolves(aliasA, answer(SecurityStatus.INSECURE, cname, a(WWW, 300, "192.0.2.1")));
    resolver.resolve(aliasA, false);
    Resolution hit = resolver.cached(aliasA, false);
    assertNotNull(hit);
    assertEquals(List.of(Type.CNAME, Type.A), hit.answer().stream().map(RRset::getType).toList());
    assertEquals(SecurityStatus.INSECURE, hit.status());
  }

  @Test
  void aDnameAnswerComesFromTheCacheWithTheDnameAndAFreshlySynthesisedCname() {
    Name old = Name.fromConstantString("old.example.");
    Name host = Name.fromConstantString("host.old.example.");
    Name target = Name.fromConstantString("host.new.example.");
    RRset dname = new RRset(new org.xbill.DNS.DNAMERecord(old, DClass.IN, 600, Name.fromConstantString("new.example.")));
    RRset synthesised = new RRset(new CNAMERecord(host, DClass.IN, 600, target));
    Question q = Question.of(host, Type.A);
    inner.resolves(q, answer(SecurityStatus.SECURE, dname, synthesised, a(target, 300, "192.0.2.5")));
    resolver.resolve(q, false);

    Resolution hit = resolver.cached(q, false);
    assertNotNull(hit);
    assertEquals(List.of(Type.DNAME, Type.CNAME, Type.A), hit.answer().stream().map(RRset::getType).toList());
    assertEquals(target, ((CNAMERecord) hit.answer().get(1).first()).getTarget());
    // another name under the DNAME is answered the same way, from the DNAME alone
    Question other = Question.of(Name.fromConstantString("other.old.example."), Type.A);
    assertNull(resolver.cached(other, false), "the target's A is not cached");
    cache.storeRRset(a(Name.fromConstantString("other.new.example."), 300, "192.0.2.6"), SecurityStatus.SECURE, Credibility.ANSWER);
    assertEquals(List.of(Type.DNAME, Type.CNAME, Type.A), resolver.cached(other, false).answer().stream().map(RRset::getType).toList());
  }

  @Test
  void negativeAnswersAreCachedForTheSoaMinimum() {
    Name zone = Name.fromConstantString("example.");
    inner.resolves(WWW_A, new Resolution(Rcode.NXDOMAIN, List.of(), List.of(soa(zone)), SecurityStatus.INSECURE, null));
    resolver.resolve(WWW_A, false);
    Resolution hit = resolver.cached(Question.of(WWW, Type.AAAA), false);
    assertNotNull(hit, "NXDOMAIN holds for every type (RFC 2308 section 5)");
    assertEquals(Rcode.NXDOMAIN, hit.rcode());
    time.advanceSeconds(301);
    assertNull(resolver.cached(WWW_A, false), "gone after min(SOA TTL, SOA minimum) = 300 s");
  }

  @Test
  void rootNsecRecordsAnswerOtherNamesInTheirGap() {
    Question junk = Question.of(Name.fromConstantString("a.nosuch."), Type.A);
    RRset gap = nsec("nike.", "nowtv.", Name.root); // nosuch. falls between nike. and nowtv.
    RRset apex = nsec(".", "aaa.", Name.root); // covers *.
    inner.resolves(junk, new Resolution(Rcode.NXDOMAIN, List.of(), List.of(soa(Name.root), gap, apex), SecurityStatus.SECURE, null));
    resolver.resolve(junk, false);

    Resolution other = resolver.cached(Question.of(Name.fromConstantString("www.nosuchother."), Type.AAAA), false);
    assertNotNull(other, "synthesised from the NSEC records (RFC 8198)");
    assertEquals(Rcode.NXDOMAIN, other.rcode());
    assertEquals(SecurityStatus.SECURE, other.status());
    assertEquals(1, resolver.synthesised());
    assertNull(resolver.cached(Question.of(Name.fromConstantString("x.com."), Type.A), false), "outside the gap");
    assertNull(resolver.cached(Question.of(Name.fromConstantString("www.nike."), Type.A), false), "below a delegation");
  }

  @Test
  void theNsecAtAnInsecureDelegationAnswersItsDsQuestionFromMemory() {
    Question junk = Question.of(Name.fromConstantString("nosuch."), Type.DS);
    inner.resolves(junk, new Resolution(Rcode.NXDOMAIN, List.of(),
        List.of(soa(Name.root), nsec("nike.", "nowtv.", Name.root), nsec(".", "aaa.", Name.root)), SecurityStatus.SECURE, null));
    resolver.resolve(junk, false);

    Resolution ds = resolver.cached(Question.of(Name.fromConstantString("nike."), Type.DS), false);
    assertNotNull(ds, "RFC 8198 section 5.2: the NSEC at nike. shows NS without DS");
    assertEquals(Rcode.NOERROR, ds.rcode());
    assertEquals(List.of(), ds.answer());
    assertEquals(SecurityStatus.SECURE, ds.status());
    assertNull(resolver.cached(Question.of(Name.fromConstantString("nike."), Type.SOA), false), "the child's data is not the parent's to deny");
  }

  @Test
  void nsecRecordsOfOtherZonesOrInsecureAnswersAreNotUsedAggressively() {
    Question q = Question.of(Name.fromConstantString("a.nosuch."), Type.A);
    inner.resolves(q, new Resolution(Rcode.NXDOMAIN, List.of(), List.of(soa(Name.root), nsec("nike.", "nowtv.", Name.root), nsec(".", "aaa.", Name.root)),
        SecurityStatus.INSECURE, null));
    resolver.resolve(q, false);
    assertNull(resolver.cached(Question.of(Name.fromConstantString("b.nosuch2."), Type.A), false));
  }

  @Test
  void expiredDataIsServedWithAnExtendedErrorWhenTheAuthoritiesAreUnreachable() {
    inner.resolves(WWW_A, answer(SecurityStatus.SECURE, a(WWW, 300, "192.0.2.1")));
    resolver.resolve(WWW_A, false);
    time.advanceSeconds(400);
    inner.resolves(WWW_A, Resolution.servfail(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY, "no server answered"));
    Resolution stale = resolver.resolve(WWW_A, false);
    assertEquals(Rcode.NOERROR, stale.rcode());
    assertEquals(DnsCache.STALE_TTL, stale.answer().get(0).getTTL());
    assertEquals(ExtendedErrorCodeOption.STALE_ANSWER, stale.error().getErrorCode());
    assertEquals(1, resolver.staleAnswers());
  }

  @Test
  void aBogusServfailIsNotPaperedOverWithStaleData() {
    inner.resolves(WWW_A, answer(SecurityStatus.SECURE, a(WWW, 300, "192.0.2.1")));
    resolver.resolve(WWW_A, false);
    time.advanceSeconds(400);
    inner.resolves(WWW_A, Resolution.servfail(ExtendedErrorCodeOption.DNSSEC_BOGUS, "bad signature"));
    assertEquals(Rcode.SERVFAIL, resolver.resolve(WWW_A, false).rcode());
  }

  @Test
  void aPopularEntryNearExpiryIsRefreshedInTheBackground() {
    inner.resolves(WWW_A, answer(SecurityStatus.SECURE, a(WWW, 100, "192.0.2.1")));
    resolver.resolve(WWW_A, false);
    resolver.cached(WWW_A, false);
    resolver.cached(WWW_A, false);
    time.advanceSeconds(95);
    inner.resolves(WWW_A, answer(SecurityStatus.SECURE, a(WWW, 100, "192.0.2.9")));
    Resolution hit = resolver.cached(WWW_A, false);
    assertEquals("192.0.2.1", hit.answer().get(0).first().rdataToString(), "the client gets the cached answer now");
    assertEquals(1, background.size(), "one prefetch started");
    background.forEach(Runnable::run);
    assertEquals(2, inner.resolutions());
    assertEquals("192.0.2.9", resolver.cached(WWW_A, false).answer().get(0).first().rdataToString());
  }

  @Test
  void theSameQuestionFromManyClientsIsResolvedOnce() throws Exception {
    inner.resolves(WWW_A, answer(SecurityStatus.SECURE, a(WWW, 300, "192.0.2.1")));
    inner.hold();
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Resolution>> answers = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        answers.add(clients.submit(() -> resolver.resolve(WWW_A, false)));
      }
      while (inner.resolutions() < 1) {
        Thread.onSpinWait();
      }
      Thread.sleep(100); // let the other clients arrive and wait
      inner.release();
      for (Future<Resolution> f : answers) {
        assertEquals(Rcode.NOERROR, f.get().rcode());
      }
    }
    assertEquals(1, inner.resolutions());
  }
}
