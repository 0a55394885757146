package org.rootmirror.sync.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.rootmirror.sync.server.QueryHandler;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class TcpListenerTest {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

  private static ServerNetOptions loopback() throws IOException {
    return UdpListenerTest.loopback("127.0.0.1");
  }

  @Test
  void answersOverTcp() throws IOException {
    try (MirrorServer server = MirrorServer.start(loopback(), TestHandlers.echo())) {
      Message answer = UdpListenerTest.ask(server.localAddresses().get(0), "net.", true);
      assertTrue(answer.getHeader().getFlag(Flags.QR));
      assertEquals("net.", answer.getQuestion().getName().toString());
      assertEquals(1, server.counters().tcpQueries());
      Await.until(() -> server.counters().tcpResponses() == 1);
      assertEquals(0, server.counters().udpReceived());
    }
  }

  @Test
  void answersTwentyPipelinedQueriesOnOneConnection() throws IOException {
    try (MirrorServer server = MirrorServer.start(loopback(), TestHandlers.scripted());
        Socket socket = Wire.connect(server.localAddresses().get(0), READ_TIMEOUT)) {
      List<byte[]> queries = new ArrayList<>();
      for (int id = 1; id <= 20; id++) {
        queries.add(Wire.query(id, "q" + id + ".example.", Type.A));
      }
      Wire.writeFrames(socket.getOutputStream(), queries);
      assertEquals(ids(1, 20), readIds(new DataInputStream(socket.getInputStream()), 20));
    }
  }

  @Test
  void answersThreeHundredPipelinedQueriesThatSpanManyReads() throws IOException {
    try (MirrorServer server = MirrorServer.start(loopback(), TestHandlers.echo());
        Socket socket = Wire.connect(server.localAddresses().get(0), READ_TIMEOUT)) {
      List<byte[]> queries = new ArrayList<>();
      for (int id = 1; id <= 300; id++) {
        queries.add(Wire.query(id, "a-rather-long-label-" + id + ".example.", Type.A));
      }
      Wire.writeFrames(socket.getOutputStream(), queries);
      assertEquals(ids(1, 300), readIds(new DataInputStream(socket.getInputStream()), 300));
    }
  }

  @Test
  void readsAMessageLargerThanItsBufferSentInPieces() throws Exception {
    byte[] large = new byte[20_000];
    System.arraycopy(Wire.query(77, "large.example.", Type.A), 0, large, 0, 12); // a header, then filler
    try (MirrorServer server = MirrorServer.start(loopback(), TestHandlers.echo());
        Socket socket = Wire.connect(server.localAddresses().get(0), READ_TIMEOUT)) {
      OutputStream out = socket.getOutputStream();
      byte[] framed = new byte[large.length + 2];
      framed[0] = (byte) (large.length >>> 8);
      framed[1] = (byte) large.length;
      System.arraycopy(large, 0, framed, 2, large.length);
      for (int from = 0; from < framed.length; from += 7_000) {
        out.write(framed, from, Math.min(7_000, framed.length - from));
        out.flush();
        Thread.sleep(20); // separate segments, not a test of timing
      }
      byte[] echoed = Wire.readFrame(new DataInputStream(socket.getInputStream()));
      assertEquals(large.length, echoed.length);
      assertEquals(77, (echoed[0] & 0xff) << 8 | echoed[1] & 0xff);
    }
  }

  @Test
  void answersPipelinedQueriesAsTheyAreReadyNotInOrder() throws IOException {
    try (MirrorServer server = MirrorServer.start(loopback(), TestHandlers.scripted());
        Socket socket = Wire.connect(server.localAddresses().get(0), READ_TIMEOUT)) {
      List<byte[]> queries = new ArrayList<>();
      queries.add(Wire.query(1, "slow.example.", Type.A));
      for (int id = 2; id <= 20; id++) {
        queries.add(Wire.query(id, "q" + id + ".example.", Type.A));
      }
      Wire.writeFrames(socket.getOutputStream(), queries);
      DataInputStream in = new DataInputStream(socket.getInputStream());
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        order.add(Wire.readMessage(in).getHeader().getID());
      }
      assertEquals(ids(1, 20), new HashSet<>(order));
      assertNotEquals(1, order.get(0), "the slow answer came first: " + order);
      assertEquals(1, order.get(19), "the slow answer should come last: " + order);
    }
  }

  @Test
  void sendsEveryMessageOfATransferInOrderAmongOtherAnswers() throws IOException {
    try (MirrorServer server = MirrorServer.start(loopback(), TestHandlers.scripted());
        Socket socket = Wire.connect(server.localAddresses().get(0), READ_TIMEOUT)) {
      List<byte[]> queries = new ArrayList<>();
      queries.add(Wire.query(100, "example.", Type.AXFR));
      for (int id = 1; id <= 5; id++) {
        queries.add(Wire.query(id, "q" + id + ".example.", Type.A));
      }
      Wire.writeFrames(socket.getOutputStream(), queries);
      DataInputStream in = new DataInputStream(socket.getInputStream());
      List<Integer> parts = new ArrayList<>();
      Set<Integer> others = new HashSet<>();
      while (parts.size() < TestHandlers.TRANSFER_MESSAGES || others.size() < 5) {
        Message message = Wire.readMessage(in);
        if (message.getHeader().getID() == 100) {
          TXTRecord txt = (TXTRecord) message.getSection(Section.ANSWER).get(0);
          parts.add(Integer.parseInt(txt.getStrings().get(0).split(" ")[1]));
        } else {
          others.add(message.getHeader().getID());
        }
      }
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < TestHandlers.TRANSFER_MESSAGES; i++) {
        expected.add(i);
      }
      assertEquals(expected, parts);
      assertEquals(ids(1, 5), others);
    }
  }

  @Test
  void closesAConnectionThatStaysSilentForTheIdleTimeout() throws IOException {
    ServerNetOptions options = loopback().withTcpIdleTimeout(Duration.ofMillis(300));
    try (MirrorServer server = MirrorServer.start(options, TestHandlers.echo());
        Socket socket = Wire.connect(server.localAddresses().get(0), READ_TIMEOUT)) {
      long start = System.nanoTime();
      assertEquals(-1, socket.getInputStream().read());
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis >= 250, "closed after " + millis + " ms");
      Await.until(() -> server.counters().tcpTimedOut() == 1 && server.counters().tcpOpen() == 0);
    }
  }

  @Test
  void aPendingAnswerKeepsTheConnectionOpenPastTheIdleTimeout() throws IOException {
    ServerNetOptions options = loopback().withTcpIdleTimeout(Duration.ofMillis(100));
    try (MirrorServer server = MirrorServer.start(options, TestHandlers.scripted());
        Socket socket = Wire.connect(server.localAddresses().get(0), READ_TIMEOUT)) {
      Wire.writeFrames(socket.getOutputStream(), List.of(Wire.query(7, "slow.example.", Type.A)));
      DataInputStream in = new DataInputStream(socket.getInputStream());
      assertEquals(7, Wire.readMessage(in).getHeader().getID());
      assertNull(Wire.readFrame(in), "idle after the answer: closed");
    }
  }

  @Test
  void refusesANewConnectionWhenEveryConnectionIsBusyAnswering() throws IOException {
    CountDownLatch release = new CountDownLatch(1);
    ServerNetOptions options = loopback().withTcpMaxClients(2);
    try (MirrorServer server = MirrorServer.start(options, TestHandlers.holding(release))) {
      InetSocketAddress address = server.localAddresses().get(0);
      try (Socket first = Wire.connect(address, READ_TIMEOUT); Socket second = Wire.connect(address, READ_TIMEOUT)) {
        Wire.writeFrames(first.getOutputStream(), List.of(Wire.query(1, "hold.example.", Type.A)));
        Wire.writeFrames(second.getOutputStream(), List.of(Wire.query(2, "hold.example.", Type.A)));
        Await.until(() -> server.counters().tcpQueries() == 2);
        assertRefused(address);
        assertEquals(1, server.counters().tcpRefused());
        assertEquals(0, server.counters().tcpEvicted());
        release.countDown();
        assertEquals(1, Wire.readMessage(new DataInputStream(first.getInputStream())).getHeader().getID());
        assertEquals(2, Wire.readMessage(new DataInputStream(second.getInputStream())).getHeader().getID());
      }
      Await.until(() -> server.counters().tcpOpen() == 0);
      try (Socket again = Wire.connect(address, READ_TIMEOUT)) {
        roundTrip(again, 4);
      }
    }
  }

  @Test
  void limitsQueriesInFlightPerConnectionButAnswersThemAll() throws IOException {
    ServerNetOptions options = loopback().withTcpMaxInFlight(2);
    try (MirrorServer server = MirrorServer.start(options, TestHandlers.scripted());
        Socket socket = Wire.connect(server.localAddresses().get(0), READ_TIMEOUT)) {
      List<byte[]> queries = new ArrayList<>();
      for (int id = 1; id <= 6; id++) {
        queries.add(Wire.query(id, "slow.example.", Type.A));
      }
      long start = System.nanoTime();
      Wire.writeFrames(socket.getOutputStream(), queries);
      assertEquals(ids(1, 6), readIds(new DataInputStream(socket.getInputStream()), 6));
      long millis = (System.nanoTime() - start) / 1_000_000;
      // Two at a time: three rounds at the least.
      assertTrue(millis >= 3 * TestHandlers.SLOW_MILLIS - 50, "six slow answers in " + millis + " ms");
    }
  }

  @Test
  void answersWhatIsPendingWhenTheClientHalfCloses() throws IOException {
    try (MirrorServer server = MirrorServer.start(loopback(), TestHandlers.scripted());
        Socket socket = Wire.connect(server.localAddresses().get(0), READ_TIMEOUT)) {
      Wire.writeFrames(socket.getOutputStream(),
          List.of(Wire.query(1, "slow.example.", Type.A), Wire.query(2, "a.example.", Type.A), Wire.query(3, "slow.example.", Type.A)));
      socket.shutdownOutput();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      assertEquals(ids(1, 3), readIds(in, 3));
      assertNull(Wire.readFrame(in), "closed once everything was answered");
    }
  }

  @Test
  void survivesGarbageLengthPrefixes() throws IOException {
    try (MirrorServer server = MirrorServer.start(loopback(), TestHandlers.echo())) {
      InetSocketAddress address = server.localAddresses().get(0);
      try (Socket zero = Wire.connect(address, READ_TIMEOUT)) {
        zero.getOutputStream().write(new byte[] {0, 0});
        assertClosedByServer(zero);
      }
      try (Socket huge = Wire.connect(address, READ_TIMEOUT)) {
        OutputStream out = huge.getOutputStream();
        out.write(new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3, 4, 5});
        huge.shutdownOutput();
        assertClosedByServer(huge);
      }
      try (Socket half = Wire.connect(address, READ_TIMEOUT)) {
        half.getOutputStream().write(0x12);
      }
      try (Socket shortMessage = Wire.connect(address, READ_TIMEOUT)) {
        // A message too short for a header gets no answer (the handler's rule); the next one does.
        Wire.writeFrames(shortMessage.getOutputStream(), List.of(new byte[] {1, 2, 3}, Wire.query(9, "after.example.", Type.A)));
        assertEquals(9, Wire.readMessage(new DataInputStream(shortMessage.getInputStream())).getHeader().getID());
      }
      Await.until(() -> server.counters().tcpOpen() == 0);
      try (Socket fine = Wire.connect(address, READ_TIMEOUT)) {
        roundTrip(fine, 10);
      }
    }
  }

  @Test
  void closesTheConnectionOfAClientThatStopsReading() throws IOException {
    QueryHandler flood = (query, transport, client, out) -> {
      ByteBuffer big = ByteBuffer.allocate(60_000);
      while (true) {
        out.send(big.duplicate());
      }
    };
    ServerNetOptions options = loopback().withTcpIdleTimeout(Duration.ofMillis(300));
    try (MirrorServer server = MirrorServer.start(options, flood); Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(server.localAddresses().get(0), 2_000);
      Wire.writeFrames(socket.getOutputStream(), List.of(Wire.query(1, "example.", Type.AXFR)));
      Await.until(() -> server.counters().tcpTimedOut() == 1 && server.counters().tcpOpen() == 0);
    }
  }

  private static void roundTrip(Socket socket, int id) throws IOException {
    Wire.writeFrames(socket.getOutputStream(), List.of(Wire.query(id, "rt.example.", Type.A)));
    assertEquals(id, Wire.readMessage(new DataInputStream(socket.getInputStream())).getHeader().getID());
  }

  /** The server closed (or reset) the connection. */
  private static void assertClosedByServer(Socket socket) throws IOException {
    try {
      assertEquals(-1, socket.getInputStream().read());
    } catch (SocketException reset) {
      // a reset is a close too
    }
  }

  /** The server resets the connection: seen by connect itself when the reset wins the race, else by the first read. */
  private static void assertRefused(InetSocketAddress address) throws IOException {
    Socket socket;
    try {
      socket = Wire.connect(address, READ_TIMEOUT);
    } catch (SocketException reset) {
      return;
    }
    try (socket) {
      assertClosedByServer(socket);
    }
  }

  private static Set<Integer> readIds(DataInputStream in, int count) throws IOException {
    Set<Integer> ids = new HashSet<>();
    for (int i = 0; i < count; i++) {
      ids.add(Wire.readMessage(in).getHeader().getID());
    }
    return ids;
  }

  private static Set<Integer> ids(int from, int to) {
    Set<Integer> ids = new HashSet<>();
    for (int id = from; id <= to; id++) {
      ids.add(id);
    }
    return ids;
  }
}
