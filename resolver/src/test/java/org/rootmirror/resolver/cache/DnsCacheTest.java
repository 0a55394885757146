package org.rootmirror.resolver.cache;

import org.rootmirror.resolver.testing.MutableTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

class DnsCacheTest {
  private final MutableTime time = new MutableTime();
  private final DnsCache cache = new DnsCache(CacheConfig.defaults(), time);

  private static Name name(String s) {
    return Name.fromConstantString(s);
  }

  private static RRset a(String owner, long ttl, String... addresses) throws Exception {
    var rrset = new RRset();
    for (String address : addresses) {
      rrset.addRR(new ARecord(name(owner), DClass.IN, ttl, InetAddress.getByName(address)));
    }
    return rrset;
  }

  private static RRset soa(long ttl, long minimum) {
    return new RRset(
        new SOARecord(
            name("example."), DClass.IN, ttl, name("ns.example."), name("hostmaster.example."),
            2026010101, 7200, 3600, 1209600, minimum));
  }

  private static RRset nsec() {
    return new RRset(
        new NSECRecord(name("a.example."), DClass.IN, 3600, name("c.example."),
            new int[] {Type.A, Type.RRSIG, Type.NSEC}));
  }

  private CacheHit hit(String owner, int type) {
    return cache.lookup(name(owner), type, DClass.IN).orElseThrow();
  }

  private static RRset positive(CacheHit hit) {
    return assertInstanceOf(CachedAnswer.Positive.class, hit.answer()).rrset();
  }

  /** {@code set} with an RRSIG (the signature bytes are not checked here) of the given original TTL and expiration. */
  private RRset signed(RRset set, long origTtl, java.time.Instant expires) {
    set.addRR(new org.xbill.DNS.RRSIGRecord(set.getName(), DClass.IN, set.getTTL(), set.getType(), 13, origTtl, expires,
        time.instant().minusSeconds(3600), 12345, name("example."), new byte[64]));
    return set;
  }

  @Test
  void aSignedRRsetIsKeptNoLongerThanItsSignatureOrItsOriginalTtl() throws Exception {
    // RFC 4035 section 5.3.3
    cache.storeRRset(signed(a("expiring.example.", 86400, "192.0.2.1"), 86400, time.instant().plusSeconds(100)),
        SecurityStatus.SECURE, Credibility.ANSWER);
    assertEquals(100, hit("expiring.example.", Type.A).ttl());
    cache.storeRRset(signed(a("raised.example.", 86400, "192.0.2.1"), 600, time.instant().plusSeconds(86400 * 7)),
        SecurityStatus.SECURE, Credibility.ANSWER);
    assertEquals(600, hit("raised.example.", Type.A).ttl(), "a TTL above the original TTL is cut to it");
    cache.storeRRset(a("unsigned.example.", 86400, "192.0.2.1"), SecurityStatus.INSECURE, Credibility.ANSWER);
    assertEquals(86400, hit("unsigned.example.", Type.A).ttl());

    RRset proof = nsec();
    proof.addRR(new org.xbill.DNS.RRSIGRecord(name("a.example."), DClass.IN, 3600, Type.NSEC, 13, 3600,
        time.instant().plusSeconds(50), time.instant().minusSeconds(3600), 12345, name("example."), new byte[64]));
    cache.storeNameError(name("b.example."), DClass.IN, soa(3600, 3600), List.of(proof), SecurityStatus.SECURE);
    assertEquals(50, hit("b.example.", Type.A).ttl(), "a denial lasts no longer than the proof's signature");
  }

  @Test
  void aSecureRRsetIsNotDowngradedByTheSameRecordsAtAWeakerStatusButIsReplacedByOthers() throws Exception {
    // validated on its own, then met again behind an unsigned CNAME in an insecure chain
    cache.storeRRset(a("www.example.", 300, "192.0.2.1", "192.0.2.2"), SecurityStatus.SECURE, Credibility.ANSWER);
    cache.storeRRset(a("www.example.", 300, "192.0.2.2", "192.0.2.1"), SecurityStatus.INSECURE, Credibility.ANSWER);
    assertEquals(SecurityStatus.SECURE, hit("www.example.", Type.A).status());
    cache.storeRRset(a("www.example.", 300, "192.0.2.3"), SecurityStatus.INSECURE, Credibility.ANSWER);
    assertEquals(SecurityStatus.INSECURE, hit("www.example.", Type.A).status());
  }

  @Test
  void storedRRsetIsReturnedWithItsRemainingTtl() throws Exception {
    cache.storeRRset(a("www.example.", 300, "192.0.2.1", "192.0.2.2"), SecurityStatus.SECURE,
        Credibility.ANSWER);

    var first = hit("www.example.", Type.A);
    assertEquals(300, first.ttl());
    assertEquals(SecurityStatus.SECURE, first.status());
    assertEquals(2, positive(first).size());

    time.advanceSeconds(100);
    var later = hit("www.example.", Type.A);
    assertEquals(200, later.ttl());
    assertFalse(later.stale());
    for (Record rr : positive(later).rrs(false)) {
      assertEquals(200, rr.getTTL());
    }
  }

