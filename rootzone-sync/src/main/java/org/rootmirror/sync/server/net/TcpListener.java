package org.rootmirror.sync.server.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.rootmirror.sync.server.QueryHandler;
import org.rootmirror.sync.server.limit.LimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Accepts DNS-over-TCP connections on one address (RFC 7766) and gives each to a {@link
 * TcpConnection} on a virtual thread, once the server's {@link TcpConnectionTable} has made room
 * for it (closing the connection idle longest when full). A connection there is no room for (all
 * busy answering) is reset at once (RFC 7766 section 6.2.2 leaves the policy to the server; a
 * reset keeps no TIME_WAIT here).
 */
final class TcpListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TcpListener.class);
  /** A flood of connections can make accept fail (out of file descriptors) 50 times a second. */
  private static final LimitedLog.Kind ACCEPT_FAILED = LimitedLog.of(log).kind(Level.WARN, "failed TCP accepts");
  private static final int BACKLOG = 256;
  private static final long CLOSE_MILLIS = 2_000;
  /** Pause after a failed accept (out of file descriptors, say) so the loop does not spin. */
  private static final long ACCEPT_BACKOFF_MILLIS = 20;

  private final ServerSocket socket;
  private final QueryHandler handler;
  private final NetCounters counters;
  private final TcpConnectionTable table;
  private final ServerNetOptions limits;
  private final ExecutorService threads;
  private final Set<TcpConnection> connections = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;

  private TcpListener(ServerSocket socket, QueryHandler handler, NetCounters counters, TcpConnectionTable table, ServerNetOptions limits) {
    this.socket = socket;
    this.handler = handler;
    this.counters = counters;
    this.table = table;
    this.limits = limits;
    String name = "rootmirror-tcp-" + socket.getInetAddress().getHostAddress() + "#" + socket.getLocalPort();
    this.threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name + "-", 0).factory());
    this.acceptor = Thread.ofPlatform().name(name + "-accept").daemon(true).start(this::acceptLoop);
  }

  /**
   * Binds {@code address} (port 0: an ephemeral one) and starts accepting.
   *
   * @param table the connections of the whole server, shared by every listener of it
   * @param limits the TCP timeouts and the queries in flight of each connection
   */
  static TcpListener open(InetSocketAddress address, TcpConnectionTable table, ServerNetOptions limits, QueryHandler handler,
      NetCounters counters) throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      socket.bind(address, BACKLOG);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    return new TcpListener(socket, handler, counters, table, limits);
  }

  InetSocketAddress localAddress() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException e) {
        if (socket.isClosed()) {
          return;
        }
        ACCEPT_FAILED.log("TCP accept on {} failed: {}", Addresses.show(localAddress()), e.getMessage());
        try {
          Thread.sleep(ACCEPT_BACKOFF_MILLIS);
        } catch (InterruptedException interrupted) {
          return;
        }
        continue;
      }
      TcpConnection connection = new TcpConnection(client, handler, threads, limits, counters);
      if (!table.admit(connection)) {
        counters.tcpRefused.increment();
        log.debug("TCP client limit reached and every connection busy: refusing {}", client.getRemoteSocketAddress());
        reset(client);
        continue;
      }
      connections.add(connection);
      counters.tcpAccepted.increment();
      try {
        threads.execute(() -> {
          try {
            connection.serve();
          } finally {
            finished(connection);
          }
        });
      } catch (RejectedExecutionException e) {
        connection.close();
        finished(connection);
      }
    }
  }

  private void finished(TcpConnection connection) {
    connections.remove(connection);
    table.remove(connection);
  }

  private static void reset(Socket client) {
    try (client) {
      client.setSoLinger(true, 0);
    } catch (IOException e) {
      log.debug("closing a refused connection: {}", e.toString());
    }
  }

  /** Stops accepting, closes every connection, interrupts the handlers still running and waits for them. */
  @Override
  public void close() throws IOException {
    socket.close();
    try {
      acceptor.join(CLOSE_MILLIS);
      for (TcpConnection connection : connections) {
        connection.close();
      }
      threads.shutdownNow();
      if (!threads.awaitTermination(CLOSE_MILLIS, TimeUnit.MILLISECONDS)) {
        log.warn("TCP threads on {} still running after close (a handler ignoring interrupts?)", Addresses.show(localAddress()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (TcpConnection connection : connections) {
      finished(connection);
    }
  }

}
