package org.rootmirror.resolver.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.testing.FakeResolver;
import org.rootmirror.resolver.testing.MutableTime;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/** cache-min-ttl and cache-max-ttl (and cache-max-negative-ttl) apply to what is stored and to what clients see, first answer and cached ones alike. */
class CacheTtlBoundsTest {
  private static final Name WWW = Name.fromConstantString("www.example.");
  private static final Name SHORT = Name.fromConstantString("short.example.");

  private final MutableTime time = new MutableTime();
  private final DnsCache cache = new DnsCache(CacheConfig.defaults().withTtlBounds(60, 600, 120), time);
  private final FakeResolver inner = new FakeResolver();
  private final CachingResolver resolver = new CachingResolver(inner, cache, new AggressiveNsec(time), Runnable::run, 12);

  private static RRset a(Name name, long ttl) {
    try {
      return new RRset(new ARecord(name, DClass.IN, ttl, InetAddress.getByName("192.0.2.1")));
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static long ttl(Resolution r, int section) {
    List<RRset> sets = section == 0 ? r.answer() : r.authority();
    return sets.get(0).getTTL();
  }

  @Test
  void maxTtlCapsTheFirstAnswerAndTheCachedOnes() {
    Question q = Question.of(WWW, Type.A);
    inner.resolves(q, new Resolution(Rcode.NOERROR, List.of(a(WWW, 86400)), List.of(), SecurityStatus.INSECURE, null));
    assertEquals(600, ttl(resolver.resolve(q, false), 0), "the first answer");
    assertEquals(600, cache.lookup(WWW, Type.A, DClass.IN).orElseThrow().ttl(), "stored");
    time.advance(Duration.ofSeconds(601));
    assertEquals(null, resolver.cached(q, false), "gone after the capped TTL");
  }

  @Test
  void minTtlRaisesTheFirstAnswerAndKeepsItCachedThatLong() {
    Question q = Question.of(SHORT, Type.A);
    inner.resolves(q, new Resolution(Rcode.NOERROR, List.of(a(SHORT, 5)), List.of(), SecurityStatus.INSECURE, null));
    assertEquals(60, ttl(resolver.resolve(q, false), 0), "the first answer");
    time.advance(Duration.ofSeconds(30));
    Resolution hit = resolver.cached(q, false);
    assertNotNull(hit, "still cached after the record's own TTL");
    assertEquals(30, ttl(hit, 0));
  }

  @Test
  void aNodataForTypeZeroIsAnsweredButNotCached() {
    Question q = Question.of(WWW, 0);
    RRset soa = new RRset(new SOARecord(Name.fromConstantString("example."), DClass.IN, 3600, Name.fromConstantString("ns.example."),
        Name.fromConstantString("admin.example."), 1, 1800, 900, 604800, 300));
    inner.resolves(q, new Resolution(Rcode.NOERROR, List.of(), List.of(soa), SecurityStatus.INSECURE, null));
    assertEquals(Rcode.NOERROR, resolver.resolve(q, false).rcode());
    assertEquals(null, resolver.cached(q, false));
    assertEquals(java.util.Optional.empty(), cache.lookup(WWW, Type.A, DClass.IN), "not taken for an NXDOMAIN of the name");
  }

  @Test
  void signaturesAloneForAnRrsigQuestionAreNotCachedAsTheTypeTheyCover() throws Exception {
    Question q = Question.of(WWW, Type.RRSIG);
    RRset sigs = new RRset();
    sigs.addRR(new org.xbill.DNS.RRSIGRecord(WWW, DClass.IN, 300, Type.A, 8, 300, java.time.Instant.parse("2030-01-01T00:00:00Z"),
        java.time.Instant.parse("2020-01-01T00:00:00Z"), 12345, Name.fromConstantString("example."), new byte[] {1, 2, 3}));
    inner.resolves(q, new Resolution(Rcode.NOERROR, List.of(sigs), List.of(), SecurityStatus.INSECURE, null));
    assertEquals(Rcode.NOERROR, resolver.resolve(q, false).rcode());
    assertEquals(java.util.Optional.empty(), cache.lookup(WWW, Type.A, DClass.IN));
  }

  @Test
  void aNegativeAnswerIsCappedByTheNegativeMaximum() {
    Question q = Question.of(WWW, Type.TXT);
    RRset soa = new RRset(new SOARecord(Name.fromConstantString("example."), DClass.IN, 3600, Name.fromConstantString("ns.example."),
        Name.fromConstantString("admin.example."), 1, 1800, 900, 604800, 300));
    inner.resolves(q, new Resolution(Rcode.NOERROR, List.of(), List.of(soa), SecurityStatus.INSECURE, null));
    assertEquals(120, ttl(resolver.resolve(q, false), 1), "the first answer");
    assertEquals(120, ttl(resolver.cached(q, false), 1), "from the cache");
  }
}
