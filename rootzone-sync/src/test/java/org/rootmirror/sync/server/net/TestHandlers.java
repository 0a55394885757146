package org.rootmirror.sync.server.net;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.rootmirror.sync.server.QueryHandler;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** Query handlers for testing the listeners: an echo, and echoes that stall, fail or answer in many messages. */
final class TestHandlers {
  /** Queries whose name begins with this label are answered after {@link #SLOW_MILLIS}. */
  static final String SLOW = "slow";
  static final long SLOW_MILLIS = 300;
  /** Queries whose name begins with this label wait for a latch in {@link #holding}. */
  static final String HOLD = "hold";
  /** Queries whose name begins with this label make the handler throw. */
  static final String FAIL = "fail";
  /** How many messages answer an AXFR query. */
  static final int TRANSFER_MESSAGES = 50;

  private TestHandlers() {}

  /** The query sent back with QR set; nothing for responses and for packets shorter than a header. */
  static QueryHandler echo() {
    return (query, transport, client, out) -> {
      if (query.remaining() < 12 || (query.get(query.position() + 2) & 0x80) != 0) {
        return;
      }
      out.send(reply(query));
    };
  }

  /** Like {@link #echo()}, and remembers the name of every thread that answered. */
  static QueryHandler echoRecordingThreads(Set<String> threads) {
    QueryHandler echo = echo();
    return (query, transport, client, out) -> {
      threads.add(Thread.currentThread().getName());
      echo.handle(query, transport, client, out);
    };
  }

  /**
   * An echo that answers names under {@code slow} late, throws for names under {@code fail}, and
   * answers AXFR queries with {@link #TRANSFER_MESSAGES} messages, each holding a TXT record with
   * its sequence number.
   */
  static QueryHandler scripted() {
    return (query, transport, client, out) -> {
      byte[] bytes = new byte[query.remaining()];
      query.get(query.position(), bytes);
      Message message = new Message(bytes);
      Record question = message.getQuestion();
      String first = question.getName().getLabelString(0);
      if (first.equals(FAIL)) {
        throw new IllegalStateException("failing as asked");
      }
      if (first.equals(SLOW)) {
        try {
          Thread.sleep(SLOW_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (question.getType() == Type.AXFR) {
        for (int i = 0; i < TRANSFER_MESSAGES; i++) {
          Message part = new Message(message.getHeader().getID());
          part.getHeader().setFlag(Flags.QR);
          part.addRecord(question, Section.QUESTION);
          part.addRecord(new TXTRecord(question.getName(), DClass.IN, 0, "part " + i + " " + "x".repeat(200)), Section.ANSWER);
          out.send(ByteBuffer.wrap(part.toWire()));
        }
        return;
      }
      out.send(reply(ByteBuffer.wrap(bytes)));
    };
  }

  /**
   * An echo that holds queries for names under {@code hold} until {@code release} opens (30 s at
   * most), keeping their connections busy.
   */
  static QueryHandler holding(CountDownLatch release) {
    QueryHandler echo = echo();
    return (query, transport, client, out) -> {
      byte[] bytes = new byte[query.remaining()];
      query.get(query.position(), bytes);
      if (new Message(bytes).getQuestion().getName().getLabelString(0).equals(HOLD)) {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      echo.handle(query, transport, client, out);
    };
  }

  /** A handler that waits until interrupted, recording that it was. */
  static QueryHandler stuck(Set<String> interrupted) {
    return (query, transport, client, out) -> {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        interrupted.add(Thread.currentThread().getName());
      }
    };
  }

  static Set<String> newSet() {
    return ConcurrentHashMap.newKeySet();
  }

  private static ByteBuffer reply(ByteBuffer query) {
    ByteBuffer reply = ByteBuffer.allocate(query.remaining());
    reply.put(query.duplicate()).flip();
    reply.put(2, (byte) (reply.get(2) | 0x80));
    return reply;
  }
}
