package org.rootmirror.sync.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.sync.source.FetchException.Kind;
import org.rootmirror.sync.testing.TestZones;
import org.rootmirror.sync.testing.XfrTestServer;
import org.rootmirror.sync.testing.XfrTestServer.Fault;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

@Timeout(20)
class AxfrSourceTest {
  private static final Limits LIMITS =
      new Limits(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(5), Limits.DEFAULT_MAX_BYTES);

  private static FetchContext holding(long serial, Limits limits) {
    return new FetchContext(limits, new Known(serial, null, null, -1), null, null);
  }

  private static FetchContext nothingHeld() {
    return holding(-1, LIMITS);
  }

  @Test
  void axfrOfTheRootZoneGivesTheSameRecordsAsTheFile() throws Exception {
    Zone root = TestZones.root2026();
    try (XfrTestServer server = XfrTestServer.start(root)) {
      FetchResult result = new AxfrSource(server.uri("axfr")).fetch(nothingHeld());

      FetchResult.Fetched fetched = assertInstanceOf(FetchResult.Fetched.class, result);
      assertEquals(TestZones.recordSet(root.records()), TestZones.recordSet(fetched.text()));
      assertEquals(fetched.text().length, fetched.size());
      assertTrue(fetched.detail().contains("serial 2026073102"), fetched.detail());
      assertEquals(1, server.queries(Type.AXFR));
    }
  }

  @Test
  void transferredTextIsOneRecordPerLineStartingWithTheSoa() throws Exception {
    List<Record> zone = TestZones.small(2026080100);
    try (XfrTestServer server = XfrTestServer.start(Name.root, zone)) {
      var fetched = (FetchResult.Fetched) new AxfrSource(server.uri("axfr")).fetch(nothingHeld());

      String[] lines = new String(fetched.text(), StandardCharsets.UTF_8).split("\n");
      assertEquals(zone.size(), lines.length);
      assertEquals(zone.get(0).toString(), lines[0]);
      assertEquals(TestZones.recordSet(zone), TestZones.recordSet(fetched.text()));
    }
  }

  @Test
  void unchangedSerialIsSkippedWithoutATransfer() throws Exception {
    try (XfrTestServer server = XfrTestServer.start(Name.root, TestZones.small(2026080100))) {
      FetchResult result = new AxfrSource(server.uri("axfr")).fetch(holding(2026080100, LIMITS));

      var unchanged = assertInstanceOf(FetchResult.Unchanged.class, result);
      assertEquals("serial 2026080100 is not newer than 2026080100", unchanged.why());
      assertEquals(1, server.queries(Type.SOA));
      assertEquals(0, server.queries(Type.AXFR));
    }
  }

  @Test
  void olderSerialOnThePrimaryIsSkipped() throws Exception {
    try (XfrTestServer server = XfrTestServer.start(Name.root, TestZones.small(2026080100))) {
      FetchResult result = new AxfrSource(server.uri("axfr")).fetch(holding(2026080101, LIMITS));

      assertInstanceOf(FetchResult.Unchanged.class, result);
      assertEquals(0, server.queries(Type.AXFR));
    }
  }

  @Test
  void newerSerialOnThePrimaryIsTransferred() throws Exception {
    try (XfrTestServer server = XfrTestServer.start(Name.root, TestZones.small(2026080101))) {
      FetchResult result = new AxfrSource(server.uri("axfr")).fetch(holding(2026080100, LIMITS));

      assertInstanceOf(FetchResult.Fetched.class, result);
      assertEquals(1, server.queries(Type.AXFR));
    }
  }

  @Test
  void serialThatWrappedAroundIsNewer() throws Exception {
    // RFC 1982 section 3.2: 5 is 6 increments after 4294967295
    try (XfrTestServer server = XfrTestServer.start(Name.root, TestZones.small(5))) {
      FetchResult result = new AxfrSource(server.uri("axfr")).fetch(holding(4294967295L, LIMITS));

      assertInstanceOf(FetchResult.Fetched.class, result);
    }
  }

