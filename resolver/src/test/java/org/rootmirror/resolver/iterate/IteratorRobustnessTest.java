package org.rootmirror.resolver.iterate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rootmirror.resolver.iterate.IteratorTestNet.ask;
import static org.rootmirror.resolver.iterate.IteratorTestNet.data;
import static org.rootmirror.resolver.iterate.ScriptedNet.reply;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.cache.CacheHit;
import org.rootmirror.resolver.cache.CachedAnswer;
import org.rootmirror.resolver.cache.Credibility;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Broken and hostile authorities: lame and falsely authoritative replies, chain loops, expired and differing NS data. */
class IteratorRobustnessTest {
  private final IteratorTestNet t = new IteratorTestNet();

  private static final String OTHER_SOA = "other. 3600 IN SOA ns.other. admin.other. 1 1800 900 604800 300";

  /** Lame replies of each kind, as broken servers of test. give them. */
  private static final Map<String, Upstream> LAME = Map.of(
      "authoritative, with another zone's SOA", (s, q, timeout) ->
          reply(q, Rcode.NOERROR, new int[] {Flags.AA}, List.of(), List.of(OTHER_SOA), List.of()),
      "authoritative, with another zone's NS", (s, q, timeout) ->
          reply(q, Rcode.NOERROR, new int[] {Flags.AA}, List.of(), List.of("other. 3600 IN NS ns.other."), List.of()),
      "no AA, no SOA, no referral", (s, q, timeout) ->
          reply(q, Rcode.NOERROR, new int[0], List.of(), List.of(), List.of()),
      "an upward referral", (s, q, timeout) ->
          reply(q, Rcode.NOERROR, new int[0], List.of(), List.of(". 3600 IN NS a.root."), List.of()),
      "a referral to the zone itself", (s, q, timeout) ->
          reply(q, Rcode.NOERROR, new int[0], List.of(), List.of("test. 3600 IN NS ns1.test."), List.of()),
      "a recursive server's cached NODATA (RA, no AA)", (s, q, timeout) ->
          reply(q, Rcode.NOERROR, new int[] {Flags.RA}, List.of(), List.of("test." + IteratorTestNet.SOA), List.of()));

  @Test
  void lameRepliesOfEveryKindAreNotTakenAsAnswers() {
    for (var kind : LAME.entrySet()) {
      IteratorTestNet net = new IteratorTestNet();
      net.net.script("192.0.2.11", kind.getValue()).script("192.0.2.12", kind.getValue());
      IterativeResolver r = net.resolver();
      Resolution res = ask(r, "www.test.", Type.A);
      assertEquals(Rcode.SERVFAIL, res.rcode(), kind.getKey() + ": " + data(res));
      assertEquals(2, r.counters().lameReplies(), kind.getKey());
      assertTrue(net.cache.lookup(Name.fromConstantString("other."), Type.NS, DClass.IN).isEmpty(), "nothing of it kept");
    }
  }

  @Test
  void aLameServerIsSkippedForTheOneThatServesTheZone() {
    for (var kind : LAME.entrySet()) {
      for (String lame : List.of("192.0.2.11", "192.0.2.12")) {
        IteratorTestNet net = new IteratorTestNet();
        net.net.script(lame, kind.getValue());
        Resolution res = ask(net.resolver(), "www.test.", Type.A);
        assertEquals("www.test. A 192.0.2.100", data(res), kind.getKey() + " at " + lame + ": " + res.error());
      }
    }
  }

  @Test
  void aServerLameOnlyForAaaaIsSkippedForAaaaAndUsedForA() {
    Upstream lameForAaaa = (s, q, timeout) -> q.getQuestion().getType() == Type.AAAA
        ? reply(q, Rcode.NOERROR, new int[0], List.of(), List.of(". 3600 IN NS a.root."), List.of())
        : t.zones.exchange(s, q, timeout);
    t.net.script("192.0.2.11", lameForAaaa).script("192.0.2.12", lameForAaaa);
    IterativeResolver r = t.resolver();
    assertEquals("www.test. A 192.0.2.100", data(ask(r, "www.test.", Type.A)));
    assertEquals(Rcode.SERVFAIL, ask(r, "www.test.", Type.AAAA).rcode(), "an upward referral is no NODATA");
  }

  @Test
  void aReferralWronglyMarkedAuthoritativeIsFollowed() {
    Upstream alwaysAa = (s, q, timeout) -> {
      Message m = t.zones.exchange(s, q, timeout);
      m.getHeader().setFlag(Flags.AA);
      return m;
    };
    t.net.script("192.0.2.11", alwaysAa).script("192.0.2.12", alwaysAa);
    Resolution res = ask(t.resolver(), "host.sub.test.", Type.A);
    assertEquals("host.sub.test. A 192.0.2.150", data(res), String.valueOf(res.error()));
  }

