package org.rootmirror.sync.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Turns one DNS query into its responses. Called concurrently from every listener thread. Sends
 * nothing for packets that get no reply (responses, RFC 1035 section 4.1.1 QR set, and packets
 * too short to hold a header).
 *
 * <p>Threads: over UDP the handler runs on a listener's receive thread and must not block on
 * anything but the sink; to answer later (a recursive resolution), it takes {@link
 * ResponseSink#detach()} before returning and sends on that from any thread. Over TCP each query
 * already runs on its own virtual thread (RFC 7766 section 6.2.1.1), so the handler may block
 * there and send before returning.
 */
public interface QueryHandler {
  /**
   * @param query the message, from position to limit (the handler may read it but not keep it:
   *     over UDP the buffer is reused for the next query once this returns)
   * @param client the sender, for access control and logging
   * @param out valid until this returns, unless detached
   */
  void handle(ByteBuffer query, Transport transport, InetSocketAddress client, ResponseSink out) throws IOException;
}