  @Test
  void serialJustBeforeTheWrapIsOlderThanOneAfterIt() throws Exception {
    try (XfrTestServer server = XfrTestServer.start(Name.root, TestZones.small(4294967295L))) {
      FetchResult result = new AxfrSource(server.uri("axfr")).fetch(holding(5, LIMITS));

      assertInstanceOf(FetchResult.Unchanged.class, result);
      assertEquals(0, server.queries(Type.AXFR));
    }
  }

  @Test
  void soaQueryIsAskedAgainOverTcpWhenTheUdpAnswerIsTruncated() throws Exception {
    try (XfrTestServer server = XfrTestServer.start(Name.root, TestZones.small(2026080100)).truncateUdp(true)) {
      FetchResult result = new AxfrSource(server.uri("axfr")).fetch(holding(2026080100, LIMITS));

      assertInstanceOf(FetchResult.Unchanged.class, result);
      assertEquals(2, server.queries(Type.SOA));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {Rcode.REFUSED, Rcode.NOTAUTH})
  void transferAnsweredRefusedOrNotauthFailsAsRefused(int rcode) throws Exception {
    try (XfrTestServer server = XfrTestServer.start(Name.root, TestZones.small(2026080100)).transferRcode(rcode)) {
      FetchException e = assertThrows(FetchException.class, () -> new AxfrSource(server.uri("axfr")).fetch(nothingHeld()));

      assertEquals(Kind.REFUSED, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains(Rcode.string(rcode)), e.getMessage());
    }
  }

  @Test
  void soaQueryAnsweredRefusedFailsAsRefused() throws Exception {
    try (XfrTestServer server = XfrTestServer.start(Name.root, TestZones.small(2026080100)).queryRcode(Rcode.REFUSED)) {
      FetchException e = assertThrows(FetchException.class, () -> new AxfrSource(server.uri("axfr")).fetch(nothingHeld()));

      assertEquals(Kind.REFUSED, e.kind(), e.getMessage());
      assertEquals(0, server.queries(Type.AXFR));
    }
  }

  @Test
  void closedPortFailsToConnectAtOnce() throws Exception {
    URI uri = URI.create("axfr://127.0.0.1:" + closedPort());
    long start = System.nanoTime();

    FetchException e = assertThrows(FetchException.class, () -> new AxfrSource(uri).fetch(nothingHeld()));

    assertEquals(Kind.CONNECT, e.kind(), e.getMessage());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 1_000, "took too long");
  }

  @Test
  void primaryNotListeningOnTcpFailsToConnect() throws Exception {
    try (XfrTestServer server = XfrTestServer.start(Name.root, TestZones.small(2026080100)).stopTcp()) {
      FetchException e = assertThrows(FetchException.class, () -> new AxfrSource(server.uri("axfr")).fetch(nothingHeld()));

      assertEquals(Kind.CONNECT, e.kind(), e.getMessage());
      assertEquals(1, server.queries(Type.SOA));
    }
  }

  @Test
  void stalledTransferFailsWithinTheStallTimeout() throws Exception {
    Limits limits = new Limits(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofMillis(500), Limits.DEFAULT_MAX_BYTES);
    try (XfrTestServer server = XfrTestServer.start(Name.root, TestZones.small(2026080100)).fault(Fault.STALL)) {
      long start = System.nanoTime();

      FetchException e = assertThrows(FetchException.class, () -> new AxfrSource(server.uri("axfr")).fetch(holding(-1, limits)));

      long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      assertEquals(Kind.STALL, e.kind(), e.getMessage());
      assertTrue(millis >= 500 && millis < 2_000, "failed after " + millis + " ms");
      assertConnectionsClose(server);
      assertTrue(!Thread.currentThread().isInterrupted(), "the watchdog's interrupt was left set");
    }
  }

