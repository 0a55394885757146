package org.rootmirror.sync.server.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rootmirror.sync.server.QueryHandler;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.server.fuzz.FuzzedQueries.Kind;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The fuzz harness can fail: it catches each kind of wrong outcome, and a seed gives the same packets every time. */
class FuzzRunTest {
  private static final List<InetSocketAddress> CLIENTS = List.of(new InetSocketAddress("127.0.0.1", 40000));
  private static final List<String> NAMES = List.of(".", "com.");

  @Test
  void aSeedGivesTheSamePacketsAndEveryKindComesUp() {
    FuzzedQueries a = new FuzzedQueries(7, NAMES);
    FuzzedQueries b = new FuzzedQueries(7, NAMES);
    Set<Kind> seen = EnumSet.noneOf(Kind.class);
    for (int i = 0; i < 2_000; i++) {
      FuzzedQueries.Packet p = a.next();
      assertArrayEquals(p.wire(), b.next().wire());
      seen.add(p.kind());
      assertTrue(p.wire().length <= Mutations.MAX_MESSAGE, p::toString);
    }
    assertEquals(EnumSet.allOf(Kind.class), seen);
  }

  @Test
  void aHandlerThatThrowsFailsTheRunWithTheSeedToReplay() {
    QueryHandler throwing = (query, transport, client, out) -> {
      if (query.remaining() > 300) {
        throw new IllegalStateException("bug");
      }
      if (query.remaining() >= 12 && (query.get(query.position() + 2) & 0x80) == 0) {
        out.send(reply(query, 0));
      }
    };
    AssertionError e = assertThrows(AssertionError.class, () -> run(throwing, 42));
    assertTrue(e.getMessage().contains("fuzz seed 42") && e.getMessage().contains("-Drootmirror.fuzz.seed=42")
        && e.getMessage().contains("threw java.lang.IllegalStateException: bug"), e.getMessage());
  }

  @Test
  void aReplyToAResponseFailsTheRun() {
    QueryHandler answersEverything = (query, transport, client, out) -> {
      if (query.remaining() >= 12) {
        out.send(reply(query, 0));
      }
    };
    AssertionError e = assertThrows(AssertionError.class, () -> run(answersEverything, 1));
    assertTrue(e.getMessage().contains("must get none"), e.getMessage());
  }

  @Test
  void aReplyOverTheClientsSizeFailsTheRun() {
    QueryHandler padsTo600 = (query, transport, client, out) -> {
      if (query.remaining() >= 12 && (query.get(query.position() + 2) & 0x80) == 0) {
        out.send(ByteBuffer.wrap(java.util.Arrays.copyOf(reply(query, 0).array(), 600)));
      }
    };
    AssertionError e = assertThrows(AssertionError.class, () -> run(padsTo600, 3));
    assertTrue(e.getMessage().contains("a 600-byte reply over UDP"), e.getMessage());
  }

  @Test
  void aQueryLeftUnansweredOrAnsweredWithAnotherIdFailsTheRun() {
    QueryHandler silent = (query, transport, client, out) -> { };
    assertTrue(assertThrows(AssertionError.class, () -> run(silent, 5)).getMessage().contains("no reply"));
    QueryHandler wrongId = (query, transport, client, out) -> {
      if (query.remaining() >= 12 && (query.get(query.position() + 2) & 0x80) == 0) {
        out.send(reply(query, 1));
      }
    };
    assertTrue(assertThrows(AssertionError.class, () -> run(wrongId, 5)).getMessage().contains("a reply with ID"));
  }

  @Test
  void anExceptionTheHandlerCaughtItselfFailsTheRun() {
    java.util.concurrent.atomic.AtomicLong caught = new java.util.concurrent.atomic.AtomicLong();
    QueryHandler catching = (query, transport, client, out) -> {
      if (query.remaining() >= 12 && (query.get(query.position() + 2) & 0x80) == 0) {
        if (query.remaining() > 300) {
          caught.incrementAndGet(); // as a handler that catches a bug and answers SERVFAIL
        }
        out.send(reply(query, 0));
      }
    };
    AssertionError e = assertThrows(AssertionError.class,
        () -> FuzzRun.run(new FuzzRun.Target(catching, 1232, CLIENTS, NAMES, true, caught::get), 9, 2_000));
    assertTrue(e.getMessage().contains("caught an exception"), e.getMessage());
  }

  @Test
  void theClientsUdpLimitComesFromItsOneOptRecordInTheAdditionalSection() throws Exception {
    Message plain = Message.newQuery(Record.newRecord(Name.fromString("com."), Type.A, DClass.IN));
    assertEquals(512, ReplyCheck.clientUdpLimit(plain.toWire(), 1232));
    assertEquals(1232, ReplyCheck.clientUdpLimit(withOpt(plain, 4096, Section.ADDITIONAL), 1232));
    assertEquals(1400, ReplyCheck.clientUdpLimit(withOpt(plain, 1400, Section.ADDITIONAL), 4096));
    assertEquals(512, ReplyCheck.clientUdpLimit(withOpt(plain, 100, Section.ADDITIONAL), 1232), "below 512 counts as 512");
    assertEquals(512, ReplyCheck.clientUdpLimit(withOpt(plain, 4096, Section.ANSWER), 1232), "an OPT in the answer section is none");
    Message twice = Message.newQuery(Record.newRecord(Name.fromString("com."), Type.A, DClass.IN));
    twice.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
    twice.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
    assertEquals(512, ReplyCheck.clientUdpLimit(twice.toWire(), 1232), "two OPT records are FORMERR");
    byte[] cut = withOpt(plain, 4096, Section.ADDITIONAL);
    assertEquals(512, ReplyCheck.clientUdpLimit(java.util.Arrays.copyOf(cut, cut.length - 1), 1232), "an OPT cut short is none");
  }

  private static byte[] withOpt(Message query, int payload, int section) {
    Message copy = query.clone();
    copy.addRecord(new OPTRecord(payload, 0, 0), section);
    return copy.toWire();
  }

  private static void run(QueryHandler handler, long seed) {
    FuzzRun.run(new FuzzRun.Target(handler, 1232, CLIENTS, NAMES, true), seed, 2_000);
  }

  /** A header-only reply: the query's ID plus {@code idOffset}, its opcode, QR set. */
  private static ByteBuffer reply(ByteBuffer query, int idOffset) {
    Message reply = new Message((query.getShort(query.position()) + idOffset) & 0xFFFF);
    reply.getHeader().setFlag(org.xbill.DNS.Flags.QR);
    reply.getHeader().setOpcode(query.get(query.position() + 2) >>> 3 & 0xF);
    return ByteBuffer.wrap(reply.toWire());
  }
}
