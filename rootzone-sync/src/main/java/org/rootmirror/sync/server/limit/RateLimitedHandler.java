package org.rootmirror.sync.server.limit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;
import org.rootmirror.sync.server.QueryHandler;
import org.rootmirror.sync.server.ResponseSink;
import org.rootmirror.sync.server.Transport;

/**
 * Puts a {@link ResponseRateLimiter} in front of any handler: each UDP response to a client
 * outside loopback is classed from its header and sent, dropped, or sent truncated as the limiter
 * decides. TCP is never limited (its source cannot be forged: the handshake proves it), nor is
 * loopback, which only this host can use. A handler that answers later, from another thread,
 * gets a detached sink that is limited in the same way.
 */
public final class RateLimitedHandler implements QueryHandler {
  private static final int HEADER = 12;

  private final QueryHandler inner;
  private final ResponseRateLimiter limiter;
  private final LongSupplier nanoTime;

  /** @param nanoTime a monotonic clock in nanoseconds, as System.nanoTime */
  public RateLimitedHandler(QueryHandler inner, ResponseRateLimiter limiter, LongSupplier nanoTime) {
    this.inner = inner;
    this.limiter = limiter;
    this.nanoTime = nanoTime;
  }

  public ResponseRateLimiter limiter() {
    return limiter;
  }

  @Override
  public void handle(ByteBuffer query, Transport transport, InetSocketAddress client, ResponseSink out) throws IOException {
    InetAddress address = client == null ? null : client.getAddress();
    if (transport != Transport.UDP || address == null || address.isLoopbackAddress()) {
      inner.handle(query, transport, client, out);
      return;
    }
    inner.handle(query, transport, client, new Limited(out, address));
  }

  /** The sink of one UDP query from outside loopback. */
  private final class Limited implements ResponseSink {
    private final ResponseSink out;
    private final InetAddress client;

    Limited(ResponseSink out, InetAddress client) {
      this.out = out;
      this.client = client;
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
      switch (limiter.decide(client, ResponseRateLimiter.ResponseClass.of(message), nanoTime.getAsLong())) {
        case SEND -> out.send(message);
        case SLIP -> out.send(truncated(message));
        case DROP -> { }
      }
    }

    @Override
    public ResponseSink detach() {
      return new Limited(out.detach(), client);
    }
  }

  /**
   * What a slip sends: the response's header with TC set, AD clear and no records, and its
   * question (RFC 1035 section 4.1.1: TC tells the client to ask again over TCP), as NSD's
   * rrl_slip does; about the size of the query, so it amplifies nothing.
   */
  static ByteBuffer truncated(ByteBuffer response) {
    int p = response.position();
    int length = response.remaining();
    if (length < HEADER) {
      return ByteBuffer.allocate(0);
    }
    int question = 0;
    if ((response.getShort(p + 4) & 0xFFFF) > 0) {
      question = questionLength(response, p + HEADER, p + length);
    }
    byte[] out = new byte[HEADER + Math.max(question, 0)];
    response.get(p, out, 0, 4);
    out[2] |= 0x02; // TC
    out[3] &= (byte) ~0x20; // AD: nothing here is authenticated
    if (question > 0) {
      out[5] = 1;
      response.get(p + HEADER, out, HEADER, question);
    }
    return ByteBuffer.wrap(out);
  }

  /** The length of the uncompressed question at {@code start}, or -1 when it does not read as one. */
  private static int questionLength(ByteBuffer m, int start, int end) {
    int q = start;
    while (q < end) {
      int label = m.get(q) & 0xFF;
      if (label == 0) {
        return q + 5 <= end ? q + 5 - start : -1;
      }
      if (label > 63) {
        return -1; // a pointer or an extended label: a question written by our handlers has neither
      }
      q += label + 1;
    }
    return -1;
  }
}
