package org.rootmirror.sync.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

class MirrorServerTest {
  @Test
  void defaultsListenOnLoopbackPort53PerRfc8806() throws IOException {
    ServerNetOptions defaults = ServerNetOptions.defaults();
    assertEquals(List.of(InetAddress.getByName("127.12.12.12"), InetAddress.getByName("::1")), defaults.addresses());
    assertEquals(53, defaults.port());
    assertEquals(Duration.ofSeconds(10), defaults.tcpIdleTimeout());
    assertEquals(Duration.ofSeconds(3), defaults.tcpMessageTimeout());
    assertEquals(1000, defaults.tcpMaxClients());
    assertEquals(10, defaults.tcpMaxClientsPerAddress());
  }

  @Test
  void servesEveryAddressOverUdpAndTcpOnOnePort() throws IOException {
    List<InetAddress> addresses = new ArrayList<>(List.of(InetAddress.getByName("127.0.0.1")));
    if (Wire.hasIpv6Loopback()) {
      addresses.add(InetAddress.getByName("::1"));
    }
    ServerNetOptions options = ServerNetOptions.defaults().withAddresses(addresses).withPort(0);
    try (MirrorServer server = MirrorServer.start(options, TestHandlers.echo())) {
      assertEquals(addresses.size(), server.localAddresses().size());
      for (InetSocketAddress address : server.localAddresses()) {
        for (boolean tcp : new boolean[] {false, true}) {
          Message answer = UdpListenerTest.ask(address, "example.", tcp);
          assertTrue(answer.getHeader().getFlag(Flags.QR), address + (tcp ? " TCP" : " UDP"));
        }
      }
      // Counted after the write returns, so possibly after the client has read the answer.
      Await.until(() -> server.counters().udpSent() == addresses.size() && server.counters().tcpResponses() == addresses.size());
    }
  }

  @Test
  void refusesToShareItsPortWithAnotherServer() throws IOException {
    ServerNetOptions options = UdpListenerTest.loopback("127.0.0.1");
    try (MirrorServer first = MirrorServer.start(options, TestHandlers.echo())) {
      int port = first.localAddresses().get(0).getPort();
      BindException e = assertThrows(BindException.class, () -> MirrorServer.start(options.withPort(port), TestHandlers.echo()).close());
      assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
    }
    assertNoListenerThreads();
  }

  @Test
  void closeReleasesThePortsAndEndsItsThreads() throws IOException {
    ServerNetOptions options = UdpListenerTest.loopback("127.0.0.1").withUdpThreads(3);
    Set<String> interrupted = TestHandlers.newSet();
    int port;
    try (MirrorServer server = MirrorServer.start(options, TestHandlers.stuck(interrupted))) {
      InetSocketAddress address = server.localAddresses().get(0);
      port = address.getPort();
      // A connection with a handler stuck on its query, another one silent: close must end both.
      Socket busy = Wire.connect(address, Duration.ofSeconds(5));
      Wire.writeFrames(busy.getOutputStream(), List.of(Wire.query(1, "stuck.", Type.A)));
      Socket silent = Wire.connect(address, Duration.ofSeconds(5));
      Await.until(() -> server.counters().tcpOpen() == 2 && server.counters().tcpQueries() == 1);
      long start = System.nanoTime();
      server.close();
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis < 1_000, "close took " + millis + " ms");
      assertEquals(1, interrupted.size(), "the stuck handler was interrupted");
      assertEquals(0, server.counters().tcpOpen());
      assertEquals(-1, busy.getInputStream().read());
      assertEquals(-1, silent.getInputStream().read());
      busy.close();
      silent.close();
    }
    assertNoListenerThreads();
    try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", port));
        ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      assertFalse(udp.isClosed() || tcp.isClosed());
    }
    try (MirrorServer again = MirrorServer.start(options.withPort(port), TestHandlers.echo())) {
      assertTrue(UdpListenerTest.ask(again.localAddresses().get(0), "again.", false).getHeader().getFlag(Flags.QR));
    }
    assertNoListenerThreads();
  }

  private static void assertNoListenerThreads() {
    List<String> left = Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(name -> name.startsWith("rootmirror-udp") || name.startsWith("rootmirror-tcp"))
        .toList();
    assertEquals(List.of(), left);
  }
}
