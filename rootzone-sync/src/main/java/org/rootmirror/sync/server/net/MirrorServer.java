package org.rootmirror.sync.server.net;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.rootmirror.sync.server.QueryHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves DNS over UDP and TCP on every configured address, handing each query to one {@link
 * QueryHandler}. Each address gets the same port for UDP and TCP, an ephemeral one when the port
 * is 0. The TCP client limits are shared by all addresses. {@link #close()} releases the ports and
 * ends every thread the server started.
 *
 * <pre>{@code
 * try (MirrorServer server = MirrorServer.start(ServerNetOptions.defaults(), handler)) {
 *   log.info("serving on {}", server.localAddresses());
 * }
 * }</pre>
 */
public final class MirrorServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MirrorServer.class);
  /** With port 0, how often to draw a new TCP port when its UDP twin is taken. */
  private static final int EPHEMERAL_ATTEMPTS = 20;

  private final NetCounters counters;
  private final List<UdpListener> udp = new ArrayList<>();
  private final List<TcpListener> tcp = new ArrayList<>();

  private MirrorServer(NetCounters counters) {
    this.counters = counters;
  }

  /** Binds every address over UDP and TCP and starts serving; on failure closes what it opened. */
  public static MirrorServer start(ServerNetOptions options, QueryHandler handler) throws IOException {
    MirrorServer server = new MirrorServer(new NetCounters());
    TcpConnectionTable connections = new TcpConnectionTable(options.tcpMaxClients(), options.tcpMaxClientsPerAddress(), server.counters);
    try {
      for (InetAddress address : options.addresses()) {
        server.listen(new InetSocketAddress(address, options.port()), options, connections, handler);
      }
    } catch (IOException | RuntimeException e) {
      try {
        server.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    log.info("serving DNS on {} (UDP: {} threads; TCP: up to {} clients, {} from one address)", Addresses.show(server.localAddresses()),
        options.udpThreads(), options.tcpMaxClients(), Math.min(options.tcpMaxClients(), options.tcpMaxClientsPerAddress()));
    return server;
  }

  /** Binds TCP, then UDP on the port TCP got; with port 0 tries again when that UDP port is taken. */
  private void listen(InetSocketAddress address, ServerNetOptions options, TcpConnectionTable connections, QueryHandler handler)
      throws IOException {
    for (int attempt = 1; ; attempt++) {
      TcpListener tcpListener = bind(address, "TCP",
          () -> TcpListener.open(address, connections, options, handler, counters));
      InetSocketAddress bound = new InetSocketAddress(address.getAddress(), tcpListener.localAddress().getPort());
      try {
        udp.add(bind(bound, "UDP",
            () -> UdpListener.open(bound, options.udpThreads(), options.udpReceiveBufferBytes(), handler, counters)));
        tcp.add(tcpListener);
        return;
      } catch (IOException | RuntimeException e) {
        tcpListener.close();
        if (!(e instanceof BindException) || address.getPort() != 0 || attempt == EPHEMERAL_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private interface Opener<T> {
    T open() throws IOException;
  }

  /** Names the address and transport in a bind failure, which the JDK's message does not. */
  private static <T> T bind(InetSocketAddress address, String transport, Opener<T> opener) throws IOException {
    try {
      return opener.open();
    } catch (BindException e) {
      throw ListenException.of(address, transport, e);
    }
  }

  /** Where the server listens, one entry per configured address, port as bound (UDP and TCP alike). */
  public List<InetSocketAddress> localAddresses() {
    return tcp.stream().map(TcpListener::localAddress).toList();
  }

  public NetCounters counters() {
    return counters;
  }

  /** Closes every socket and waits (a few seconds at most) for the threads to end. */
  @Override
  public void close() throws IOException {
    IOException failure = null;
    for (UdpListener listener : udp) {
      try {
        listener.close();
      } catch (IOException e) {
        failure = e;
      }
    }
    for (TcpListener listener : tcp) {
      try {
        listener.close();
      } catch (IOException e) {
        failure = e;
      }
    }
    udp.clear();
    tcp.clear();
    if (failure != null) {
      throw failure;
    }
  }
}
