package org.rootmirror.sync.server.net;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;
import org.rootmirror.sync.server.limit.LimitedLog;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** Traffic counters of the listeners, bumped from many threads (LongAdder) and read for metrics. */
public final class NetCounters {
  private static final LimitedLog.Kind HANDLER_FAILED = LimitedLog.of(LoggerFactory.getLogger(NetCounters.class))
      .kind(Level.WARN, "queries whose handler failed");
  final LongAdder udpReceived = new LongAdder();
  final LongAdder udpSent = new LongAdder();
  final LongAdder udpDropped = new LongAdder();
  final LongAdder tcpAccepted = new LongAdder();
  final LongAdder tcpRefused = new LongAdder();
  final LongAdder tcpEvicted = new LongAdder();
  final LongAdder tcpOpen = new LongAdder();
  final LongAdder tcpTimedOut = new LongAdder();
  final LongAdder tcpQueries = new LongAdder();
  final LongAdder tcpResponses = new LongAdder();
  final LongAdder handlerFailures = new LongAdder();

  /** UDP packets read. */
  public long udpReceived() {
    return udpReceived.sum();
  }

  /** UDP responses sent. */
  public long udpSent() {
    return udpSent.sum();
  }

  /** UDP responses that could not be sent (too large, socket error). */
  public long udpDropped() {
    return udpDropped.sum();
  }

  /** TCP connections accepted. */
  public long tcpAccepted() {
    return tcpAccepted.sum();
  }

  /** TCP connections closed at once: a client limit was reached and every connection was busy answering. */
  public long tcpRefused() {
    return tcpRefused.sum();
  }

  /** TCP connections closed, idle, to make room for a new one when a client limit was reached. */
  public long tcpEvicted() {
    return tcpEvicted.sum();
  }

  /** TCP connections open now. */
  public long tcpOpen() {
    return tcpOpen.sum();
  }

  /** TCP connections closed for idleness, a stalled message, or a client that stopped reading. */
  public long tcpTimedOut() {
    return tcpTimedOut.sum();
  }

  /** DNS messages read over TCP. */
  public long tcpQueries() {
    return tcpQueries.sum();
  }

  /** DNS messages written over TCP. */
  public long tcpResponses() {
    return tcpResponses.sum();
  }

  /** Queries whose handler threw: the handlers answer SERVFAIL themselves, so any here is a bug in one. */
  public long handlerFailures() {
    return handlerFailures.sum();
  }

  /**
   * Counts a handler that threw and logs it: a bug, but one a client could repeat at will, so one
   * line without a stack trace among at most a few a minute (the stack trace at DEBUG).
   */
  void handlerFailed(InetSocketAddress client, RuntimeException e) {
    handlerFailures.increment();
    HANDLER_FAILED.failure(e, "the query handler failed on a query from {}; it went unanswered",
        client == null ? "?" : Addresses.show(client));
  }

  @Override
  public String toString() {
    return "udp received=%d sent=%d dropped=%d; tcp accepted=%d refused=%d evicted=%d open=%d timedOut=%d queries=%d responses=%d; handler failures=%d"
        .formatted(udpReceived(), udpSent(), udpDropped(), tcpAccepted(), tcpRefused(), tcpEvicted(), tcpOpen(), tcpTimedOut(), tcpQueries(), tcpResponses(), handlerFailures());
  }
}
