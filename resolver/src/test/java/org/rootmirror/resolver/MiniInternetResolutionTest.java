package org.rootmirror.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.net.SocketTimeoutException;
import org.rootmirror.resolver.iterate.Upstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rootmirror.resolver.iterate.RootCopy;
import org.rootmirror.resolver.iterate.SocketUpstream;
import org.rootmirror.resolver.testing.LoopbackResolver;
import org.rootmirror.resolver.testing.MiniInternet;
import org.rootmirror.resolver.testing.MutableTime;
import org.rootmirror.resolver.testing.QueryLog;
import org.rootmirror.sync.server.Transport;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The whole resolver (front end, cache, validator, iterator, sockets) against the mini-internet:
 * the list of behaviours, each seen from a client and from what the authorities received.
 */
class MiniInternetResolutionTest {
  private static MiniInternet net;

  private final MutableTime time = new MutableTime(Instant.now());
  private final AtomicReference<RootCopy> copy = new AtomicReference<>();
  /** Turned on, every authority stops answering: an outage between the resolver and the internet. */
  private final AtomicBoolean outage = new AtomicBoolean();
  private LoopbackResolver resolver;
  private ResolverStack stack;

  @BeforeAll
  static void startInternet() throws IOException {
    net = MiniInternet.builder().slowDelay(Duration.ofSeconds(2)).start();
  }

  @AfterAll
  static void stopInternet() throws IOException {
    net.close();
  }

  @BeforeEach
  void startResolver() throws IOException {
    copy.set(localRoot(Duration.ofDays(7)));
    SocketUpstream sockets = new SocketUpstream();
    Upstream upstream = (server, query, timeout) -> {
      if (outage.get()) {
        throw new SocketTimeoutException("outage");
      }
      return sockets.exchange(server, query, timeout);
    };
    resolver = LoopbackResolver.start(net, copy::get, upstream, time);
    stack = resolver.stack();
    net.clearLog();
  }

  @AfterEach
  void stopResolver() throws IOException {
    resolver.close();
  }

  private RootCopy localRoot(Duration validity) {
    return LoopbackResolver.rootCopy(net, time.instant().plus(validity));
  }

  private Message ask(String name, int type) throws IOException {
    return ask(name, type, false);
  }

  private Message ask(String name, int type, boolean tcp) throws IOException {
    return resolver.ask(name, type, tcp);
  }

  private static String answer(Message m) {
    return m.getSection(Section.ANSWER).stream().filter(r -> r.getType() != Type.RRSIG)
        .map(r -> r.getName() + " " + Type.string(r.getType()) + " " + r.rdataToString()).sorted()
        .reduce((a, b) -> a + " | " + b).orElse("");
  }

  private static ExtendedErrorCodeOption ede(Message m) {
    OPTRecord opt = m.getOPT();
    assertNotNull(opt, "the response has an OPT record");
    for (EDNSOption o : opt.getOptions()) {
      if (o instanceof ExtendedErrorCodeOption e) {
        return e;
      }
    }
    return null;
  }

  private static boolean ad(Message m) {
    return m.getHeader().getFlag(Flags.AD);
  }

  @Test
  void aSecureAnswerHasTheAdBit() throws IOException {
    Message m = ask("host.sec.test.", Type.A);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertFalse(answer(m).isEmpty());
    assertTrue(ad(m), m.toString());
    assertTrue(m.getSection(Section.ANSWER).stream().anyMatch(r -> r.getType() == Type.RRSIG), "RRSIGs with DO");
  }

  @Test
  void aBogusSignatureGivesServfailWithAnExtendedError() throws IOException {
    Message m = ask("www.bogus.test.", Type.A);
    assertEquals(Rcode.SERVFAIL, m.getRcode());
    ExtendedErrorCodeOption e = ede(m);
    assertNotNull(e, "an Extended DNS Error");
    assertEquals(ExtendedErrorCodeOption.DNSSEC_BOGUS, e.getErrorCode(), e.toString());
    // the valid name next to it still resolves, securely
    Message ok = ask("ok.bogus.test.", Type.A);
    assertEquals(Rcode.NOERROR, ok.getRcode());
    assertTrue(ad(ok));
  }

  @Test
  void checkingDisabledHandsBackTheBogusData() throws IOException {
    Message query = Message.newQuery(Record.newRecord(Name.fromConstantString("www.bogus.test."), Type.A, DClass.IN));
    query.getHeader().setFlag(Flags.CD);
    Message m = resolver.send(query, false);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertEquals("www.bogus.test. A 192.0.2.66", answer(m));
    assertFalse(ad(m));
  }

  @Test
  void anInsecureDelegationResolvesWithoutAd() throws IOException {
    Message m = ask("www.unsigned.test.", Type.A);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertFalse(answer(m).isEmpty());
    assertFalse(ad(m));
  }

  @Test
  void aNameUnderANonexistentTldIsAnsweredWithNoUpstreamPacket() throws IOException {
    Message m = ask("www.example.nosuchtld.", Type.A);
    assertEquals(Rcode.NXDOMAIN, m.getRcode());
    assertTrue(ad(m), "validated from the root's NSEC records");
    assertEquals(List.of(), net.queries());
    // and another name in the same gap comes from the root NSEC records (RFC 8198)
    Message again = ask("other.nosuchtld.", Type.AAAA);
    assertEquals(Rcode.NXDOMAIN, again.getRcode());
    assertEquals(List.of(), net.queries());
    assertTrue(stack.cache().synthesised() >= 1);
  }

