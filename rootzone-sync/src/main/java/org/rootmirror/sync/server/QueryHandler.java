package org.rootmirror.sync.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Turns one DNS query into its responses. Called concurrently from every listener thread; must
 * not block on anything but the sink. Sends nothing for packets that get no reply (responses,
 * RFC 1035 section 4.1.1 QR set, and packets too short to hold a header).
 */
public interface QueryHandler {
  /**
   * @param query the message, from position to limit (the handler may read it but not keep it)
   * @param client the sender, for access control and logging
   */
  void handle(ByteBuffer query, Transport transport, InetSocketAddress client, ResponseSink out) throws IOException;
}
