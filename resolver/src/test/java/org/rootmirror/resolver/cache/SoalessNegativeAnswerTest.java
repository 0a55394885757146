package org.rootmirror.resolver.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.testing.FakeResolver;
import org.rootmirror.resolver.testing.MutableTime;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Negative answers without an SOA (RFC 2308 section 5 advises against caching them): a NOERROR
 * without records is kept for Unbound's NORR_TTL of five seconds (or for the TTL of its validated
 * denial records), an NXDOMAIN not at all.
 */
class SoalessNegativeAnswerTest {
  private static final Question EMPTY = Question.of(Name.fromConstantString("example."), Type.A);

  private final MutableTime time = new MutableTime();
  private final DnsCache cache = new DnsCache(CacheConfig.defaults(), time);
  private final FakeResolver inner = new FakeResolver();
  private final CachingResolver resolver = new CachingResolver(inner, cache, new AggressiveNsec(time), Runnable::run, 12);

  @Test
  void aNoerrorWithoutRecordsOrSoaIsKeptForFiveSeconds() {
    inner.resolves(EMPTY, new Resolution(Rcode.NOERROR, List.of(), List.of(), SecurityStatus.INSECURE, null));
    assertEquals(Rcode.NOERROR, resolver.resolve(EMPTY, false).rcode());
    time.advanceSeconds(DnsCache.NO_RECORDS_TTL - 1);
    Resolution hit = resolver.cached(EMPTY, false);
    assertNotNull(hit, "kept for a few seconds, as Unbound does");
    assertEquals(Rcode.NOERROR, hit.rcode());
    assertEquals(List.of(), hit.answer());
    assertEquals(List.of(), hit.authority());
    time.advanceSeconds(1);
    assertNull(resolver.cached(EMPTY, false), "and no longer (RFC 2308 section 5)");
    assertEquals(1, inner.resolutions());
  }

  @Test
  void aValidatedDenialWithoutSoaIsKeptForTheTtlOfItsProof() {
    // the NODATA for a DS question made from a signed referral's NSEC (RFC 4035 section 5.2)
    Name cut = Name.fromConstantString("insecure.example.");
    Question ds = Question.of(cut, Type.DS);
    RRset nsec = new RRset(new NSECRecord(cut, DClass.IN, 600, Name.fromConstantString("z.example."), new int[] {Type.NS, Type.NSEC}));
    inner.resolves(ds, new Resolution(Rcode.NOERROR, List.of(), List.of(nsec), SecurityStatus.SECURE, null));
    resolver.resolve(ds, false);
    time.advanceSeconds(599);
    Resolution hit = resolver.cached(ds, false);
    assertNotNull(hit);
    assertEquals(SecurityStatus.SECURE, hit.status());
    assertEquals(List.of(Type.NSEC), hit.authority().stream().map(RRset::getType).toList());
    time.advanceSeconds(1);
    assertNull(resolver.cached(ds, false));
  }

  @Test
  void anNxdomainWithoutSoaIsNotKept() {
    inner.resolves(EMPTY, new Resolution(Rcode.NXDOMAIN, List.of(), List.of(), SecurityStatus.INSECURE, null));
    resolver.resolve(EMPTY, false);
    assertNull(resolver.cached(EMPTY, false));
  }
}