  @Test
  void anExpiredRootCopyFallsBackToTheHintsThenReturnsToTheCopy() throws IOException {
    copy.set(localRoot(Duration.ofHours(-1)));
    Message m = ask("www.test.", Type.A);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertTrue(ad(m));
    assertFalse(net.queriesTo(net.rootServers().get(0)).isEmpty() && net.queriesTo(net.rootServers().get(1)).isEmpty(),
        "the root servers were asked");

    copy.set(localRoot(Duration.ofDays(1)));
    net.clearLog();
    assertEquals(Rcode.NOERROR, ask("mail.sec.test.", Type.A).getRcode());
    for (InetAddress root : net.rootServers()) {
      assertEquals(List.of(), net.queriesTo(root), "back on the local copy");
    }
  }

  @Test
  void aTruncatedAnswerIsAskedAgainOverTcp() throws IOException {
    Message m = ask("big.sec.test.", Type.TXT, true);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertEquals(8, m.getSection(Section.ANSWER).stream().filter(r -> r.getType() == Type.TXT).count());
    List<QueryLog.Entry> big = net.queries().stream().filter(e -> e.qname().toString().equals("big.sec.test.")).toList();
    assertEquals(Transport.UDP, big.get(0).transport());
    assertTrue(big.stream().anyMatch(e -> e.transport() == Transport.TCP), big.toString());
  }

  @Test
  void anUnreachableServerTimesOutAndTheOtherAnswers() throws IOException {
    Message m = ask("www.insecure.", Type.A);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertFalse(answer(m).isEmpty());
  }

  @Test
  void aLameServerIsPassedOver() throws IOException {
    Message m = ask("host.example.", Type.A);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertTrue(ad(m));
  }

  @Test
  void aChainAcrossThreeZonesIsFollowedAndValidated() throws IOException {
    Message m = ask("www.sec.test.", Type.A);
    assertEquals(Rcode.NOERROR, m.getRcode());
    String a = answer(m);
    assertTrue(a.contains("www.sec.test. CNAME www.example.") && a.contains("host.child.nsec3. A 192.0.2.51"), a);
    assertTrue(ad(m), m.toString());
  }

  @Test
  void aDnameIsFollowed() throws IOException {
    Message m = ask("host.old.example.", Type.A);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertTrue(answer(m).contains("old.example. DNAME sec.test."), answer(m));
    assertTrue(answer(m).contains("host.sec.test. A"), answer(m));
  }

  @Test
  void aWildcardAnswerIsSecure() throws IOException {
    Message m = ask("anything.wild.sec.test.", Type.A);
    assertEquals("anything.wild.sec.test. A 192.0.2.77", answer(m));
    assertTrue(ad(m));
  }

  @Test
  void nsec3DenialIsSecure() throws IOException {
    Message m = ask("nothing.nsec3.", Type.A);
    assertEquals(Rcode.NXDOMAIN, m.getRcode());
    assertTrue(ad(m), m.toString());
    Message nodata = ask("host.nsec3.", Type.TXT);
    assertEquals(Rcode.NOERROR, nodata.getRcode());
    assertEquals("", answer(nodata));
    assertTrue(ad(nodata), nodata.toString());
  }

  @Test
  void optOutGivesAnInsecureAnswer() throws IOException {
    Message m = ask("www.legacy.child.nsec3.", Type.A);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertFalse(answer(m).isEmpty());
    assertFalse(ad(m));
  }

  @Test
  void authoritiesSeeMinimisedNames() throws IOException {
    copy.set(null); // so the root servers are asked too
    assertEquals(Rcode.NOERROR, ask("host.sec.test.", Type.A).getRcode());
    for (InetAddress root : net.rootServers()) {
      for (QueryLog.Entry e : net.queriesTo(root)) {
        assertTrue(e.qname().labels() <= 2, "the root saw only a TLD: " + e);
      }
    }
    List<QueryLog.Entry> toTest = net.queries().stream()
        .filter(e -> e.server().equals(net.address("ns1.test.")) || e.server().equals(net.address("ns2.test."))).toList();
    assertFalse(toTest.isEmpty());
    for (QueryLog.Entry e : toTest) {
      assertFalse(e.qname().toString().equals("host.sec.test."), "test.'s servers never saw the full name: " + e);
    }
  }

  @Test
  void expiredDataIsServedWhenTheAuthoritiesAreGone() throws IOException {
    Message fresh = ask("www.unsigned.test.", Type.A);
    assertEquals(Rcode.NOERROR, fresh.getRcode());
    long ttl = fresh.getSection(Section.ANSWER).get(0).getTTL();
    // past the answer's TTL (inside the one-day stale window), and the authorities stop answering
    time.advanceSeconds(ttl + 60);
    copy.set(localRoot(Duration.ofDays(7)));
    outage.set(true);
    Message m = ask("www.unsigned.test.", Type.A);
    assertEquals(Rcode.NOERROR, m.getRcode(), m.toString());
    assertEquals(answer(fresh), answer(m));
    assertEquals(30, m.getSection(Section.ANSWER).get(0).getTTL(), "RFC 8767 section 4: stale TTL 30");
    ExtendedErrorCodeOption e = ede(m);
    assertNotNull(e, "marked stale");
    assertEquals(ExtendedErrorCodeOption.STALE_ANSWER, e.getErrorCode());
    // a name never seen before fails as it should
    assertEquals(Rcode.SERVFAIL, ask("host.sec.test.", Type.A).getRcode());
  }
}
