package org.rootmirror.sync.server;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where responses to one query go. Most queries get one response; a zone transfer over TCP gets
 * several messages (RFC 5936 section 2.2), each sent in order.
 */
@FunctionalInterface
public interface ResponseSink {
  /** Sends one DNS message, from the buffer's position to its limit. */
  void send(ByteBuffer message) throws IOException;

  /**
   * A sink for the response to the query being handled that stays valid after the handler returns
   * and may be used from any thread, to answer once, later. Call it inside the handler, before
   * returning: over UDP the listener's own sink is bound to whichever client it heard last, so
   * it cannot be kept. Costs an allocation over UDP; the default (a sink bound to one TCP
   * connection, whose writes are already thread-safe) returns this sink itself. Over TCP,
   * answer before returning instead when possible: a connection counts a query in flight only
   * until its handler returns (its RFC 7766 backpressure and its wait for pending answers).
   */
  default ResponseSink detach() {
    return this;
  }
}
