package org.rootmirror.resolver.iterate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.resolver.iterate.QnameMinimiser.Next;
import org.rootmirror.resolver.iterate.QnameMinimiser.Query;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class QnameMinimiserTest {
  private static Name name(String s) {
    return Name.fromConstantString(s);
  }

  private static Query q(String name, int type) {
    return new Query(name(name), type);
  }

  private static QnameMinimiser ask(Next next) {
    return assertInstanceOf(Next.Ask.class, next).state();
  }

  @Test
  void fromTheRootAsksComThenExampleComThenTheFullQuestion() {
    var state = QnameMinimiser.start(name("www.example.com."), Type.A, Name.root);
    assertEquals(q("com.", Type.NS), state.query());
    assertFalse(state.isFinal());

    state = state.onReferral(name("com."));
    assertEquals(q("example.com.", Type.NS), state.query());

    state = state.onReferral(name("example.com."));
    assertEquals(q("www.example.com.", Type.A), state.query());
    assertTrue(state.isFinal());
    assertInstanceOf(Next.Answered.class, state.onNoError());
    assertEquals(3, state.queriesSent());
  }

  @Test
  void intermediateQueriesAskForTheZoneCutWithTypeNsAndOnlyTheLastUsesTheOriginalType() {
    var state = QnameMinimiser.start(name("example.com."), Type.MX, Name.root);
    assertEquals(q("com.", Type.NS), state.query());
    state = state.onReferral(name("com."));
    assertEquals(q("example.com.", Type.MX), state.query());
  }

  @Test
  void aTwentyLabelNameCostsAtMostMaxMinimiseCountQueries() {
    var qname = name("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.");
    var state = QnameMinimiser.start(qname, Type.AAAA, Name.root);
    List<Integer> labelsAsked = new ArrayList<>();
    while (!state.isFinal()) {
      labelsAsked.add(state.query().name().labels() - 1);
      state = ask(state.onNoError()); // every intermediate name an empty non-terminal
    }
    labelsAsked.add(state.query().name().labels() - 1);

    assertEquals(QnameMinimiser.MAX_MINIMISE_COUNT, labelsAsked.size());
    assertEquals(QnameMinimiser.MAX_MINIMISE_COUNT, state.queriesSent());
    // one label at a time for MINIMISE_ONE_LAB queries, then the rest shared out
    assertEquals(List.of(1, 2, 3, 4, 6, 8, 11, 14, 17, 20), labelsAsked);
    assertEquals(q("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.", Type.AAAA), state.query());
  }

  @Test
  void aShortNameIsAskedOneLabelAtATime() {
    var state = QnameMinimiser.start(name("a.b.c.d.e.f."), Type.A, Name.root);
    int queries = 1;
    while (!state.isFinal()) {
      assertEquals(queries, state.query().name().labels() - 1);
      state = ask(state.onNoError());
      queries++;
    }
    assertEquals(6, queries);
  }

  @Test
  void nxdomainForAnIntermediateNameEndsTheResolution() {
    var state = QnameMinimiser.start(name("www.nonexistent.example."), Type.A, name("example."));
    assertEquals(q("nonexistent.example.", Type.NS), state.query());
    var next = assertInstanceOf(Next.NameError.class, state.onNameError());
    assertEquals(name("nonexistent.example."), next.nonexistent());
  }

  @Test
  void nxdomainForTheFullNameIsAnAnswerOfNameError() {
    var state = QnameMinimiser.start(name("nope.example."), Type.A, name("example."));
    assertTrue(state.isFinal());
    var next = assertInstanceOf(Next.NameError.class, state.onNameError());
    assertEquals(name("nope.example."), next.nonexistent());
  }

  @Test
  void anEmptyNonTerminalContinuesWithALongerNameUnderTheSameCut() {
    var state = QnameMinimiser.start(name("a.ent.example.com."), Type.TXT, name("example.com."));
    assertEquals(q("ent.example.com.", Type.NS), state.query());
    state = ask(state.onNoError());
    assertEquals(name("example.com."), state.zoneCut());
    assertEquals(q("a.ent.example.com.", Type.TXT), state.query());
    assertTrue(state.isFinal());
  }

  @Test
  void aCutBelowTheRootSkipsTheLabelsAboveIt() {
    var state = QnameMinimiser.start(name("www.example.com."), Type.A, name("example.com."));
    assertEquals(q("www.example.com.", Type.A), state.query());
    assertTrue(state.isFinal());
    assertEquals(1, state.queriesSent());

    state = QnameMinimiser.start(name("www.example.com."), Type.A, name("com."));
    assertEquals(q("example.com.", Type.NS), state.query());
  }

  @Test
  void aReferralThatSkipsLabelsContinuesBelowTheNewCut() {
    var state = QnameMinimiser.start(name("a.b.c.example."), Type.A, Name.root);
    state = state.onReferral(name("example."));
    state = state.onReferral(name("b.c.example.")); // the c.example. server also serves b.c.
    assertEquals(q("a.b.c.example.", Type.A), state.query());
  }

  @Test
  void theQueryForTheZoneItselfIsTheOriginalQuestion() {
    var state = QnameMinimiser.start(name("com."), Type.NS, name("com."));
    assertEquals(q("com.", Type.NS), state.query());
    assertTrue(state.isFinal());
  }

  @Test
  void dsOneLabelBelowTheCutIsAskedWithoutMinimising() {
    var state = QnameMinimiser.start(name("example.com."), Type.DS, name("com."));
    assertEquals(q("example.com.", Type.DS), state.query());

    state = QnameMinimiser.start(name("sub.example.com."), Type.DS, name("com."));
    assertEquals(q("example.com.", Type.NS), state.query());
    state = ask(state.onNoError());
    assertEquals(q("sub.example.com.", Type.DS), state.query());
  }

  @Test
  void upwardSidewaysAndSameCutReferralsAreRefused() {
    var state = QnameMinimiser.start(name("www.example.com."), Type.A, name("com."));
    assertThrows(IllegalArgumentException.class, () -> state.onReferral(Name.root));
    assertThrows(IllegalArgumentException.class, () -> state.onReferral(name("com.")));
    assertThrows(IllegalArgumentException.class, () -> state.onReferral(name("other.com.")));
    assertThrows(IllegalArgumentException.class, () -> state.onReferral(name("org.")));
  }

  @Test
  void aNameOutsideTheCutIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> QnameMinimiser.start(name("www.example.org."), Type.A, name("com.")));
  }

  @Test
  void theMinimisedNameKeepsTheCaseOfTheQueryName() {
    var state = QnameMinimiser.start(name("WwW.ExAmPlE.CoM."), Type.A, Name.root);
    assertEquals("CoM.", state.query().name().toString());
  }
}