  @Test
  void transferPastTheDeadlineFailsAsTimeout() throws Exception {
    Limits limits = new Limits(Duration.ofSeconds(2), Duration.ofMillis(700), Duration.ofSeconds(5), Limits.DEFAULT_MAX_BYTES);
    try (XfrTestServer server = XfrTestServer.start(Name.root, TestZones.small(2026080100)).fault(Fault.STALL)) {
      long start = System.nanoTime();

      FetchException e = assertThrows(FetchException.class, () -> new AxfrSource(server.uri("axfr")).fetch(holding(-1, limits)));

      long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      assertEquals(Kind.TIMEOUT, e.kind(), e.getMessage());
      assertTrue(millis < 2_000, "failed after " + millis + " ms");
      assertConnectionsClose(server);
    }
  }

  @Test
  void transferClosedHalfWayFailsAsTruncated() throws Exception {
    List<Record> zone = TestZones.large(2026080100, 5_000);
    try (XfrTestServer server = XfrTestServer.start(Name.root, zone).fault(Fault.TRUNCATE)) {
      FetchException e = assertThrows(FetchException.class, () -> new AxfrSource(server.uri("axfr")).fetch(nothingHeld()));

      assertEquals(Kind.TRUNCATED, e.kind(), e.getMessage());
    }
  }

  @Test
  void transferEndingWithAnotherSoaFails() throws Exception {
    try (XfrTestServer server = XfrTestServer.start(Name.root, TestZones.small(2026080100)).fault(Fault.WRONG_FINAL_SOA)) {
      FetchException e = assertThrows(FetchException.class, () -> new AxfrSource(server.uri("axfr")).fetch(nothingHeld()));

      assertEquals(Kind.PROTOCOL, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains("2026080101"), e.getMessage());
    }
  }

  @Test
  void zoneLargerThanTheCapFailsAsTooLargeWithoutReadingItAll() throws Exception {
    List<Record> zone = TestZones.large(2026080100, 5_000);
    Limits limits = new Limits(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(5), 100_000);
    try (XfrTestServer server = XfrTestServer.start(Name.root, zone)) {
      FetchException e = assertThrows(FetchException.class, () -> new AxfrSource(server.uri("axfr")).fetch(holding(-1, limits)));

      assertEquals(Kind.TOO_LARGE, e.kind(), e.getMessage());
      assertConnectionsClose(server);
    }
  }

  @Test
  void progressIsReportedWhileTheZoneArrives() throws Exception {
    List<Record> zone = TestZones.large(2026080100, 5_000);
    try (XfrTestServer server = XfrTestServer.start(Name.root, zone)) {
      long[] last = {0, 0};
      int[] calls = {0};
      FetchContext context = new FetchContext(LIMITS, Known.NOTHING, null, (received, total) -> {
        assertTrue(received >= last[0], "progress went back");
        last[0] = received;
        last[1] = total;
        calls[0]++;
      });

      var fetched = (FetchResult.Fetched) new AxfrSource(server.uri("axfr")).fetch(context);

      assertTrue(calls[0] > 3, calls[0] + " progress reports");
      assertEquals(fetched.size(), last[0]);
      assertEquals(fetched.size(), last[1]);
    }
  }

  @Test
  void uriMustBeAxfrWithAHostAndNothingMore() {
    assertThrows(IllegalArgumentException.class, () -> new AxfrSource(URI.create("ixfr://127.0.0.1")));
    assertThrows(IllegalArgumentException.class, () -> new AxfrSource(URI.create("axfr:///zone")));
    assertThrows(IllegalArgumentException.class, () -> new AxfrSource(URI.create("axfr://127.0.0.1/root.zone")));
    assertEquals(URI.create("axfr://[2001:500:84::b]"), new AxfrSource(URI.create("axfr://[2001:500:84::b]")).uri());
  }

  /** A port on 127.0.0.1 where nothing listens, on UDP or TCP. */
  private static int closedPort() throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket tcp = new ServerSocket(0, 1, loopback);
        DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, tcp.getLocalPort()))) {
      return udp.getLocalPort();
    }
  }

  /** The client closed its end, so the server's connection ended too. */
  static void assertConnectionsClose(XfrTestServer server) throws InterruptedException {
    for (int i = 0; i < 100 && server.openConnections() > 0; i++) {
      Thread.sleep(20);
    }
    assertEquals(0, server.openConnections(), "connections left open");
  }
}