  @Test
  void hitsInTheSameSecondShareOneCopyAndTheNextSecondCountsDown() throws Exception {
    cache.storeRRset(a("www.example.", 300, "192.0.2.1"), SecurityStatus.SECURE, Credibility.ANSWER);
    time.advanceSeconds(10);

    RRset first = positive(hit("www.example.", Type.A));
    RRset again = positive(hit("www.example.", Type.A));
    assertSame(first, again, "the TTL-adjusted copy is made once per second, not per hit");
    assertEquals(290, again.first().getTTL());

    time.advanceSeconds(1);
    RRset later = positive(hit("www.example.", Type.A));
    assertNotSame(first, later);
    assertEquals(289, later.first().getTTL());
  }

  @Test
  void entryExpiresAtItsTtl() throws Exception {
    cache.storeRRset(a("www.example.", 60, "192.0.2.1"), SecurityStatus.INSECURE,
        Credibility.ANSWER);

    time.advance(Duration.ofSeconds(59).plusMillis(999));
    assertTrue(cache.lookup(name("www.example."), Type.A, DClass.IN).isPresent());
    time.advance(Duration.ofMillis(1));
    assertTrue(cache.lookup(name("www.example."), Type.A, DClass.IN).isEmpty());
  }

  @Test
  void ttlBoundsAreAppliedWhenStoring() throws Exception {
    var bounded = new DnsCache(CacheConfig.defaults().withTtlBounds(60, 3600, 600), time);
    bounded.storeRRset(a("short.example.", 5, "192.0.2.1"), SecurityStatus.SECURE,
        Credibility.ANSWER);
    bounded.storeRRset(a("long.example.", 604800, "192.0.2.2"), SecurityStatus.SECURE,
        Credibility.ANSWER);
    bounded.storeNameError(name("gone.example."), DClass.IN, soa(86400, 86400), List.of(),
        SecurityStatus.SECURE);

    assertEquals(60, bounded.lookup(name("short.example."), Type.A, DClass.IN).orElseThrow().ttl());
    assertEquals(3600, bounded.lookup(name("long.example."), Type.A, DClass.IN).orElseThrow().ttl());
    assertEquals(600, bounded.lookup(name("gone.example."), Type.A, DClass.IN).orElseThrow().ttl());
  }

  @Test
  void defaultBoundsCapPositiveTtlAtOneDayAndNegativeAtOneHour() throws Exception {
    cache.storeRRset(a("long.example.", 604800, "192.0.2.2"), SecurityStatus.SECURE,
        Credibility.ANSWER);
    cache.storeNameError(name("gone.example."), DClass.IN, soa(86400, 86400), List.of(),
        SecurityStatus.SECURE);

    assertEquals(86400, hit("long.example.", Type.A).ttl());
    assertEquals(3600, hit("gone.example.", Type.A).ttl());
  }

  @Test
  void nameErrorAnswersEveryTypeWithTheLesserOfSoaTtlAndMinimum() {
    cache.storeNameError(name("gone.example."), DClass.IN, soa(900, 300), List.of(nsec()),
        SecurityStatus.SECURE);

    for (int type : new int[] {Type.A, Type.AAAA, Type.MX}) {
      var hit = hit("gone.example.", type);
      var error = assertInstanceOf(CachedAnswer.NameError.class, hit.answer());
      assertEquals(300, hit.ttl());
      assertEquals(300, error.soa().getTTL());
      assertEquals(1, error.proof().size());
      assertEquals(Type.NSEC, error.proof().get(0).getType());
      assertEquals(300, error.proof().get(0).getTTL());
    }
    time.advanceSeconds(300);
    assertTrue(cache.lookup(name("gone.example."), Type.A, DClass.IN).isEmpty());
  }

  @Test
  void soaTtlLimitsNegativeTtlWhenBelowTheMinimumField() {
    cache.storeNoData(name("www.example."), Type.AAAA, DClass.IN, soa(120, 3600), List.of(),
        SecurityStatus.INSECURE);
    assertEquals(120, hit("www.example.", Type.AAAA).ttl());
  }

  @Test
  void noDataAnswersOnlyItsType() throws Exception {
    cache.storeNoData(name("www.example."), Type.AAAA, DClass.IN, soa(3600, 900), List.of(),
        SecurityStatus.SECURE);

    var hit = hit("www.example.", Type.AAAA);
    var noData = assertInstanceOf(CachedAnswer.NoData.class, hit.answer());
    assertEquals(Type.AAAA, noData.type());
    assertEquals(900, hit.ttl());
    assertTrue(cache.lookup(name("www.example."), Type.A, DClass.IN).isEmpty());
  }

