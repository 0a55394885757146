package org.rootmirror.resolver.iterate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rootmirror.resolver.iterate.IteratorTestNet.ask;
import static org.rootmirror.resolver.iterate.IteratorTestNet.data;
import static org.rootmirror.resolver.iterate.ScriptedNet.reply;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.ResolverStack;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** The iterator's options, named after Unbound's: qname-minimisation, forward-zone, do-not-query-localhost, harden-glue. */
class IteratorOptionsTest {
  private final IteratorTestNet t = new IteratorTestNet();
  private static final Predicate<Name> EMPTY_NON_TERMINALS = n -> n.toString().matches("(a\\.)?(b\\.)?c\\.test\\.");

  @Test
  void minimisationOffAsksTheWholeNameAtEveryCut() {
    IterativeResolver r = t.resolver(c -> c.withQnameMinimisation(QnameMinimisation.OFF));
    assertEquals("deep.a.b.c.test. A 192.0.2.101", data(ask(r, "deep.a.b.c.test.", Type.A)));
    assertEquals(List.of("deep.a.b.c.test. A"), t.net.sent().stream().map(ScriptedNet.Sent::question).toList());
  }

  @Test
  void strictMinimisationTakesAnUnsignedNxdomainForAnEmptyNonTerminalAsFinal() {
    t.zones.denying("192.0.2.11", EMPTY_NON_TERMINALS).denying("192.0.2.12", EMPTY_NON_TERMINALS);
    Resolution res = ask(t.resolver(c -> c.withQnameMinimisation(QnameMinimisation.STRICT)), "deep.a.b.c.test.", Type.A);
    assertEquals(Rcode.NXDOMAIN, res.rcode());
    assertTrue(t.net.sent().stream().noneMatch(s -> s.question().startsWith("deep.")), "the whole name was never sent");
  }

  @Test
  void strictMinimisationDoesNotFallBackWhenAMinimisedQuestionFails() {
    t.zones.refusing("192.0.2.11", EMPTY_NON_TERMINALS).refusing("192.0.2.12", EMPTY_NON_TERMINALS);
    Resolution res = ask(t.resolver(c -> c.withQnameMinimisation(QnameMinimisation.STRICT)), "deep.a.b.c.test.", Type.A);
    assertEquals(Rcode.SERVFAIL, res.rcode());
    assertTrue(t.net.sent().stream().noneMatch(s -> s.question().startsWith("deep.")), "the whole name was never sent");
  }

  @Test
  void relaxedMinimisationAsksTheWholeNameWhenMinimisedQuestionsTimeOut() {
    Upstream silentForEmptyNonTerminals = (server, query, timeout) -> {
      if (EMPTY_NON_TERMINALS.test(query.getQuestion().getName())) {
        throw new SocketTimeoutException("no answer for an empty non-terminal");
      }
      return t.zones.exchange(server, query, timeout);
    };
    t.net.script("192.0.2.11", silentForEmptyNonTerminals).script("192.0.2.12", silentForEmptyNonTerminals);
    Resolution res = ask(t.resolver(), "deep.a.b.c.test.", Type.A);
    assertEquals("deep.a.b.c.test. A 192.0.2.101", data(res), String.valueOf(res.error()));
  }

  /** A forwarder that answers every A question with {@code address}, recursively (RA, no AA). */
  private Upstream forwarder(String address) {
    return (server, query, timeout) -> {
      String name = query.getQuestion().getName().toString();
      List<String> answer = query.getQuestion().getType() == Type.A ? List.of(name + " 300 IN A " + address) : List.of();
      List<String> authority = answer.isEmpty() ? List.of("test." + IteratorTestNet.SOA) : List.of();
      return reply(query, Rcode.NOERROR, new int[] {Flags.RA}, answer, authority, List.of());
    };
  }

  @Test
  void namesInAForwardZoneGoToItsForwardersWithRecursionDesiredAndTheMostSpecificZoneWins() {
    t.net.script("192.0.2.98", forwarder("192.0.2.198")).script("192.0.2.99", forwarder("192.0.2.199"));
    var zones = List.of(
        new ForwardZone(Name.root, List.of(new InetSocketAddress("192.0.2.98", 53))),
        new ForwardZone(Name.fromConstantString("test."), List.of(new InetSocketAddress("192.0.2.99", 5353))));
    IterativeResolver r = t.resolver(c -> c.withForwardZones(zones));
    assertEquals("www.test. A 192.0.2.199", data(ask(r, "www.test.", Type.A)));
    assertEquals("www.example. A 192.0.2.198", data(ask(r, "www.example.", Type.A)));
    // a DS question belongs to the parent side (RFC 4035 section 3.1.4.1): sub.test.'s to test.
    assertEquals(Rcode.NOERROR, ask(r, "sub.test.", Type.DS).rcode());
    assertEquals(List.of("www.test. A", "sub.test. DS"), t.questionsTo("192.0.2.99"));
    assertEquals(List.of("www.example. A"), t.questionsTo("192.0.2.98"));
    for (ScriptedNet.Sent s : t.net.sent()) {
      assertTrue(s.query().getHeader().getFlag(Flags.RD), "RD=1 to a forwarder: " + s.question());
      assertTrue(s.query().getHeader().getFlag(Flags.CD), "CD=1: the validator above checks");
    }
    assertEquals(5353, t.net.sentTo("192.0.2.99").get(0).server().getPort());
    assertEquals(0, r.counters().localRootAnswers(), "nothing iterated, not even the root");
  }

