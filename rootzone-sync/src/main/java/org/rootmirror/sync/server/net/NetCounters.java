package org.rootmirror.sync.server.net;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;

/** Traffic counters of the listeners, bumped from many threads (LongAdder) and read for metrics. */
public final class NetCounters {
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
  private final AtomicBoolean failureLogged = new AtomicBoolean();

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

  /** Queries whose handler threw; the first is logged as a warning, the rest at debug. */
  public long handlerFailures() {
    return handlerFailures.sum();
  }

  /** Counts a handler that threw, logging the first failure loudly: it is a bug, but one a client could repeat at will. */
  void handlerFailed(Logger log, Object client, RuntimeException e) {
    handlerFailures.increment();
    if (failureLogged.compareAndSet(false, true)) {
      log.warn("query handler failed on a query from {} (further failures are logged at debug)", client, e);
    } else {
      log.debug("query handler failed on a query from {}", client, e);
    }
  }

  @Override
  public String toString() {
    return "udp received=%d sent=%d dropped=%d; tcp accepted=%d refused=%d evicted=%d open=%d timedOut=%d queries=%d responses=%d; handler failures=%d"
        .formatted(udpReceived(), udpSent(), udpDropped(), tcpAccepted(), tcpRefused(), tcpEvicted(), tcpOpen(), tcpTimedOut(), tcpQueries(), tcpResponses(), handlerFailures());
  }
}
