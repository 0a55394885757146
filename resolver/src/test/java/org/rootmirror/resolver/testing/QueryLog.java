package org.rootmirror.resolver.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.rootmirror.sync.server.QueryHandler;
import org.rootmirror.sync.server.ResponseSink;
import org.rootmirror.sync.server.Transport;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Every query the mini-internet's servers received, in arrival order, safe to read while servers write. */
public final class QueryLog {
  /**
   * One query as a server saw it.
   *
   * @param server the address of the server that received it
   * @param message the whole query, for what the other fields do not show (flags, ID, options)
   */
  public record Entry(InetAddress server, Transport transport, Name qname, int qtype, boolean dnssecOk,
      Message message) {
    @Override
    public String toString() {
      return server.getHostAddress() + " " + transport + " " + qname + " " + Type.string(qtype) + (dnssecOk ? " DO" : "");
    }
  }

  private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();

  /** The queries received so far. */
  public List<Entry> entries() {
    return List.copyOf(entries);
  }

  public void clear() {
    entries.clear();
  }

  /** {@code next} with every query it gets, that dnsjava can read and that has a question, logged first as received by {@code server}. */
  QueryHandler recording(InetAddress server, QueryHandler next) {
    return (query, transport, client, out) -> {
      record(server, query.duplicate(), transport);
      next.handle(query, transport, client, out);
    };
  }

  private void record(InetAddress server, ByteBuffer query, Transport transport) {
    byte[] wire = new byte[query.remaining()];
    query.get(wire);
    try {
      Message m = new Message(wire);
      Record question = m.getQuestion();
      if (question != null) {
        OPTRecord opt = m.getOPT();
        boolean dnssecOk = opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
        entries.add(new Entry(server, transport, question.getName(), question.getType(), dnssecOk, m));
      }
    } catch (IOException e) {
      // not a DNS message: nothing a test asks about
    }
  }

  /**
   * {@code next}, answering only after {@code delay}, or never once {@code closing} is released.
   * Waiting holds the listener thread: fine for a test server with a few threads.
   */
  static QueryHandler slow(Duration delay, CountDownLatch closing, QueryHandler next) {
    return (ByteBuffer query, Transport transport, InetSocketAddress client, ResponseSink out) -> {
      try {
        if (closing.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
          return; // the server is closing
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      next.handle(query, transport, client, out);
    };
  }
}
