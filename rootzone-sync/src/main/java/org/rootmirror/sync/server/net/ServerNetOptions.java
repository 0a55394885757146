package org.rootmirror.sync.server.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/**
 * Where and how the mirror listens: the addresses (each served over UDP and TCP on {@code port},
 * 0 for an ephemeral port), the UDP receive threads and socket buffer, and the TCP limits of RFC
 * 7766: the idle timeout (section 6.2.3), the time a client has to send a whole message once it
 * has begun, the number of clients connected at once and from one address (section 6.2.2), and
 * the number of queries one connection may have in flight (section 6.2.1.1).
 *
 * @param udpReceiveBufferBytes SO_RCVBUF of each UDP socket, 0 to keep the system's; Linux caps
 *     it at {@code net.core.rmem_max}
 * @param tcpMessageTimeout from the first octet of a message's length to its last octet: a client
 *     sending a byte now and then does not keep its connection for that
 * @param tcpMaxClients connections open at once over all the addresses; when all are taken, a new
 *     one closes the connection idle longest
 * @param tcpMaxClientsPerAddress connections open at once from one source address
 */
public record ServerNetOptions(
    List<InetAddress> addresses,
    int port,
    int udpThreads,
    int udpReceiveBufferBytes,
    Duration tcpIdleTimeout,
    Duration tcpMessageTimeout,
    int tcpMaxClients,
    int tcpMaxClientsPerAddress,
    int tcpMaxInFlight) {

  public ServerNetOptions {
    addresses = List.copyOf(addresses);
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("no address to listen on");
    }
    if (port < 0 || port > 0xffff) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (udpThreads < 1 || tcpMaxClients < 1 || tcpMaxClientsPerAddress < 1 || tcpMaxInFlight < 1) {
      throw new IllegalArgumentException("UDP threads, TCP clients (in all and per address) and TCP queries in flight must be at least 1");
    }
    if (udpReceiveBufferBytes < 0) {
      throw new IllegalArgumentException("negative UDP receive buffer: " + udpReceiveBufferBytes);
    }
    if (tcpIdleTimeout.toMillis() < 1 || tcpMessageTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("TCP idle or message timeout under a millisecond: " + tcpIdleTimeout + ", " + tcpMessageTimeout);
    }
  }

  /**
   * 127.12.12.12 and ::1 port 53 (RFC 8806 section 3 wants loopback), a UDP thread per core, 1 MiB
   * receive buffers; over TCP an idle timeout of 10 s (Knot's tcp-idle-timeout), 3 s for a whole
   * message, 1,000 clients of which 10 from one address, and 32 queries in flight per connection.
   */
  public static ServerNetOptions defaults() {
    try {
      return new ServerNetOptions(
          List.of(InetAddress.getByAddress(new byte[] {127, 12, 12, 12}), InetAddress.getByName("::1")),
          53,
          Runtime.getRuntime().availableProcessors(),
          1 << 20,
          Duration.ofSeconds(10),
          Duration.ofSeconds(3),
          1000,
          10,
          32);
    } catch (UnknownHostException e) {
      throw new AssertionError("literal addresses need no lookup", e);
    }
  }

  public ServerNetOptions withAddresses(List<InetAddress> addresses) {
    return new ServerNetOptions(addresses, port, udpThreads, udpReceiveBufferBytes, tcpIdleTimeout, tcpMessageTimeout, tcpMaxClients,
        tcpMaxClientsPerAddress, tcpMaxInFlight);
  }

  public ServerNetOptions withPort(int port) {
    return new ServerNetOptions(addresses, port, udpThreads, udpReceiveBufferBytes, tcpIdleTimeout, tcpMessageTimeout, tcpMaxClients,
        tcpMaxClientsPerAddress, tcpMaxInFlight);
  }

  public ServerNetOptions withUdpThreads(int udpThreads) {
    return new ServerNetOptions(addresses, port, udpThreads, udpReceiveBufferBytes, tcpIdleTimeout, tcpMessageTimeout, tcpMaxClients,
        tcpMaxClientsPerAddress, tcpMaxInFlight);
  }

  public ServerNetOptions withUdpReceiveBufferBytes(int udpReceiveBufferBytes) {
    return new ServerNetOptions(addresses, port, udpThreads, udpReceiveBufferBytes, tcpIdleTimeout, tcpMessageTimeout, tcpMaxClients,
        tcpMaxClientsPerAddress, tcpMaxInFlight);
  }

  public ServerNetOptions withTcpIdleTimeout(Duration tcpIdleTimeout) {
    return new ServerNetOptions(addresses, port, udpThreads, udpReceiveBufferBytes, tcpIdleTimeout, tcpMessageTimeout, tcpMaxClients,
        tcpMaxClientsPerAddress, tcpMaxInFlight);
  }

  public ServerNetOptions withTcpMessageTimeout(Duration tcpMessageTimeout) {
    return new ServerNetOptions(addresses, port, udpThreads, udpReceiveBufferBytes, tcpIdleTimeout, tcpMessageTimeout, tcpMaxClients,
        tcpMaxClientsPerAddress, tcpMaxInFlight);
  }

  public ServerNetOptions withTcpMaxClients(int tcpMaxClients) {
    return new ServerNetOptions(addresses, port, udpThreads, udpReceiveBufferBytes, tcpIdleTimeout, tcpMessageTimeout, tcpMaxClients,
        tcpMaxClientsPerAddress, tcpMaxInFlight);
  }

  public ServerNetOptions withTcpMaxClientsPerAddress(int tcpMaxClientsPerAddress) {
    return new ServerNetOptions(addresses, port, udpThreads, udpReceiveBufferBytes, tcpIdleTimeout, tcpMessageTimeout, tcpMaxClients,
        tcpMaxClientsPerAddress, tcpMaxInFlight);
  }

  public ServerNetOptions withTcpMaxInFlight(int tcpMaxInFlight) {
    return new ServerNetOptions(addresses, port, udpThreads, udpReceiveBufferBytes, tcpIdleTimeout, tcpMessageTimeout, tcpMaxClients,
        tcpMaxClientsPerAddress, tcpMaxInFlight);
  }
}
