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
}
