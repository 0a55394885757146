package org.rootmirror.resolver.iterate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rootmirror.resolver.iterate.IteratorTestNet.ask;
import static org.rootmirror.resolver.iterate.IteratorTestNet.data;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneLookup;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.cache.CacheConfig;
import org.rootmirror.resolver.cache.CacheHit;
import org.rootmirror.resolver.cache.CachedAnswer;
import org.rootmirror.resolver.cache.Credibility;
import org.rootmirror.resolver.cache.DnsCache;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.rootmirror.resolver.testing.FakeAuthorities;
import org.rootmirror.resolver.testing.MutableTime;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The DS a signed referral carries, or its denial, answers the DS question for the cut (RFC 4035
 * sections 3.1.4 and 5.2), as in Unbound and Knot Resolver: parents that answer a direct DS
 * question badly still give it in their referrals.
 */
class ReferralDsTest {
  private static final String SOA = IteratorTestNet.SOA;
  private static final String CHILD_DS = "child.sec. 3600 IN DS 12345 13 2 " + "AB".repeat(32);

  static final Zone ROOT = FakeAuthorities.zone(".", "." + SOA + """
      . 518400 IN NS a.root.
      a.root. 518400 IN A 192.0.2.1
      sec. 172800 IN NS ns.sec.
      ns.sec. 172800 IN A 192.0.2.81
      """);
  /** A parent with a signed delegation (DS) and an insecure one (NSEC at the cut, NS without DS). */
  static final Zone SEC = FakeAuthorities.zone("sec.", "sec." + SOA + """
      sec. 3600 IN NS ns.sec.
      ns.sec. 3600 IN A 192.0.2.81
      sec. 300 IN NSEC child.sec. NS SOA RRSIG NSEC
      child.sec. 3600 IN NS ns.child.sec.
      ns.child.sec. 3600 IN A 192.0.2.82
      child.sec. 300 IN NSEC insecure.sec. NS DS RRSIG NSEC
      insecure.sec. 3600 IN NS ns.insecure.sec.
      ns.insecure.sec. 3600 IN A 192.0.2.83
      insecure.sec. 300 IN NSEC sec. NS RRSIG NSEC
      """ + CHILD_DS + "\n");
  static final Zone CHILD = FakeAuthorities.zone("child.sec.", "child.sec." + SOA + """
      child.sec. 3600 IN NS ns.child.sec.
      ns.child.sec. 3600 IN A 192.0.2.82
      www.child.sec. 3600 IN A 192.0.2.180
      """);
  static final Zone INSECURE = FakeAuthorities.zone("insecure.sec.", "insecure.sec." + SOA + """
      insecure.sec. 3600 IN NS ns.insecure.sec.
      ns.insecure.sec. 3600 IN A 192.0.2.83
      www.insecure.sec. 3600 IN A 192.0.2.181
      """);

  private final MutableTime time = new MutableTime();
  private final FakeAuthorities zones = new FakeAuthorities()
      .serve("192.0.2.81", SEC).serve("192.0.2.82", CHILD).serve("192.0.2.83", INSECURE);
  private final ScriptedNet net = new ScriptedNet(zones);
  private final DnsCache cache = new DnsCache(CacheConfig.defaults(), time);

  private IterativeResolver resolver() {
    RootHints hints = RootHints.parse(". 3600000 NS a.root.\na.root. 3600000 A 192.0.2.1\n", "test hints");
    RootCopy copy = new RootCopy(new ZoneLookup(ROOT), 1, time.instant().plus(Duration.ofDays(30)));
    var config = new IterativeResolver.Config(() -> copy, List.<InetSocketAddress>of(), hints, 53, IterativeResolver.Limits.defaults());
    return new IterativeResolver(config, net, cache, new ServerSelection(time, new Random(7)), time, new Random(11));
  }

  /** The parent answers SERVFAIL to every DS question, as in Deckard's iter_dnsseclame_ds_ok. */
  private void parentFailsDsQuestions() {
    net.script("192.0.2.81", (server, query, timeout) -> query.getQuestion().getType() == Type.DS
        ? ScriptedNet.reply(query, Rcode.SERVFAIL, new int[0], List.of(), List.of(), List.of())
        : zones.exchange(server, query, timeout));
  }