  @Test
  void theStackOptionsReachTheIterator() {
    ResolverStack.Options defaults = ResolverStack.Options.defaults();
    assertEquals(QnameMinimisation.RELAXED, defaults.iteration().qnameMinimisation());
    assertEquals(List.of(), defaults.iteration().forwardZones());
    assertTrue(defaults.iteration().hardenGlue());
    assertFalse(defaults.iteration().doNotQueryLocalhost(), "today's behaviour; Unbound's default is yes");

    t.net.script("192.0.2.98", forwarder("192.0.2.198"));
    ResolverStack stack = ResolverStack.build(
        defaults.withForwardZones(List.of(new ForwardZone(Name.root, List.of(new InetSocketAddress("192.0.2.98", 53)))))
            .withQnameMinimisation(QnameMinimisation.STRICT).withDoNotQueryLocalhost(true).withHardenGlue(false),
        () -> null, org.rootmirror.dnssec.anchor.TrustAnchors.of(List.of()), t.net, t.time);
    Resolution res = stack.iterator().resolve(org.rootmirror.resolver.Question.of(Name.fromConstantString("www.test."), Type.A), false);
    assertEquals("www.test. A 192.0.2.198", data(res));
  }

  @Test
  void aForwarderThatAnswersWithAReferralIsNotUsed() {
    t.net.script("192.0.2.98", (server, query, timeout) ->
        reply(query, Rcode.NOERROR, new int[0], List.of(), List.of("test. 3600 IN NS ns1.test."), List.of()));
    IterativeResolver r = t.resolver(c -> c.withForwardZones(List.of(new ForwardZone(Name.root, List.of(new InetSocketAddress("192.0.2.98", 53))))));
    Resolution res = ask(r, "www.test.", Type.A);
    assertEquals(Rcode.SERVFAIL, res.rcode());
    assertTrue(res.error().getText().contains("not a recursive server"), res.error().getText());
  }

  @Test
  void withDoNotQueryLocalhostALoopbackAddressFromAReferralIsNeverAsked() {
    IterativeResolver r = t.resolver(c -> c.withDoNotQueryLocalhost(true));
    for (int i = 0; i < 3; i++) {
      assertEquals("www.loc. A 192.0.2.140", data(ask(r, "www.loc.", Type.A)));
    }
    assertEquals(List.of(), t.questionsTo("127.0.0.2"));

    Resolution onlyLoopback = ask(r, "www.onlylo.", Type.A);
    assertEquals(Rcode.SERVFAIL, onlyLoopback.rcode());
    assertEquals(List.of(), t.questionsTo("127.0.0.3"));
  }

  @Test
  void withoutDoNotQueryLocalhostLoopbackServersAreAsked() {
    assertEquals("www.onlylo. A 192.0.2.141", data(ask(t.resolver(c -> c.withDoNotQueryLocalhost(false)), "www.onlylo.", Type.A)));
    assertEquals(List.of("www.onlylo. A"), t.questionsTo("127.0.0.3"));
  }

  @Test
  void aConfiguredForwarderOnLoopbackIsAskedDespiteDoNotQueryLocalhost() {
    t.net.script("127.0.0.1", forwarder("192.0.2.197"));
    IterativeResolver r = t.resolver(c -> c.withDoNotQueryLocalhost(true)
        .withForwardZones(List.of(new ForwardZone(Name.root, List.of(new InetSocketAddress("127.0.0.1", 5353))))));
    assertEquals("www.test. A 192.0.2.197", data(ask(r, "www.test.", Type.A)));
  }

  /** test.'s servers delegate glue.test. to a server named outside test., with its address as glue. */
  private void outOfBailiwickGlue() {
    Upstream withGlue = (server, query, timeout) -> {
      Name q = query.getQuestion().getName();
      if (q.subdomain(Name.fromConstantString("glue.test."))) {
        return reply(query, Rcode.NOERROR, new int[0], List.of(), List.of("glue.test. 3600 IN NS ns.elsewhere.example."),
            List.of("ns.elsewhere.example. 3600 IN A 192.0.2.77"));
      }
      return t.zones.exchange(server, query, timeout);
    };
    t.net.script("192.0.2.11", withGlue).script("192.0.2.12", withGlue);
    t.net.script("192.0.2.77", (server, query, timeout) -> reply(query, Rcode.NOERROR, new int[] {Flags.AA},
        List.of("www.glue.test. 3600 IN A 192.0.2.177"), List.of(), List.of()));
  }

  @Test
  void hardenedGlueOutsideTheDelegatedZoneIsNotUsed() {
    outOfBailiwickGlue();
    Resolution res = ask(t.resolver(c -> c.withHardenGlue(true)), "www.glue.test.", Type.A);
    assertEquals(Rcode.SERVFAIL, res.rcode(), data(res));
    assertEquals(List.of(), t.questionsTo("192.0.2.77"), "the glue was not believed");
    assertTrue(t.questionsTo("192.0.2.21").contains("ns.elsewhere.example. A"), "the name was looked up instead");
  }

  @Test
  void withoutHardenGlueOutOfBailiwickGlueIsUsed() {
    outOfBailiwickGlue();
    Resolution res = ask(t.resolver(c -> c.withHardenGlue(false)), "www.glue.test.", Type.A);
    assertEquals("www.glue.test. A 192.0.2.177", data(res), String.valueOf(res.error()));
    assertFalse(t.questionsTo("192.0.2.77").isEmpty());
  }
}
