package org.rootmirror.resolver.iterate;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.xbill.DNS.Message;

/** Sends one query to one authoritative server and returns its response: the iterator's only I/O. */
public interface Upstream {
  /**
   * Asks {@code server} {@code query} and waits at most {@code timeout} for a matching response
   * (same ID, same question, from that server). A truncated UDP response is asked again over TCP.
   *
   * @throws java.net.SocketTimeoutException when no matching response came in time
   * @throws IOException when the server cannot be reached or the response cannot be parsed
   */
  Message exchange(InetSocketAddress server, Message query, Duration timeout) throws IOException;

  /**
   * Asks over TCP only (RFC 7766 section 5): for the next try after a UDP reply was lost while the
   * server was answering other queries. Response rate limiting (NSD, Knot, BIND) drops UDP replies
   * only, and answers every query that comes over TCP, whose handshake proves the source address.
   * By default as {@link #exchange}.
   *
   * @throws java.net.SocketTimeoutException when no matching response came in time
   * @throws IOException when the server cannot be reached or the response cannot be parsed
   */
  default Message exchangeOverTcp(InetSocketAddress server, Message query, Duration timeout) throws IOException {
    return exchange(server, query, timeout);
  }
}
