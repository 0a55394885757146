package org.rootmirror.sync.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.sync.source.FetchException.Kind;
import org.rootmirror.sync.testing.TestZones;
import org.rootmirror.sync.testing.XfrTestServer;
import org.rootmirror.sync.testing.XfrTestServer.Fault;
import org.rootmirror.sync.testing.XfrTestServer.IxfrMode;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

@Timeout(20)
class IxfrSourceTest {
  private static final Limits LIMITS =
      new Limits(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(5), Limits.DEFAULT_MAX_BYTES);

  private static FetchContext holding(List<Record> records) {
    return holding(records, LIMITS);
  }

  private static FetchContext holding(List<Record> records, Limits limits) {
    Zone zone = TestZones.zone(records);
    return new FetchContext(limits, new Known(zone.soa().getSerial(), null, null, -1), zone, null);
  }

  private static FetchResult.Fetched fetched(FetchResult result) {
    return assertInstanceOf(FetchResult.Fetched.class, result);
  }

  /** The root zone with two delegations gone, one added, one TTL changed and the serial one higher. */
  private static List<Record> nextVersionOf(List<Record> root) {
    List<Record> next = TestZones.without(root, Name.fromConstantString("museum."));
    next = TestZones.without(next, Name.fromConstantString("zm."));
    next = TestZones.with(next, """
        rootmirror-test. 172800 IN NS ns1.rootmirror-test.
        rootmirror-test. 172800 IN NS ns2.rootmirror-test.
        ns1.rootmirror-test. 172800 IN A 192.0.2.53
        ns2.rootmirror-test. 172800 IN AAAA 2001:db8::53
        """);
    Name aero = Name.fromConstantString("aero.");
    next = next.stream()
        .map(r -> r.getName().equals(aero) && r.getType() == Type.NS
            ? Record.newRecord(r.getName(), r.getType(), r.getDClass(), 86400, r.rdataToWireCanonical())
            : r)
        .toList();
    return TestZones.withSerial(next, 2026073103);
  }

  @Test
  void ixfrAppliesTheDifferencesBetweenTwoVersionsOfTheRootZone() throws Exception {
    List<Record> v1 = TestZones.root2026().records();
    List<Record> v2 = nextVersionOf(v1);
    try (XfrTestServer server = XfrTestServer.start(Name.root, v1).publish(v2)) {
      FetchResult.Fetched result = fetched(new IxfrSource(server.uri("ixfr")).fetch(holding(v1)));

      assertEquals(TestZones.recordSet(v2), TestZones.recordSet(result.text()));
      assertTrue(result.detail().contains("serial 2026073102 -> 2026073103 in 1 difference"), result.detail());
      assertEquals(1, server.queries(Type.IXFR));
      assertEquals(0, server.queries(Type.AXFR));
    }
  }

  @Test
  void ixfrAppliesSeveralDifferencesInOrder() throws Exception {
    List<Record> v1 = TestZones.small(1);
    List<Record> v2 = TestZones.without(TestZones.small(2), Name.fromConstantString("ccc."));
    List<Record> v3 = TestZones.withSerial(TestZones.with(v2, "ddd. 172800 IN NS ns1.example.\nccc. 3600 IN NS ns2.example."), 3);
    try (XfrTestServer server = XfrTestServer.start(Name.root, v1).publish(v2).publish(v3)) {
      FetchResult.Fetched result = fetched(new IxfrSource(server.uri("ixfr")).fetch(holding(v1)));

      assertEquals(TestZones.recordSet(v3), TestZones.recordSet(result.text()));
      assertTrue(result.detail().contains("serial 1 -> 3 in 2 differences"), result.detail());
      assertTrue(new String(result.text(), java.nio.charset.StandardCharsets.UTF_8).startsWith(v3.get(0).toString()));
    }
  }

  @Test
  void withNoZoneHeldTheWholeZoneComesByAxfr() throws Exception {
    List<Record> v1 = TestZones.small(1);
    try (XfrTestServer server = XfrTestServer.start(Name.root, v1)) {
      FetchResult.Fetched result = fetched(new IxfrSource(server.uri("ixfr")).fetch(FetchContext.fresh()));

      assertEquals(TestZones.recordSet(v1), TestZones.recordSet(result.text()));
      assertEquals(0, server.queries(Type.IXFR));
      assertEquals(1, server.queries(Type.AXFR));
      assertTrue(result.detail().startsWith("no zone held"), result.detail());
    }
  }

  @Test
  void primaryWithoutIxfrFallsBackToAxfr() throws Exception {
    List<Record> v1 = TestZones.small(1);
    List<Record> v2 = TestZones.small(2);
    try (XfrTestServer server = XfrTestServer.start(Name.root, v1).publish(v2).ixfr(IxfrMode.NOT_IMPLEMENTED)) {
      FetchResult.Fetched result = fetched(new IxfrSource(server.uri("ixfr")).fetch(holding(v1)));

      assertEquals(TestZones.recordSet(v2), TestZones.recordSet(result.text()));
      assertEquals(1, server.queries(Type.IXFR));
      assertEquals(1, server.queries(Type.AXFR));
    }
  }