  @Test
  void anRrsigQuestionIsAnsweredWithTheSignaturesAlone() {
    String sig = "www.test. 3600 IN RRSIG A 8 2 3600 20300101000000 20200101000000 12345 test. AAECAw==";
    Upstream signed = (s, q, timeout) -> q.getQuestion().getType() == Type.RRSIG
        ? reply(q, Rcode.NOERROR, new int[] {Flags.AA}, List.of(sig, "www.test. 3600 IN RRSIG TXT 8 2 3600 20300101000000 20200101000000 12345 test. AAECAw==",
            "other.test. 3600 IN RRSIG A 8 2 3600 20300101000000 20200101000000 12345 test. AAECAw=="), List.of(), List.of())
        : t.zones.exchange(s, q, timeout);
    t.net.script("192.0.2.11", signed).script("192.0.2.12", signed);
    Resolution res = ask(t.resolver(), "www.test.", Type.RRSIG);
    assertEquals(Rcode.NOERROR, res.rcode(), String.valueOf(res.error()));
    assertEquals(2, res.answer().size(), "one RRset of signatures per type covered, nothing for other.test.");
    assertTrue(res.answer().stream().allMatch(set -> set.size() == 0 && set.sigs().size() == 1 && set.getName().toString().equals("www.test.")));
  }

  @Test
  void aTypeZeroQuestionUnderADelegationIsAskedLikeAnyType() {
    Resolution res = ask(t.resolver(), "www.test.", 0);
    assertEquals(Rcode.NOERROR, res.rcode(), String.valueOf(res.error()));
    assertTrue(res.answer().isEmpty());
  }

  @Test
  void twoDnamesThatMapIntoEachOtherEndInServfail() {
    Resolution res = ask(t.resolver(), "x.a.loop.", Type.A);
    assertEquals(Rcode.SERVFAIL, res.rcode(), data(res));
    assertTrue(res.error().getText().contains("loop"), res.error().getText());
    // RFC 1034 section 3.6.2: the loop is signalled, its records shown
    assertEquals("a.loop. DNAME b.loop. | x.a.loop. CNAME x.b.loop. | b.loop. DNAME a.loop. | x.b.loop. CNAME x.a.loop.", data(res));
  }

  @Test
  void aDnameWhoseSubstitutionIsTooLongIsYxdomain() {
    String label = "a".repeat(60);
    String target = label + "." + label + "." + label + "." + label + ".test.";
    t.net.script("192.0.2.61", (s, q, timeout) -> reply(q, Rcode.YXDOMAIN, new int[] {Flags.AA},
        List.of("long.loop. 3600 IN DNAME " + target), List.of(), List.of()));
    Resolution res = ask(t.resolver(), label + ".long.loop.", Type.A);
    assertEquals(Rcode.YXDOMAIN, res.rcode(), String.valueOf(res.error()));
    assertEquals("long.loop. DNAME " + target, data(res));
  }

  @Test
  void aDnameThatMapsIntoItselfEndsInServfail() {
    Resolution res = ask(t.resolver(), "x.self.loop.", Type.A);
    assertEquals(Rcode.SERVFAIL, res.rcode(), data(res));
  }

  @Test
  void aCnameLoopInsideOneAnswerEndsInServfail() {
    Resolution res = ask(t.resolver(), "c1.loop.", Type.A);
    assertEquals(Rcode.SERVFAIL, res.rcode(), data(res));
    assertTrue(res.error().getText().contains("loop"), res.error().getText());
  }

  @Test
  void anNsAddressThatExpiredIsLookedUpAgain() {
    IterativeResolver r = t.resolver();
    assertEquals(Rcode.NOERROR, ask(r, "data.offsite.test.", Type.TXT).rcode());
    assertEquals(1, r.counters().nsLookups());
    t.cache.invalidate(Name.fromConstantString("ns.example."), Type.A, DClass.IN);
    Resolution again = ask(r, "data.offsite.test.", Type.TXT);
    assertEquals(Rcode.NOERROR, again.rcode(), String.valueOf(again.error()));
    assertEquals(2, r.counters().nsLookups(), "looked up again");
  }

  @Test
  void anAliasNsNameWhoseGlueExpiredIsFollowedThroughTheCachedCname() {
    // like Unbound's iter_cname_cache: ns.cn. is an alias; its glue (TTL 1) runs out, and the
    // zone's other server refuses everything
    IterativeResolver r = t.resolver();
    assertEquals("www.cn. A 192.0.2.170", data(ask(r, "www.cn.", Type.A)));
    // what the cache layer keeps after a client asked for ns.cn.
    t.cache.storeRRset(new RRset(ScriptedNet.rr("ns.cn. 3600 IN CNAME ns.example.")), SecurityStatus.INSECURE, Credibility.ANSWER);
    t.time.advance(Duration.ofSeconds(5));
    Resolution res = ask(r, "www.cn.", Type.A);
    assertEquals("www.cn. A 192.0.2.170", data(res), String.valueOf(res.error()));
    assertTrue(t.questionsTo("192.0.2.21").contains("www.cn. A"), "asked at the alias's address");
  }

