package org.rootmirror.resolver.iterate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneLookup;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.cache.CacheConfig;
import org.rootmirror.resolver.cache.DnsCache;
import org.rootmirror.resolver.testing.FakeAuthorities;
import org.rootmirror.resolver.testing.MutableTime;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class IterativeResolverTest {
  private static final String SOA = " 3600 IN SOA ns.invalid. admin.invalid. 1 1800 900 604800 300\n";

  static final Zone ROOT = FakeAuthorities.zone(".", "." + SOA + """
      . 518400 IN NS a.root.
      a.root. 518400 IN A 192.0.2.1
      test. 172800 IN NS ns1.test.
      test. 172800 IN NS ns2.test.
      ns1.test. 172800 IN A 192.0.2.11
      ns2.test. 172800 IN A 192.0.2.12
      example. 172800 IN NS ns.example.
      ns.example. 172800 IN A 192.0.2.21
      """);
  static final Zone TEST = FakeAuthorities.zone("test.", "test." + SOA + """
      test. 3600 IN NS ns1.test.
      test. 3600 IN NS ns2.test.
      ns1.test. 3600 IN A 192.0.2.11
      ns2.test. 3600 IN A 192.0.2.12
      www.test. 3600 IN A 192.0.2.100
      alias.test. 3600 IN CNAME www.example.
      loop1.test. 3600 IN CNAME loop2.example.
      deep.a.b.c.test. 3600 IN A 192.0.2.101
      sub.test. 3600 IN NS ns.sub.test.
      ns.sub.test. 3600 IN A 192.0.2.31
      offsite.test. 3600 IN NS ns.example.
      """ + nxnsDelegation());
  static final Zone EXAMPLE = FakeAuthorities.zone("example.", "example." + SOA + """
      example. 3600 IN NS ns.example.
      ns.example. 3600 IN A 192.0.2.21
      www.example. 3600 IN A 192.0.2.200
      loop2.example. 3600 IN CNAME loop1.test.
      old.example. 3600 IN DNAME sub.test.
      """);
  static final Zone SUB = FakeAuthorities.zone("sub.test.", "sub.test." + SOA + """
      sub.test. 3600 IN NS ns.sub.test.
      ns.sub.test. 3600 IN A 192.0.2.31
      host.sub.test. 3600 IN A 192.0.2.150
      """);
  static final Zone OFFSITE = FakeAuthorities.zone("offsite.test.", "offsite.test." + SOA + """
      offsite.test. 3600 IN NS ns.example.
      data.offsite.test. 3600 IN TXT "found through an out-of-zone server name"
      """);

  /** A delegation to 30 server names that do not exist and have no glue: the NXNS attack's shape. */
  private static String nxnsDelegation() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      s.append("nxns.test. 3600 IN NS ns").append(i).append(".nowhere.example.\n");
    }
    return s.toString();
  }

  private final MutableTime time = new MutableTime();
  private final AtomicReference<RootCopy> copy = new AtomicReference<>();
  private FakeAuthorities net;
  private DnsCache cache;

  @BeforeEach
  void network() {
    net = new FakeAuthorities()
        .serve("192.0.2.1", ROOT)
        .serve("192.0.2.11", TEST).serve("192.0.2.12", TEST)
        .serve("192.0.2.21", EXAMPLE, OFFSITE)
        .serve("192.0.2.31", SUB);
    cache = new DnsCache(CacheConfig.defaults(), time);
  }

  private IterativeResolver resolver(List<InetSocketAddress> mirrors) {
    RootHints hints = RootHints.parse(". 3600000 NS a.root.\na.root. 3600000 A 192.0.2.1\n", "test hints");
    var config = new IterativeResolver.Config(copy::get, mirrors, hints, 53, IterativeResolver.Limits.defaults());
    return new IterativeResolver(config, net, cache, new ServerSelection(time, new Random(7)), time, new Random(11));
  }

  private IterativeResolver resolver() {
    return resolver(List.of());
  }

  private void localRootValidFor(Duration validity) {
    copy.set(new RootCopy(new ZoneLookup(ROOT), 1, time.instant().plus(validity)));
  }

  private static Resolution ask(IterativeResolver r, String name, int type) {
    return r.resolve(Question.of(Name.fromConstantString(name), type), false);
  }

  private static String data(Resolution r) {
    return r.answer().stream().map(s -> s.getName() + " " + Type.string(s.getType()) + " " + s.first().rdataToString())
        .reduce((a, b) -> a + " | " + b).orElse("");
  }

  @Test
  void rootQuestionsAreAnsweredFromTheLocalCopyWithoutAPacket() {
    localRootValidFor(Duration.ofDays(1));
    IterativeResolver r = resolver();
    Resolution res = ask(r, "www.test.", Type.A);
    assertEquals(Rcode.NOERROR, res.rcode());
    assertEquals("www.test. A 192.0.2.100", data(res));
    assertEquals(List.of(), net.logOf("192.0.2.1"), "no query to the root server");
    assertEquals(1, r.counters().localRootAnswers());
  }

  @Test
  void aNameUnderANonexistentTldCostsNoPacketAtAll() {
    localRootValidFor(Duration.ofDays(1));
    IterativeResolver r = resolver();
    Resolution res = ask(r, "www.example.nosuchtld.", Type.A);
    assertEquals(Rcode.NXDOMAIN, res.rcode());
    assertTrue(res.authority().stream().anyMatch(s -> s.getType() == Type.SOA && s.getName().equals(Name.root)));
    assertEquals(List.of(), net.log());
    assertEquals(0, r.counters().queriesSent());
  }

  @Test
  void withoutACopyItPrimesFromTheHintsAndAsksTheRootServers() {
    IterativeResolver r = resolver();
    Resolution res = ask(r, "www.test.", Type.A);
    assertEquals("www.test. A 192.0.2.100", data(res));
    List<FakeAuthorities.Seen> root = net.logOf("192.0.2.1");
    assertEquals(". NS", root.get(0).name() + " " + Type.string(root.get(0).type()), "priming first (RFC 8109)");
    assertEquals(1, r.counters().primings());
  }

  @Test
  void anExpiredCopyFallsBackToTheRootServersAndAValidOneIsUsedAgain() {
    localRootValidFor(Duration.ofHours(1));
    IterativeResolver r = resolver();
    time.advance(Duration.ofHours(2));
    assertEquals("www.test. A 192.0.2.100", data(ask(r, "www.test.", Type.A)));
    assertFalse(net.logOf("192.0.2.1").isEmpty(), "the expired copy was not used");

    net.clearLog();
    localRootValidFor(Duration.ofDays(1));
    assertEquals(Rcode.NXDOMAIN, ask(r, "junk.nosuchtld.", Type.A).rcode());
    assertEquals(List.of(), net.log(), "back on the local copy");
  }

  @Test
  void serversSeeOnlyTheMinimisedName() {
    IterativeResolver r = resolver();
    Resolution res = ask(r, "deep.a.b.c.test.", Type.A);
    assertEquals("deep.a.b.c.test. A 192.0.2.101", data(res));
    // RFC 9156: the root is asked only where test. is cut (NS); test.'s servers label by label
    assertEquals(List.of(". NS", "test. NS"), net.logOf("192.0.2.1").stream().map(s -> s.name() + " " + Type.string(s.type())).toList());
    List<String> toTest = net.log().stream().filter(s -> !s.server().getHostAddress().equals("192.0.2.1"))
        .map(s -> s.name() + " " + Type.string(s.type())).toList();
    assertEquals(List.of("c.test. NS", "b.c.test. NS", "a.b.c.test. NS", "deep.a.b.c.test. A"), toTest);
  }

  @Test
  void serversThatRefuseMinimisedQuestionsGetTheWholeOne() {
    // as some broken servers do for empty non-terminals
    java.util.function.Predicate<Name> emptyNonTerminals = n -> n.toString().matches("(a\\.)?(b\\.)?c\\.test\\.");
    net.refusing("192.0.2.11", emptyNonTerminals).refusing("192.0.2.12", emptyNonTerminals);
    localRootValidFor(Duration.ofDays(1));
    Resolution res = ask(resolver(), "deep.a.b.c.test.", Type.A);
    assertEquals("deep.a.b.c.test. A 192.0.2.101", data(res), String.valueOf(res.error()));
  }

  @Test
  void anUnsignedNxdomainForAnEmptyNonTerminalIsCheckedWithTheWholeName() {
    java.util.function.Predicate<Name> emptyNonTerminals = n -> n.toString().matches("(a\\.)?(b\\.)?c\\.test\\.");
    net.denying("192.0.2.11", emptyNonTerminals).denying("192.0.2.12", emptyNonTerminals);
    localRootValidFor(Duration.ofDays(1));
    Resolution res = ask(resolver(), "deep.a.b.c.test.", Type.A);
    assertEquals("deep.a.b.c.test. A 192.0.2.101", data(res), String.valueOf(res.error()));
    assertTrue(net.log().stream().anyMatch(s -> s.name().toString().equals("deep.a.b.c.test.")), "the whole name was asked");
  }

  @Test
  void anUnsignedNxdomainForTheWholeNameStands() {
    localRootValidFor(Duration.ofDays(1));
    Resolution res = ask(resolver(), "x.nothing.test.", Type.A);
    assertEquals(Rcode.NXDOMAIN, res.rcode());
    // nothing.test. is denied (unsigned), so the whole name is asked once, and denied too
    assertEquals(List.of("nothing.test. NS", "x.nothing.test. A"), net.log().stream()
        .filter(s -> !s.server().getHostAddress().equals("192.0.2.1")).map(s -> s.name() + " " + Type.string(s.type())).toList());
  }

  @Test
  void aSilentServerTimesOutAndTheNextOneAnswers() {
    net.silent("192.0.2.11");
    localRootValidFor(Duration.ofDays(1));
    IterativeResolver r = resolver();
    assertEquals("www.test. A 192.0.2.100", data(ask(r, "www.test.", Type.A)));
    assertEquals(1, net.logOf("192.0.2.12").size());
    assertTrue(r.counters().timeouts() >= 1 || net.logOf("192.0.2.11").isEmpty());
    // the timed-out server is avoided afterwards (RTT backoff)
    net.clearLog();
    assertEquals("www.test. A 192.0.2.100", data(ask(r, "www.test.", Type.A)));
    assertEquals(List.of(), net.logOf("192.0.2.11"));
  }

  @Test
  void aRefusingServerIsSkipped() {
    net.refusing("192.0.2.11");
    localRootValidFor(Duration.ofDays(1));
    for (int i = 0; i < 5; i++) {
      cache = new DnsCache(CacheConfig.defaults(), time);
      assertEquals("www.test. A 192.0.2.100", data(ask(resolver(), "www.test.", Type.A)));
    }
  }

  @Test
  void whenNoServerAnswersItIsServfailWithNoReachableAuthority() {
    net.silent("192.0.2.11").silent("192.0.2.12");
    localRootValidFor(Duration.ofDays(1));
    Resolution res = ask(resolver(), "www.test.", Type.A);
    assertEquals(Rcode.SERVFAIL, res.rcode());
    assertEquals(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY, res.error().getErrorCode());
    assertTrue(res.error().getText().contains("timed out"), res.error().getText());
  }

  @Test
  void aCnameIntoAnotherZoneIsFollowed() {
    localRootValidFor(Duration.ofDays(1));
    Resolution res = ask(resolver(), "alias.test.", Type.A);
    assertEquals("alias.test. CNAME www.example. | www.example. A 192.0.2.200", data(res));
  }

  @Test
  void aDnameIsFollowedWithItsSynthesisedCname() {
    localRootValidFor(Duration.ofDays(1));
    Resolution res = ask(resolver(), "host.old.example.", Type.A);
    assertEquals(Rcode.NOERROR, res.rcode());
    assertTrue(data(res).startsWith("old.example. DNAME sub.test."), data(res));
    assertTrue(data(res).endsWith("host.sub.test. A 192.0.2.150"), data(res));
  }

  @Test
  void aCnameLoopEndsInServfail() {
    localRootValidFor(Duration.ofDays(1));
    Resolution res = ask(resolver(), "loop1.test.", Type.A);
    assertEquals(Rcode.SERVFAIL, res.rcode());
    assertTrue(res.error().getText().contains("loop"), res.error().getText());
  }

  @Test
  void anOutOfZoneServerNameIsLookedUpFirst() {
    localRootValidFor(Duration.ofDays(1));
    IterativeResolver r = resolver();
    Resolution res = ask(r, "data.offsite.test.", Type.TXT);
    assertEquals(Rcode.NOERROR, res.rcode(), String.valueOf(res.error()));
    assertEquals(1, r.counters().nsLookups());
  }

  @Test
  void aDelegationToManyMissingServerNamesStopsAtTheNxnsCap() {
    localRootValidFor(Duration.ofDays(1));
    IterativeResolver r = resolver();
    Resolution res = ask(r, "victim.nxns.test.", Type.A);
    assertEquals(Rcode.SERVFAIL, res.rcode());
    assertEquals(IterativeResolver.Limits.defaults().nsLookups(), r.counters().nsLookups(), "stopped at the cap");
    assertTrue(net.log().size() <= IterativeResolver.Limits.defaults().queries(), net.log().size() + " queries");
  }

  @Test
  void aMirrorIsAskedBeforeThePublicRootsAndTheyTakeOverWhenItFails() {
    net.serve("192.0.2.250", ROOT);
    IterativeResolver r = resolver(List.of(new InetSocketAddress("192.0.2.250", 53)));
    assertEquals("www.test. A 192.0.2.100", data(ask(r, "www.test.", Type.A)));
    assertEquals(List.of(), net.logOf("192.0.2.1"));
    assertEquals(1, net.logOf("192.0.2.250").size());

    net.silent("192.0.2.250");
    cache = new DnsCache(CacheConfig.defaults(), time);
    IterativeResolver again = resolver(List.of(new InetSocketAddress("192.0.2.250", 53)));
    assertEquals("www.example. A 192.0.2.200", data(ask(again, "www.example.", Type.A)));
    assertFalse(net.logOf("192.0.2.1").isEmpty(), "fell back to the public root");
  }

  @Test
  void aDsQuestionGoesToTheParent() {
    localRootValidFor(Duration.ofDays(1));
    IterativeResolver r = resolver();
    Resolution res = ask(r, "sub.test.", Type.DS);
    assertEquals(Rcode.NOERROR, res.rcode());
    assertTrue(res.answer().isEmpty());
    assertEquals(List.of(), net.logOf("192.0.2.31"), "the child is not asked for its DS");
    assertTrue(res.authority().stream().map(RRset::getType).anyMatch(t -> t == Type.SOA), "NODATA from test.");
  }
}