  @Test
  void storingAnRRsetDropsTheNameErrorOfItsOwner() throws Exception {
    cache.storeNameError(name("new.example."), DClass.IN, soa(3600, 3600), List.of(),
        SecurityStatus.SECURE);
    cache.storeRRset(a("new.example.", 300, "192.0.2.9"), SecurityStatus.SECURE,
        Credibility.ANSWER);

    assertInstanceOf(CachedAnswer.Positive.class, hit("new.example.", Type.A).answer());
    assertTrue(cache.lookup(name("new.example."), Type.MX, DClass.IN).isEmpty());
  }

  @Test
  void lowerRankedDataDoesNotReplaceAnAnswerUntilItExpires() throws Exception {
    assertTrue(cache.storeRRset(a("ns.example.", 300, "192.0.2.1"), SecurityStatus.SECURE,
        Credibility.ANSWER));
    assertFalse(cache.storeRRset(a("ns.example.", 86400, "198.51.100.1"),
        SecurityStatus.INDETERMINATE, Credibility.ADDITIONAL));

    var kept = hit("ns.example.", Type.A);
    assertEquals(Credibility.ANSWER, kept.credibility());
    assertEquals("192.0.2.1", ((ARecord) positive(kept).first()).getAddress().getHostAddress());
    assertEquals(300, kept.ttl());

    time.advanceSeconds(300);
    assertTrue(cache.storeRRset(a("ns.example.", 86400, "198.51.100.1"),
        SecurityStatus.INDETERMINATE, Credibility.ADDITIONAL));
    var replaced = hit("ns.example.", Type.A);
    assertEquals(Credibility.ADDITIONAL, replaced.credibility());
    assertEquals("198.51.100.1",
        ((ARecord) positive(replaced).first()).getAddress().getHostAddress());
  }

  @Test
  void equalOrHigherRankedDataReplaces() throws Exception {
    cache.storeRRset(a("ns.example.", 300, "192.0.2.1"), SecurityStatus.INDETERMINATE,
        Credibility.ADDITIONAL);
    assertTrue(cache.storeRRset(a("ns.example.", 600, "192.0.2.2"), SecurityStatus.SECURE,
        Credibility.AUTHORITY));
    assertTrue(cache.storeRRset(a("ns.example.", 900, "192.0.2.3"), SecurityStatus.SECURE,
        Credibility.AUTHORITY));
    assertEquals(900, hit("ns.example.", Type.A).ttl());
  }

  @Test
  void namesMatchWithoutRegardToCase() throws Exception {
    cache.storeRRset(a("WwW.ExAmPlE.", 300, "192.0.2.1"), SecurityStatus.SECURE,
        Credibility.ANSWER);
    assertTrue(cache.lookup(name("www.example."), Type.A, DClass.IN).isPresent());
    assertTrue(cache.lookup(name("WWW.EXAMPLE."), Type.A, DClass.IN).isPresent());
    cache.storeNameError(name("GONE.example."), DClass.IN, soa(60, 60), List.of(),
        SecurityStatus.SECURE);
    assertTrue(cache.lookup(name("gone.EXAMPLE."), Type.A, DClass.IN).isPresent());
  }

  @Test
  void classAndTypeArePartOfTheKey() throws Exception {
    cache.storeRRset(a("www.example.", 300, "192.0.2.1"), SecurityStatus.SECURE,
        Credibility.ANSWER);
    assertTrue(cache.lookup(name("www.example."), Type.AAAA, DClass.IN).isEmpty());
    assertTrue(cache.lookup(name("www.example."), Type.A, DClass.CH).isEmpty());
  }

  @Test
  void expiredEntryIsServedStaleOnlyOnRequestWithThirtySecondTtl() throws Exception {
    cache.storeRRset(a("www.example.", 60, "192.0.2.1"), SecurityStatus.SECURE,
        Credibility.ANSWER);
    time.advanceSeconds(3600);

    assertTrue(cache.lookup(name("www.example."), Type.A, DClass.IN).isEmpty());
    var stale = cache.lookupStale(name("www.example."), Type.A, DClass.IN).orElseThrow();
    assertTrue(stale.stale());
    assertEquals(30, stale.ttl());
    assertEquals(30, positive(stale).getTTL());
    assertEquals(SecurityStatus.SECURE, stale.status());
  }

  @Test
  void staleLookupOfALiveEntryGivesTheFreshAnswer() throws Exception {
    cache.storeRRset(a("www.example.", 60, "192.0.2.1"), SecurityStatus.SECURE,
        Credibility.ANSWER);
    var hit = cache.lookupStale(name("www.example."), Type.A, DClass.IN).orElseThrow();
    assertFalse(hit.stale());
    assertEquals(60, hit.ttl());
  }

