package org.rootmirror.sync.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/**
 * Clients that hold TCP connections without using them do not keep others out: a per-address
 * limit, a deadline for a whole message, and the connection idle longest making way for a
 * newcomer. Clients come from several loopback addresses (all of 127.0.0.0/8 is local on Linux).
 * No timing is asserted: the deadlines are short, the waits long.
 */
class TcpStarvationTest {
  /** Long enough that a test failing here is a server that kept a connection it should have closed. */
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Duration LONG = Duration.ofSeconds(60);

  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void closeSockets() {
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing what the server may already have closed
      }
    }
  }

  private static ServerNetOptions loopback() throws IOException {
    return UdpListenerTest.loopback("127.0.0.1");
  }

  @Test
  void aClientAtItsAddressLimitGetsANewConnectionByClosingItsOwnIdleLongest() throws IOException {
    ServerNetOptions options = loopback().withTcpMaxClientsPerAddress(2).withTcpIdleTimeout(LONG);
    try (MirrorServer server = MirrorServer.start(options, TestHandlers.echo())) {
      InetSocketAddress address = server.localAddresses().get(0);
      // the other address's connection is the idle longest of all, and stays
      Socket other = accepted(server, "127.0.0.2", 1);
      Socket oldest = accepted(server, "127.0.0.1", 2);
      Socket second = accepted(server, "127.0.0.1", 3);
      Socket newcomer = connectFrom("127.0.0.1", address);
      roundTrip(newcomer, 1);
      assertClosedByServer(oldest);
      roundTrip(second, 2);
      roundTrip(other, 3);
      assertEquals(1, server.counters().tcpEvicted());
      assertEquals(3, server.counters().tcpOpen());
    }
  }

  @Test
  void aClientWhoseConnectionsAreAllBusyIsRefusedAnotherWhileOtherClientsAreServed() throws IOException {
    CountDownLatch release = new CountDownLatch(1);
    ServerNetOptions options = loopback().withTcpMaxClientsPerAddress(2);
    try (MirrorServer server = MirrorServer.start(options, TestHandlers.holding(release))) {
      InetSocketAddress address = server.localAddresses().get(0);
      Socket first = connectFrom("127.0.0.1", address);
      Socket second = connectFrom("127.0.0.1", address);
      Wire.writeFrames(first.getOutputStream(), List.of(Wire.query(1, "hold.example.", Type.A)));
      Wire.writeFrames(second.getOutputStream(), List.of(Wire.query(2, "hold.example.", Type.A)));
      Await.until(() -> server.counters().tcpQueries() == 2);
      assertRefused("127.0.0.1", address);
      assertEquals(1, server.counters().tcpRefused());
      roundTrip(connectFrom("127.0.0.2", address), 3);
      release.countDown();
      assertEquals(1, Wire.readMessage(new DataInputStream(first.getInputStream())).getHeader().getID());
      assertEquals(2, Wire.readMessage(new DataInputStream(second.getInputStream())).getHeader().getID());
    }
  }

  @Test
  void aClientTricklingAMessageIsDroppedAtTheMessageDeadline() throws Exception {
    // the idle timeout is far away: only the message deadline can close this connection in time
    ServerNetOptions options = loopback().withTcpIdleTimeout(LONG).withTcpMessageTimeout(Duration.ofMillis(300));
    try (MirrorServer server = MirrorServer.start(options, TestHandlers.echo())) {
      Socket trickler = connectFrom("127.0.0.1", server.localAddresses().get(0));
      OutputStream out = trickler.getOutputStream();
      out.write(new byte[] {0x03, (byte) 0xe8}); // 1,000 octets follow, one every 50 ms: 50 s in all
      Thread writer = Thread.ofVirtual().start(() -> {
        try {
          for (int i = 0; i < 1000; i++) {
            out.write('x');
            Thread.sleep(50);
          }
        } catch (IOException | InterruptedException closed) {
          // the server closed the connection, or the test is over
        }
      });
      try {
        assertClosedByServer(trickler);
      } finally {
        writer.interrupt();
      }
      Await.until(() -> server.counters().tcpTimedOut() == 1 && server.counters().tcpOpen() == 0);
    }
  }

  @Test
  void aFullTableClosesTheConnectionIdleLongestAndServesTheNewcomer() throws IOException {
    ServerNetOptions options = loopback().withTcpMaxClients(3).withTcpIdleTimeout(LONG).withTcpMessageTimeout(LONG);
    try (MirrorServer server = MirrorServer.start(options, TestHandlers.echo())) {
      InetSocketAddress address = server.localAddresses().get(0);
      Socket oldest = accepted(server, "127.0.0.2", 1);
      Socket middle = accepted(server, "127.0.0.3", 2);
      Socket newest = accepted(server, "127.0.0.4", 3);
      roundTrip(connectFrom("127.0.0.1", address), 1);
      assertClosedByServer(oldest);
      assertEquals(1, server.counters().tcpEvicted());
      assertEquals(0, server.counters().tcpRefused());
      roundTrip(middle, 2);
      roundTrip(newest, 3);
    }
  }

  @Test
  void aNormalClientIsAnsweredWhileSlowAndIdleConnectionsFillTheTable() throws IOException {
    // no deadline helps here: the slow and idle connections would stay for a minute
    int capacity = 20;
    ServerNetOptions options = loopback().withTcpMaxClients(capacity).withTcpIdleTimeout(LONG).withTcpMessageTimeout(LONG);
    try (MirrorServer server = MirrorServer.start(options, TestHandlers.echo())) {
      InetSocketAddress address = server.localAddresses().get(0);
      int attackers = 0;
      for (; attackers < capacity; attackers++) {
        attack(address, attackers);
      }
      int answered = 0;
      for (int round = 1; round <= 10; round++) {
        // a fresh pair of attackers each round: the table stays full of them
        attack(address, attackers++);
        attack(address, attackers++);
        roundTrip(connectFrom("127.0.0.1", address), round);
        answered++;
      }
      assertEquals(10, answered);
      assertEquals(0, server.counters().tcpRefused());
      assertTrue(server.counters().tcpEvicted() >= 10, server.counters().toString());
    }
  }

  /** Attacker {@code n}: even ones idle, odd ones stuck after one octet of a length; five per address. */
  private void attack(InetSocketAddress server, int n) throws IOException {
    Socket socket = connectFrom("127.0.1." + (1 + n / 5), server);
    if (n % 2 == 1) {
      socket.getOutputStream().write(0);
    }
  }

  /** A connection from {@code source}, once the server has accepted it as its {@code nth}. */
  private Socket accepted(MirrorServer server, String source, int nth) throws IOException {
    Socket socket = connectFrom(source, server.localAddresses().get(0));
    Await.until(() -> server.counters().tcpAccepted() == nth);
    return socket;
  }

  private Socket connectFrom(String source, InetSocketAddress server) throws IOException {
    Socket socket = new Socket();
    sockets.add(socket);
    socket.bind(new InetSocketAddress(source, 0));
    socket.connect(server, 2_000);
    socket.setSoTimeout((int) WAIT.toMillis());
    return socket;
  }

  private static void roundTrip(Socket socket, int id) throws IOException {
    Wire.writeFrames(socket.getOutputStream(), List.of(Wire.query(id, "rt.example.", Type.A)));
    assertEquals(id, Wire.readMessage(new DataInputStream(socket.getInputStream())).getHeader().getID());
  }

  /**
   * A connection from {@code source} is closed by the server at once: the reset may come before
   * the client's connect has returned, or after it.
   */
  private void assertRefused(String source, InetSocketAddress server) throws IOException {
    Socket socket;
    try {
      socket = connectFrom(source, server);
    } catch (SocketException reset) {
      return;
    }
    assertClosedByServer(socket);
  }

  /** The server closed (or reset) the connection within {@link #WAIT}; a read timeout fails the test. */
  private static void assertClosedByServer(Socket socket) throws IOException {
    try {
      assertEquals(-1, socket.getInputStream().read());
    } catch (SocketException reset) {
      // a reset is a close too
    }
  }
}