  private List<String> dsQuestionsSent() {
    return net.sent().stream().filter(s -> s.query().getQuestion().getType() == Type.DS).map(ScriptedNet.Sent::question).toList();
  }

  @Test
  void theDsOfAReferralAnswersTheDsQuestionWithoutAsking() {
    parentFailsDsQuestions();
    IterativeResolver r = resolver();
    assertEquals("www.child.sec. A 192.0.2.180", data(ask(r, "www.child.sec.", Type.A)));

    Resolution ds = ask(r, "child.sec.", Type.DS);
    assertEquals(Rcode.NOERROR, ds.rcode(), String.valueOf(ds.error()));
    assertEquals("child.sec. DS " + CHILD_DS.split(" DS ")[1], data(ds));
    assertEquals(List.of(), dsQuestionsSent(), "answered from the referral");
  }

  @Test
  void theNsecOfAnInsecureReferralIsTheNodataAnswerToTheDsQuestion() {
    parentFailsDsQuestions();
    IterativeResolver r = resolver();
    assertEquals("www.insecure.sec. A 192.0.2.181", data(ask(r, "www.insecure.sec.", Type.A)));

    Resolution ds = ask(r, "insecure.sec.", Type.DS);
    assertEquals(Rcode.NOERROR, ds.rcode(), String.valueOf(ds.error()));
    assertEquals(List.of(), ds.answer());
    assertTrue(ds.authority().stream().anyMatch(s -> s.getType() == Type.NSEC && s.getName().equals(name("insecure.sec."))),
        "the NSEC at the cut, for the validator: " + ds.authority());
    assertEquals(List.of(), dsQuestionsSent(), "answered from the referral");
  }

  @Test
  void aReferralInReplyToTheDsQuestionAnswersItWithTheDsItCarries() {
    // the parent refers a DS question to the child instead of answering it
    net.script("192.0.2.81", (server, query, timeout) -> query.getQuestion().getType() == Type.DS
        ? ScriptedNet.reply(query, Rcode.NOERROR, new int[0], List.of(),
            List.of("child.sec. 3600 IN NS ns.child.sec.", CHILD_DS), List.of("ns.child.sec. 3600 IN A 192.0.2.82"))
        : zones.exchange(server, query, timeout));
    Resolution ds = ask(resolver(), "child.sec.", Type.DS);
    assertEquals(Rcode.NOERROR, ds.rcode(), String.valueOf(ds.error()));
    assertEquals("child.sec. DS " + CHILD_DS.split(" DS ")[1], data(ds));
    assertEquals(List.of("child.sec. DS"), dsQuestionsSent());
  }

  @Test
  void whatAReferralSaysOfDsIsKeptUnvalidatedBelowAnswerCredibility() {
    IterativeResolver r = resolver();
    ask(r, "www.child.sec.", Type.A);
    ask(r, "www.insecure.sec.", Type.A);
    for (String cut : List.of("child.sec.", "insecure.sec.")) {
      CacheHit hit = cache.lookup(name(cut), Type.DS, DClass.IN).orElseThrow();
      assertEquals(Credibility.AUTHORITY, hit.credibility(), cut + ": never served to clients as it is");
      assertEquals(SecurityStatus.INDETERMINATE, hit.status(), cut);
    }
    assertInstanceOf(CachedAnswer.NoData.class, cache.lookup(name("insecure.sec."), Type.DS, DClass.IN).orElseThrow().answer());
  }

  @Test
  void aValidatedDsAnswerIsNotReplacedByALaterReferral() {
    IterativeResolver r = resolver();
    Resolution first = ask(r, "www.child.sec.", Type.A);
    assertEquals(Rcode.NOERROR, first.rcode());
    var validated = cache.lookup(name("child.sec."), Type.DS, DClass.IN).orElseThrow();
    cache.storeRRset(((CachedAnswer.Positive) validated.answer()).rrset(), SecurityStatus.SECURE, Credibility.ANSWER);
    cache.invalidate(name("child.sec."), Type.NS, DClass.IN); // so the next resolution meets the referral again
    ask(r, "other.child.sec.", Type.A);
    CacheHit hit = cache.lookup(name("child.sec."), Type.DS, DClass.IN).orElseThrow();
    assertEquals(Credibility.ANSWER, hit.credibility());
    assertEquals(SecurityStatus.SECURE, hit.status());
  }

  private static Name name(String s) {
    return Name.fromConstantString(s);
  }
}
