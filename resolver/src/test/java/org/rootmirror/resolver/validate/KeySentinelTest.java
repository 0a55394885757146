package org.rootmirror.resolver.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.rootmirror.resolver.testing.FakeResolver;
import org.rootmirror.resolver.testing.MutableTime;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** RFC 8509 section 3.2, against a root anchor with key tag 20326. */
class KeySentinelTest {
  private static final TrustAnchors ANCHORS = TrustAnchors.parseZoneFormat(
      ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D", "test");
  private final MutableTime time = new MutableTime();

  private Resolution answer(String name, SecurityStatus status) {
    RRset set = new RRset(new ARecord(Name.fromConstantString(name), 1, 60, new byte[] {(byte) 192, 0, 2, 1}));
    return new Resolution(Rcode.NOERROR, List.of(set), List.of(), status, null);
  }

  private Resolution ask(String name, int type, SecurityStatus status, boolean cd) {
    Question q = Question.of(Name.fromConstantString(name), type);
    FakeResolver inner = new FakeResolver().resolves(q, answer(name, status));
    return new KeySentinel(inner, ANCHORS, time).resolve(q, cd);
  }

  @Test
  void isTaForATrustedKeyAnswersAndForAnotherKeyFails() {
    assertEquals(Rcode.NOERROR, ask("root-key-sentinel-is-ta-20326.example.", Type.A, SecurityStatus.SECURE, false).rcode());
    assertEquals(Rcode.SERVFAIL, ask("root-key-sentinel-is-ta-00001.example.", Type.A, SecurityStatus.SECURE, false).rcode());
  }

  @Test
  void notTaForATrustedKeyFailsAndForAnotherKeyAnswers() {
    assertEquals(Rcode.SERVFAIL, ask("root-key-sentinel-not-ta-20326.example.", Type.AAAA, SecurityStatus.SECURE, false).rcode());
    assertEquals(Rcode.NOERROR, ask("root-key-sentinel-not-ta-00001.example.", Type.AAAA, SecurityStatus.SECURE, false).rcode());
  }

  @Test
  void onlySecureAddressAnswersWithoutCdAreJudged() {
    assertEquals(Rcode.NOERROR, ask("root-key-sentinel-not-ta-20326.example.", Type.TXT, SecurityStatus.SECURE, false).rcode());
    assertEquals(Rcode.NOERROR, ask("root-key-sentinel-not-ta-20326.example.", Type.A, SecurityStatus.INSECURE, false).rcode());
    assertEquals(Rcode.NOERROR, ask("root-key-sentinel-not-ta-20326.example.", Type.A, SecurityStatus.SECURE, true).rcode());
    assertEquals(Rcode.NOERROR, ask("root-key-sentinel-not-ta-2032.example.", Type.A, SecurityStatus.SECURE, false).rcode());
  }

  @Test
  void cacheHitsAreJudgedToo() {
    Question q = Question.of(Name.fromConstantString("root-key-sentinel-is-ta-11111.example."), Type.A);
    Resolution hit = answer("root-key-sentinel-is-ta-11111.example.", SecurityStatus.SECURE);
    FakeResolver inner = new FakeResolver().cache(q, hit);
    assertEquals(Rcode.SERVFAIL, new KeySentinel(inner, ANCHORS, time).cached(q, false).rcode());
    Question other = Question.of(Name.fromConstantString("www.example."), Type.A);
    Resolution plain = answer("www.example.", SecurityStatus.SECURE);
    assertSame(plain, new KeySentinel(new FakeResolver().cache(other, plain), ANCHORS, time).cached(other, false));
  }
}
