package org.rootmirror.resolver.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.resolver.testing.MutableTime;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/** A signed referral's proof that a cut has no DS (RFC 4035 section 5.2), kept as an SOA-less NODATA for "cut DS". */
class ReferralNoDsCacheTest {
  private static final Name CUT = Name.fromConstantString("insecure.example.");
  private final MutableTime time = new MutableTime();
  private final DnsCache cache = new DnsCache(CacheConfig.defaults(), time);

  private static RRset nsecAtCut(long ttl) {
    return new RRset(new NSECRecord(CUT, DClass.IN, ttl, Name.fromConstantString("z.example."), new int[] {Type.NS, Type.RRSIG, Type.NSEC}));
  }

  @Test
  void theProofIsKeptAsANodataForDsWithoutSoaBelowAnswerCredibility() {
    RRset nsec = nsecAtCut(300);
    assertTrue(cache.storeReferralNoDs(CUT, DClass.IN, List.of(nsec)));
    CacheHit hit = cache.lookup(CUT, Type.DS, DClass.IN).orElseThrow();
    var nodata = assertInstanceOf(CachedAnswer.NoData.class, hit.answer());
    assertNull(nodata.soa(), "a referral has no SOA");
    assertEquals(List.of(nsec), nodata.rrsets());
    assertEquals(Credibility.AUTHORITY, hit.credibility(), "never an answer to clients");
    assertEquals(SecurityStatus.INDETERMINATE, hit.status());
    assertEquals(300, hit.ttl(), "the proof's TTL");
    assertTrue(cache.lookup(CUT, Type.A, DClass.IN).isEmpty(), "only the DS question");
  }

  @Test
  void theProofExpiresAtItsTtlAndIsServedStaleLikeAnyEntry() {
    cache.storeReferralNoDs(CUT, DClass.IN, List.of(nsecAtCut(300)));
    time.advance(Duration.ofSeconds(301));
    assertTrue(cache.lookup(CUT, Type.DS, DClass.IN).isEmpty());
    CacheHit stale = cache.lookupStale(CUT, Type.DS, DClass.IN).orElseThrow();
    assertEquals(DnsCache.STALE_TTL, stale.answer().rrsets().get(0).getTTL());
  }

  @Test
  void aValidatedAnswerIsNotReplacedByAReferralsProof() {
    RRset soa = new RRset(new SOARecord(Name.fromConstantString("example."), DClass.IN, 3600, Name.fromConstantString("ns.example."),
        Name.fromConstantString("hostmaster.example."), 1, 7200, 3600, 1209600, 900));
    cache.storeNoData(CUT, Type.DS, DClass.IN, soa, List.of(nsecAtCut(900)), SecurityStatus.SECURE);
    assertFalse(cache.storeReferralNoDs(CUT, DClass.IN, List.of(nsecAtCut(300))));
    assertEquals(Credibility.ANSWER, cache.lookup(CUT, Type.DS, DClass.IN).orElseThrow().credibility());
  }
}