  @Test
  void theChildsOwnNsSetReplacesTheParentsDelegationAndBothWork() {
    // the child (sub.test.) lists one more server than the parent's referral
    Upstream child = (s, q, timeout) -> {
      Name name = q.getQuestion().getName();
      if (name.equals(Name.fromConstantString("sub.test.")) && q.getQuestion().getType() == Type.NS) {
        return reply(q, Rcode.NOERROR, new int[] {Flags.AA}, List.of("sub.test. 3600 IN NS ns.sub.test.", "sub.test. 3600 IN NS ns3.sub.test."),
            List.of(), List.of("ns.sub.test. 3600 IN A 192.0.2.31", "ns3.sub.test. 3600 IN A 192.0.2.33"));
      }
      return t.zones.exchange(s, q, timeout);
    };
    t.zones.serve("192.0.2.33", IterativeResolverTest.SUB);
    t.net.script("192.0.2.31", child).script("192.0.2.33", child);
    IterativeResolver r = t.resolver();
    assertEquals("host.sub.test. A 192.0.2.150", data(ask(r, "host.sub.test.", Type.A)), "through the parent's delegation");
    assertEquals(Rcode.NOERROR, ask(r, "sub.test.", Type.NS).rcode());

    CacheHit ns = t.cache.lookup(Name.fromConstantString("sub.test."), Type.NS, DClass.IN).orElseThrow();
    assertEquals(Credibility.AUTHORITATIVE_AUTHORITY, ns.credibility());
    assertEquals(2, ((CachedAnswer.Positive) ns.answer()).rrset().size(), "the child's NS set");
    // RFC 2181 section 5.4.1: the parent's copy does not displace the child's
    RRset parents = new RRset(new NSRecord(Name.fromConstantString("sub.test."), DClass.IN, 3600, Name.fromConstantString("ns.sub.test.")));
    assertFalse(t.cache.storeRRset(parents, SecurityStatus.INDETERMINATE, Credibility.AUTHORITY));

    t.net.script("192.0.2.31", (s, q, timeout) -> { throw new java.net.SocketTimeoutException("down"); });
    assertEquals("host.sub.test. A 192.0.2.150", data(ask(r, "host.sub.test.", Type.A)), "through the child's other server");
    assertFalse(t.questionsTo("192.0.2.33").isEmpty());
  }

  /** sub.test.'s server, adding to each answer the NS set and addresses given. */
  private Upstream childSaying(List<String> ns, List<String> addresses) {
    return (s, q, timeout) -> {
      Message m = t.zones.exchange(s, q, timeout);
      if (m.getHeader().getFlag(Flags.AA) && !m.getSection(org.xbill.DNS.Section.ANSWER).isEmpty()) {
        ns.forEach(r -> m.addRecord(ScriptedNet.rr(r), org.xbill.DNS.Section.AUTHORITY));
        addresses.forEach(r -> m.addRecord(ScriptedNet.rr(r), org.xbill.DNS.Section.ADDITIONAL));
      }
      return m;
    };
  }

  @Test
  void theChildsAddressForAServerDoesNotReplaceTheParentsGlue() {
    // like Deckard's iter_pc_a: the parent's glue is right, the child's address is a dead server
    t.zones.refusing("192.0.2.35");
    t.net.script("192.0.2.31", childSaying(List.of("sub.test. 3600 IN NS ns.sub.test."), List.of("ns.sub.test. 3600 IN A 192.0.2.35")));
    IterativeResolver r = t.resolver();
    assertEquals("host.sub.test. A 192.0.2.150", data(ask(r, "host.sub.test.", Type.A)));
    assertEquals("host.sub.test. A 192.0.2.150", data(ask(r, "host.sub.test.", Type.A)));
    assertEquals(List.of(), t.questionsTo("192.0.2.35"));
  }

  @Test
  void whenTheChildsOwnServersAllFailTheParentsDelegationIsUsedAgain() {
    t.zones.refusing("192.0.2.39");
    t.net.script("192.0.2.31", childSaying(List.of("sub.test. 3600 IN NS ns9.sub.test."), List.of("ns9.sub.test. 3600 IN A 192.0.2.39")));
    IterativeResolver r = t.resolver();
    assertEquals("host.sub.test. A 192.0.2.150", data(ask(r, "host.sub.test.", Type.A)));
    Resolution again = ask(r, "host.sub.test.", Type.A);
    assertEquals("host.sub.test. A 192.0.2.150", data(again), String.valueOf(again.error()));
    assertFalse(t.questionsTo("192.0.2.39").isEmpty(), "the child's NS set was tried first");
  }

