package org.rootmirror.resolver.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.testing.FakeResolver;
import org.rootmirror.resolver.testing.MutableTime;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Names under a cached, validated DNAME are answered through it (RFC 6672 section 3.4). */
class DnameFromCacheTest {
  private static final Name OLD = Name.fromConstantString("old.example.");
  private static final Name HOST = Name.fromConstantString("host.old.example.");
  private static final Name TARGET = Name.fromConstantString("host.new.example.");

  private final MutableTime time = new MutableTime();
  private final DnsCache cache = new DnsCache(CacheConfig.defaults(), time);
  private final FakeResolver inner = new FakeResolver();
  private final CachingResolver resolver = new CachingResolver(inner, cache, new AggressiveNsec(time), Runnable::run, 12);

  private static RRset dname() {
    return new RRset(new DNAMERecord(OLD, DClass.IN, 600, Name.fromConstantString("new.example.")));
  }

  private static RRset a(Name name) throws Exception {
    return new RRset(new ARecord(name, DClass.IN, 300, InetAddress.getByName("192.0.2.5")));
  }

  @Test
  void aCnameQuestionUnderACachedDnameGetsTheDnameAndAFreshCname() {
    cache.storeRRset(dname(), SecurityStatus.SECURE, Credibility.ANSWER);
    Resolution hit = resolver.cached(Question.of(HOST, Type.CNAME), false);
    assertNotNull(hit);
    assertEquals(List.of(Type.DNAME, Type.CNAME), hit.answer().stream().map(RRset::getType).toList());
    assertEquals(TARGET, ((CNAMERecord) hit.answer().get(1).first()).getTarget());
    assertEquals(SecurityStatus.SECURE, hit.status());
  }

  @Test
  void underACachedDnameOnlyTheTargetIsResolvedNotTheAuthoritysCname() throws Exception {
    cache.storeRRset(dname(), SecurityStatus.SECURE, Credibility.ANSWER);
    // the authority would answer the original name with a forged CNAME; it is never asked
    RRset forged = new RRset(new CNAMERecord(HOST, DClass.IN, 600, Name.fromConstantString("evil.example.")));
    inner.resolves(Question.of(HOST, Type.A), new Resolution(Rcode.NOERROR, List.of(dname(), forged), List.of(), SecurityStatus.BOGUS, null));
    inner.resolves(Question.of(TARGET, Type.A), new Resolution(Rcode.NOERROR, List.of(a(TARGET)), List.of(), SecurityStatus.SECURE, null));

    Resolution answer = resolver.resolve(Question.of(HOST, Type.A), false);
    assertEquals(List.of(Type.DNAME, Type.CNAME, Type.A), answer.answer().stream().map(RRset::getType).toList());
    assertEquals(TARGET, ((CNAMERecord) answer.answer().get(1).first()).getTarget());
    assertEquals(SecurityStatus.SECURE, answer.status());
    assertEquals(1, inner.resolutions());
    assertNotNull(resolver.cached(Question.of(HOST, Type.A), false), "the whole chain is in the cache now");
  }

  @Test
  void theStatusOfAContinuedChainIsItsWeakestPart() throws Exception {
    cache.storeRRset(dname(), SecurityStatus.SECURE, Credibility.ANSWER);
    inner.resolves(Question.of(TARGET, Type.A), new Resolution(Rcode.NOERROR, List.of(a(TARGET)), List.of(), SecurityStatus.INSECURE, null));
    assertEquals(SecurityStatus.INSECURE, resolver.resolve(Question.of(HOST, Type.A), false).status());
  }

  @Test
  void aFailureAfterACachedDnameIsTheFailure() {
    cache.storeRRset(dname(), SecurityStatus.SECURE, Credibility.ANSWER);
    assertEquals(Rcode.SERVFAIL, resolver.resolve(Question.of(HOST, Type.A), false).rcode());
  }

  @Test
  void aDnameKeptFromAnAnswerThatFailedAsAWholeServesLaterQuestions() {
    // the validator offers the RRsets that validated on their own from a bogus answer
    resolver.keepSecure(List.of(dname()));
    Resolution hit = resolver.cached(Question.of(HOST, Type.CNAME), false);
    assertNotNull(hit);
    assertEquals(SecurityStatus.SECURE, hit.status());
  }

  @Test
  void aDnameThatMakesSeveralLinksIsInTheAnswerOnce() throws Exception {
    // x. DNAME . maps a.x.x. to a.x. and that to a.: one DNAME, two synthesised CNAMEs
    Name x = Name.fromConstantString("x.");
    cache.storeRRset(new RRset(new DNAMERecord(x, DClass.IN, 600, Name.root)), SecurityStatus.SECURE, Credibility.ANSWER);
    Resolution hit = resolver.cached(Question.of(Name.fromConstantString("a.x.x."), Type.CNAME), false);
    assertNotNull(hit);
    assertEquals(List.of(Type.DNAME, Type.CNAME), hit.answer().stream().map(RRset::getType).toList(), hit.answer().toString());
    Name a = Name.fromConstantString("a.");
    inner.resolves(Question.of(a, Type.A), new Resolution(Rcode.NOERROR, List.of(a(a)), List.of(), SecurityStatus.SECURE, null));
    Resolution deeper = resolver.resolve(Question.of(Name.fromConstantString("a.x.x."), Type.A), false);
    assertEquals(List.of(Type.DNAME, Type.CNAME, Type.CNAME, Type.A), deeper.answer().stream().map(RRset::getType).toList(), deeper.answer().toString());
  }
}