  @Test
  void negativeAnswersAreServedStaleToo() {
    cache.storeNameError(name("gone.example."), DClass.IN, soa(60, 60), List.of(),
        SecurityStatus.SECURE);
    time.advanceSeconds(120);
    var stale = cache.lookupStale(name("gone.example."), Type.TXT, DClass.IN).orElseThrow();
    assertInstanceOf(CachedAnswer.NameError.class, stale.answer());
    assertTrue(stale.stale());
  }

  @Test
  void staleEntriesAreGoneAfterTheStaleWindow() throws Exception {
    var cache = new DnsCache(CacheConfig.defaults().withStaleWindow(Duration.ofHours(2)), time);
    cache.storeRRset(a("www.example.", 60, "192.0.2.1"), SecurityStatus.SECURE,
        Credibility.ANSWER);

    time.advance(Duration.ofSeconds(60).plusHours(2).minusSeconds(1));
    assertTrue(cache.lookupStale(name("www.example."), Type.A, DClass.IN).isPresent());
    time.advanceSeconds(1);
    assertTrue(cache.lookupStale(name("www.example."), Type.A, DClass.IN).isEmpty());
    assertEquals(0, cache.size());
  }

  @Test
  void popularEntryNearExpiryAsksOneCallerToPrefetch() throws Exception {
    cache.storeRRset(a("www.example.", 1000, "192.0.2.1"), SecurityStatus.SECURE,
        Credibility.ANSWER);
    assertFalse(hit("www.example.", Type.A).prefetch());

    time.advanceSeconds(899);
    assertFalse(hit("www.example.", Type.A).prefetch(), "101 s of 1000 left is not below 10%");
    time.advanceSeconds(2);
    assertTrue(hit("www.example.", Type.A).prefetch());
    assertFalse(hit("www.example.", Type.A).prefetch(), "the refresh is already asked for");
  }

  @Test
  void entryHitOnlyOnceNearExpiryIsNotPrefetched() throws Exception {
    cache.storeRRset(a("www.example.", 1000, "192.0.2.1"), SecurityStatus.SECURE,
        Credibility.ANSWER);
    time.advanceSeconds(950);
    assertFalse(hit("www.example.", Type.A).prefetch());
  }

  @Test
  void sizeBoundEvictsEntries() throws Exception {
    var small = new DnsCache(CacheConfig.defaults().withMaximumEntries(10), time);
    for (int i = 0; i < 100; i++) {
      small.storeRRset(a("host" + i + ".example.", 300, "192.0.2.1"), SecurityStatus.SECURE,
          Credibility.ANSWER);
    }
    assertTrue(small.size() <= 10, "size " + small.size());
    int found = 0;
    for (int i = 0; i < 100; i++) {
      if (small.lookup(name("host" + i + ".example."), Type.A, DClass.IN).isPresent()) {
        found++;
      }
    }
    assertTrue(found <= 10, "found " + found);
  }

  @Test
  void rrsigsAreKeptWithTheirRRset() throws Exception {
    var rrset = a("www.example.", 300, "192.0.2.1");
    rrset.addRR(
        new org.xbill.DNS.RRSIGRecord(name("www.example."), DClass.IN, 300, Type.A, 13, 300,
            java.time.Instant.parse("2026-02-01T00:00:00Z"),
            java.time.Instant.parse("2025-12-01T00:00:00Z"), 12345, name("example."),
            new byte[64]));
    cache.storeRRset(rrset, SecurityStatus.SECURE, Credibility.ANSWER);
    time.advanceSeconds(10);

    var cached = positive(hit("www.example.", Type.A));
    assertEquals(1, cached.sigSize());
    assertEquals(290, cached.sigs().get(0).getTTL());
    assertEquals(300, cached.sigs().get(0).getOrigTTL());
  }

  @Test
  void concurrentStoresAndLookupsKeepTheCacheConsistent() throws Exception {
    var shared = new DnsCache(CacheConfig.defaults().withMaximumEntries(50), time);
    try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      var tasks = new java.util.ArrayList<java.util.concurrent.Future<?>>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        tasks.add(threads.submit(() -> {
          for (int i = 0; i < 2000; i++) {
            var owner = "host" + ((i * 7 + thread) % 100) + ".example.";
            shared.storeRRset(a(owner, 300, "192.0.2.1"), SecurityStatus.SECURE,
                Credibility.values()[i % 3]);
            shared.lookup(name(owner), Type.A, DClass.IN)
                .ifPresent(hit -> assertEquals(300, hit.ttl()));
          }
          return null;
        }));
      }
      for (var task : tasks) {
        task.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
    assertTrue(shared.size() <= 50, "size " + shared.size());
  }
}