  @Test
  void theParentsGlueForAServerNameIsUsedWhenLookingTheNameUpFails() {
    // like Deckard's iter_pcdirect: ns.example.'s own server answers its address with a bogus
    // referral, but the root's glue for it works
    t.net.script("192.0.2.21", (s, q, timeout) -> q.getQuestion().getName().equals(Name.fromConstantString("ns.example."))
        ? reply(q, Rcode.NOERROR, new int[] {Flags.RA}, List.of(), List.of("ns.example. 3600 IN NS 1.2.3.4.example."), List.of())
        : t.zones.exchange(s, q, timeout));
    Resolution res = ask(t.resolver(), "data.offsite.test.", Type.TXT);
    assertEquals(Rcode.NOERROR, res.rcode(), String.valueOf(res.error()));
    assertTrue(t.questionsTo("192.0.2.21").contains("data.offsite.test. TXT"));
  }

  @Test
  void denialRecordsBesideAnAnswerAreKeptOnlyForAWildcardExpansion() {
    // a server that adds an NSEC to every answer: beside plain data it proves nothing and is
    // dropped; beside data whose RRSIG shows a wildcard expansion (labels 2 for a.b.test.) it is
    // the proof that the name itself does not exist (RFC 4035 section 5.3.4), and is kept
    String nsec = "www.test. 3600 IN NSEC zzz.test. A RRSIG NSEC";
    String sig = " 3600 IN RRSIG A 13 %d 3600 20300101000000 20200101000000 1 test. AAAA";
    Upstream withNsec = (s, q, timeout) -> {
      Name name = q.getQuestion().getName();
      String owner = name.toString();
      int labels = name.equals(Name.fromConstantString("a.b.test.")) ? 2 : name.labels() - 1;
      return reply(q, Rcode.NOERROR, new int[] {Flags.AA}, List.of(owner + " 3600 IN A 192.0.2.7", owner + sig.formatted(labels)),
          List.of(nsec), List.of());
    };
    t.net.script("192.0.2.11", withNsec).script("192.0.2.12", withNsec);
    IterativeResolver r = t.resolver();
    assertTrue(ask(r, "www.test.", Type.A).authority().isEmpty(), "no proof beside plain data");
    assertEquals(List.of(Type.NSEC), ask(r, "a.b.test.", Type.A).authority().stream().map(RRset::getType).toList());
  }

  @Test
  void aNegativeAnswerKeepsTheZonesOwnNsButNoOtherNs() {
    Upstream nxdomain = (s, q, timeout) -> reply(q, Rcode.NXDOMAIN, new int[] {Flags.AA}, List.of(),
        List.of(("test." + IteratorTestNet.SOA).strip(), "test. 3600 IN NS ns1.test.", "other. 3600 IN NS ns.other."), List.of());
    t.net.script("192.0.2.11", nxdomain).script("192.0.2.12", nxdomain);
    Resolution res = ask(t.resolver(), "nx.test.", Type.A);
    assertEquals(Rcode.NXDOMAIN, res.rcode());
    assertEquals(List.of("test. SOA", "test. NS"), res.authority().stream().map(a -> a.getName() + " " + Type.string(a.getType())).toList());
  }

  @Test
  void theChildsNsNeverKeepsADelegationAlivePastTheParentsTtl() {
    // ghost domain names (CVE-2012-1033): the child's NS, sent with a long TTL in every answer,
    // replaces the parent's delegation but only for what is left of it
    Upstream longLived = (s, q, timeout) -> reply(q, Rcode.NOERROR, new int[] {Flags.AA},
        List.of(q.getQuestion().getName() + " 3600 IN A 192.0.2.100"), List.of("test. 604800 IN NS ns1.test."), List.of());
    t.net.script("192.0.2.11", longLived).script("192.0.2.12", longLived);
    IterativeResolver r = t.resolver();
    ask(r, "www.test.", Type.A);
    long left = t.cache.lookup(Name.fromConstantString("test."), Type.NS, DClass.IN).orElseThrow().ttl();
    t.time.advanceSeconds(600);
    ask(r, "other.test.", Type.A);
    var ns = t.cache.lookup(Name.fromConstantString("test."), Type.NS, DClass.IN).orElseThrow();
    assertTrue(ns.ttl() <= left - 600, "the delegation lives " + ns.ttl() + " s more, of " + left);
  }
}