  @Test
  void primaryAnsweringIxfrWithTheWholeZoneIsTaken() throws Exception {
    List<Record> v1 = TestZones.small(1);
    List<Record> v2 = TestZones.without(TestZones.small(2), Name.fromConstantString("aaa."));
    try (XfrTestServer server = XfrTestServer.start(Name.root, v1).publish(v2).ixfr(IxfrMode.FULL_ZONE)) {
      FetchResult.Fetched result = fetched(new IxfrSource(server.uri("ixfr")).fetch(holding(v1)));

      assertEquals(TestZones.recordSet(v2), TestZones.recordSet(result.text()));
      assertEquals(0, server.queries(Type.AXFR));
      assertTrue(result.detail().contains("answered with the whole zone"), result.detail());
    }
  }

  @Test
  void versionThePrimaryNoLongerKeepsGetsTheWholeZone() throws Exception {
    List<Record> held = TestZones.small(7);
    List<Record> v8 = TestZones.with(TestZones.small(8), "eee. 172800 IN NS ns1.example.");
    try (XfrTestServer server = XfrTestServer.start(Name.root, TestZones.small(1)).publish(v8)) {
      FetchResult.Fetched result = fetched(new IxfrSource(server.uri("ixfr")).fetch(holding(held)));

      assertEquals(TestZones.recordSet(v8), TestZones.recordSet(result.text()));
    }
  }

  @Test
  void differencesThatDoNotFitTheZoneHeldAreReplacedByAnAxfr() throws Exception {
    List<Record> v1 = TestZones.small(1);
    List<Record> v2 = TestZones.without(TestZones.small(2), Name.fromConstantString("ccc."));
    // the zone held has serial 1 but lacks ccc., which the difference to serial 2 deletes
    List<Record> divergent = TestZones.without(v1, Name.fromConstantString("ccc."));
    try (XfrTestServer server = XfrTestServer.start(Name.root, v1).publish(v2)) {
      FetchResult.Fetched result = fetched(new IxfrSource(server.uri("ixfr")).fetch(holding(divergent)));

      assertEquals(TestZones.recordSet(v2), TestZones.recordSet(result.text()));
      assertEquals(1, server.queries(Type.IXFR));
      assertEquals(1, server.queries(Type.AXFR));
      assertTrue(result.detail().contains("did not fit the zone held"), result.detail());
    }
  }

  @Test
  void unchangedSerialIsSkippedWithoutATransfer() throws Exception {
    List<Record> v1 = TestZones.small(1);
    try (XfrTestServer server = XfrTestServer.start(Name.root, v1)) {
      FetchResult result = new IxfrSource(server.uri("ixfr")).fetch(holding(v1));

      assertEquals("serial 1 is not newer than 1", assertInstanceOf(FetchResult.Unchanged.class, result).why());
      assertEquals(0, server.queries(Type.IXFR));
      assertEquals(0, server.queries(Type.AXFR));
    }
  }

  @Test
  void primaryAnsweringWithItsSoaAloneMeansUnchanged() throws Exception {
    // the SOA query finds serial 2 newer than the 1 known, but the zone held is already at 2
    List<Record> v2 = TestZones.small(2);
    try (XfrTestServer server = XfrTestServer.start(Name.root, TestZones.small(1)).publish(v2)) {
      FetchContext context = new FetchContext(LIMITS, new Known(1, null, null, -1), TestZones.zone(v2), null);

      FetchResult result = new IxfrSource(server.uri("ixfr")).fetch(context);

      assertEquals(1, server.queries(Type.IXFR));
      assertTrue(assertInstanceOf(FetchResult.Unchanged.class, result).why().contains("serial 2 is current"));
    }
  }

  @Test
  void differencesClosedHalfWayFailAsTruncated() throws Exception {
    List<Record> v1 = TestZones.small(1);
    try (XfrTestServer server = XfrTestServer.start(Name.root, v1).publish(TestZones.small(2)).fault(Fault.TRUNCATE)) {
      FetchException e = assertThrows(FetchException.class, () -> new IxfrSource(server.uri("ixfr")).fetch(holding(v1)));

      assertEquals(Kind.TRUNCATED, e.kind(), e.getMessage());
    }
  }

  @Test
  void zoneOverTheCapOnceTheDifferencesAreAppliedFailsAsTooLarge() throws Exception {
    List<Record> v1 = TestZones.large(1, 5_000);
    List<Record> v2 = TestZones.with(TestZones.large(2, 5_000), "ddd. 172800 IN NS ns1.example.");
    Limits limits = new Limits(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(5), 200_000);
    try (XfrTestServer server = XfrTestServer.start(Name.root, v1).publish(v2)) {
      FetchException e = assertThrows(FetchException.class, () -> new IxfrSource(server.uri("ixfr")).fetch(holding(v1, limits)));

      assertEquals(Kind.TOO_LARGE, e.kind(), e.getMessage());
      assertEquals(0, server.queries(Type.AXFR));
    }
  }
}
