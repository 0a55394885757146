package org.rootmirror.sync.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.rootmirror.sync.server.QueryHandler;
import org.rootmirror.sync.server.ResponseSink;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

class UdpListenerTest {
  static ServerNetOptions loopback(String address) throws IOException {
    return ServerNetOptions.defaults().withAddresses(List.of(InetAddress.getByName(address))).withPort(0).withUdpThreads(2);
  }

  static Message ask(InetSocketAddress server, String name, boolean tcp) throws IOException {
    SimpleResolver resolver = new SimpleResolver(server);
    resolver.setTCP(tcp);
    resolver.setTimeout(Duration.ofSeconds(2));
    return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)));
  }

  @Test
  void answersOverUdpOnIpv4Loopback() throws IOException {
    try (MirrorServer server = MirrorServer.start(loopback("127.0.0.1"), TestHandlers.echo())) {
      Message answer = ask(server.localAddresses().get(0), "com.", false);
      assertTrue(answer.getHeader().getFlag(Flags.QR));
      assertEquals("com.", answer.getQuestion().getName().toString());
      assertEquals(1, server.counters().udpReceived());
      Await.until(() -> server.counters().udpSent() == 1);
    }
  }

  @Test
  void answersOverUdpOnIpv6Loopback() throws IOException {
    assumeTrue(Wire.hasIpv6Loopback(), "this host has no IPv6 loopback (::1)");
    try (MirrorServer server = MirrorServer.start(loopback("::1"), TestHandlers.echo())) {
      Message answer = ask(server.localAddresses().get(0), "org.", false);
      assertTrue(answer.getHeader().getFlag(Flags.QR));
      assertEquals("org.", answer.getQuestion().getName().toString());
    }
  }

  @Test
  void everyReceiveThreadAnswersWhenTheKernelSpreadsClients() throws Exception {
    Set<String> threads = TestHandlers.newSet();
    ServerNetOptions options = loopback("127.0.0.1").withUdpThreads(4);
    try (MirrorServer server = MirrorServer.start(options, TestHandlers.echoRecordingThreads(threads))) {
      InetSocketAddress address = server.localAddresses().get(0);
      List<DatagramSocket> clients = new ArrayList<>();
      try {
        for (int i = 0; i < 64; i++) {
          DatagramSocket client = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
          client.setSoTimeout(2_000);
          clients.add(client);
        }
        // Each client fires its queries without waiting, then collects the answers.
        int perClient = 20;
        for (DatagramSocket client : clients) {
          for (int id = 0; id < perClient; id++) {
            byte[] query = Wire.query(id, "q" + id + ".example.", Type.A);
            client.send(new DatagramPacket(query, query.length, address));
          }
        }
        int answered = 0;
        byte[] buffer = new byte[512];
        for (DatagramSocket client : clients) {
          for (int i = 0; i < perClient; i++) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            client.receive(packet);
            answered++;
          }
        }
        assertEquals(64 * perClient, answered);
        Await.until(() -> server.counters().udpSent() == 64 * perClient);
      } finally {
        clients.forEach(DatagramSocket::close);
      }
    }
    if (reusePortSupported()) {
      // 64 source ports hashed over 4 sockets: all on one socket has odds of 4^-63.
      assertTrue(threads.size() > 1, "only " + threads + " answered");
    }
  }

  @Test
  void dropsAndCountsResponsesTooLargeToSendAndKeepsServing() throws IOException {
    QueryHandler echo = TestHandlers.echo();
    QueryHandler oversized = (query, transport, client, out) -> {
      if (query.get(query.position() + 1) == 1) {
        out.send(ByteBuffer.allocate(70_000));
      } else {
        echo.handle(query, transport, client, out);
      }
    };
    try (MirrorServer server = MirrorServer.start(loopback("127.0.0.1"), oversized);
        DatagramSocket client = new DatagramSocket()) {
      client.setSoTimeout(300);
      InetSocketAddress address = server.localAddresses().get(0);
      byte[] tooBig = Wire.query(1, "big.", Type.A);
      client.send(new DatagramPacket(tooBig, tooBig.length, address));
      byte[] buffer = new byte[512];
      assertThrowsTimeout(client, buffer);
      assertEquals(1, server.counters().udpDropped());
      client.setSoTimeout(2_000);
      byte[] fine = Wire.query(2, "small.", Type.A);
      client.send(new DatagramPacket(fine, fine.length, address));
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      client.receive(packet);
      assertEquals(2, Wire.parse(Arrays.copyOf(buffer, packet.getLength())).getHeader().getID());
    }
  }

  @Test
  void aHandlerThatThrowsCostsOneQueryNotTheListener() throws IOException {
    try (MirrorServer server = MirrorServer.start(loopback("127.0.0.1").withUdpThreads(1), TestHandlers.scripted());
        DatagramSocket client = new DatagramSocket()) {
      client.setSoTimeout(300);
      InetSocketAddress address = server.localAddresses().get(0);
      byte[] failing = Wire.query(1, "fail.example.", Type.A);
      client.send(new DatagramPacket(failing, failing.length, address));
      assertThrowsTimeout(client, new byte[512]);
      assertEquals(1, server.counters().handlerFailures());
      Message answer = ask(address, "fine.example.", false);
      assertTrue(answer.getHeader().getFlag(Flags.QR));
    }
  }

  @Test
  void aDetachedSinkAnswersItsOwnClientLaterFromAnotherThreadOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Throwable> secondSend = new AtomicReference<>();
    QueryHandler echo = TestHandlers.echo();
    QueryHandler late = (query, transport, client, out) -> {
      if (query.get(query.position() + 1) != 1) {
        echo.handle(query, transport, client, out); // answered at once, on the listener thread
        return;
      }
      byte[] copy = new byte[query.remaining()];
      query.get(query.position(), copy);
      copy[2] |= (byte) 0x80;
      ResponseSink later = out.detach();
      Thread.ofVirtual().start(() -> {
        try {
          if (!release.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
            return; // the test gave up on it
          }
          later.send(ByteBuffer.wrap(copy));
          later.send(ByteBuffer.wrap(copy));
        } catch (Throwable e) {
          secondSend.set(e);
        }
      });
    };
    try (MirrorServer server = MirrorServer.start(loopback("127.0.0.1").withUdpThreads(1), late);
        DatagramSocket slowClient = new DatagramSocket();
        DatagramSocket quickClient = new DatagramSocket()) {
      slowClient.setSoTimeout(2_000);
      quickClient.setSoTimeout(2_000);
      InetSocketAddress address = server.localAddresses().get(0);
      byte[] slow = Wire.query(1, "slow.example.", Type.A);
      slowClient.send(new DatagramPacket(slow, slow.length, address));
      byte[] quick = Wire.query(2, "quick.example.", Type.A);
      quickClient.send(new DatagramPacket(quick, quick.length, address));
      DatagramPacket quickAnswer = new DatagramPacket(new byte[512], 512);
      quickClient.receive(quickAnswer);
      assertEquals(2, quickAnswer.getData()[1], "the later query was answered while the first waited");

      release.countDown();
      DatagramPacket slowAnswer = new DatagramPacket(new byte[512], 512);
      slowClient.receive(slowAnswer);
      assertEquals(1, slowAnswer.getData()[1], "the late answer went to the client that asked");
      Await.until(() -> secondSend.get() != null);
      assertInstanceOf(IllegalStateException.class, secondSend.get(), "a second response to one UDP query is refused");
      slowClient.setSoTimeout(200);
      quickClient.setSoTimeout(200);
      assertThrowsTimeout(slowClient, new byte[512]);
      assertThrowsTimeout(quickClient, new byte[512]);
    }
  }

  private static void assertThrowsTimeout(DatagramSocket client, byte[] buffer) throws IOException {
    try {
      client.receive(new DatagramPacket(buffer, buffer.length));
      throw new AssertionError("expected no answer");
    } catch (SocketTimeoutException expected) {
      // nothing came back
    }
  }

  private static boolean reusePortSupported() throws IOException {
    try (DatagramChannel channel = DatagramChannel.open()) {
      return channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
    }
  }
}
