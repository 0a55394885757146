package org.rootmirror.sync.server.xfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.dnssec.testing.Fixtures;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.sync.source.AxfrSource;
import org.rootmirror.sync.source.FetchContext;
import org.rootmirror.sync.source.FetchResult;
import org.rootmirror.sync.source.IxfrSource;
import org.rootmirror.sync.source.Known;
import org.rootmirror.sync.source.Limits;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.rootmirror.sync.store.ZoneStore;
import org.rootmirror.sync.testing.TestZones;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.ZoneTransferIn;

/**
 * The transfer handler behind a real socket ({@link TransferTestServer}), read by real clients: the
 * project's own AXFR and IXFR sources, dnsjava's {@link ZoneTransferIn}, and from Debian BIND's
 * {@code dig}, Knot's {@code kdig} and {@code ldns-verify-zone}, which checks every signature and
 * the ZONEMD of the zone as transferred. A test whose tool is not installed is skipped, saying so.
 */
@Timeout(60)
class TransferInteropTest {
  private static final Limits LIMITS =
      new Limits(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(10), Limits.DEFAULT_MAX_BYTES);

  private static TransferTestServer rootServer;

  @TempDir
  Path dir;

  /** One server for the real root zone, so that it is encoded once for all the tests that transfer it. */
  private static synchronized TransferTestServer root() throws IOException {
    if (rootServer == null) {
      PublishedZone published = Handlers.publishing(Snapshots.root2026());
      TransferHandler handler = new TransferHandler(published, null, AddressAcl.loopback(), NotifyReceiver.refusingAll());
      rootServer = TransferTestServer.start(handler, published);
    }
    return rootServer;
  }

  @AfterAll
  static synchronized void closeRootServer() throws IOException {
    if (rootServer != null) {
      rootServer.close();
      rootServer = null;
    }
  }

  private static TransferTestServer serving(ZoneSnapshot current, ZoneStore store) throws IOException {
    PublishedZone published = Handlers.publishing(current);
    return TransferTestServer.start(new TransferHandler(published, store, AddressAcl.loopback(), NotifyReceiver.refusingAll()),
        published);
  }

  private static List<Record> rootRecords() throws IOException {
    return Snapshots.root2026().zone().records();
  }

  @Test
  void theAxfrSourceFetchesTheWholeRootZone() throws Exception {
    FetchResult result = new AxfrSource(root().uri("axfr")).fetch(new FetchContext(LIMITS, Known.NOTHING, null, null));

    FetchResult.Fetched fetched = assertInstanceOf(FetchResult.Fetched.class, result);
    assertSameRecords(rootRecords(), TestZones.parse(new String(fetched.text(), StandardCharsets.UTF_8)));
  }

  @Test
  void dnsjavaReceivesTheWholeRootZone() throws Exception {
    ZoneTransferIn xfr = ZoneTransferIn.newAXFR(Name.root, root().address(), null);
    xfr.setTimeout(Duration.ofSeconds(30));
    xfr.run();

    assertTrue(xfr.isAXFR());
    assertSameRecords(rootRecords(), xfr.getAXFR());
  }

  @Test
  void theIxfrSourceAppliesTheDifferenceAndHoldsTheNewVersion() throws Exception {
    Versions v = Versions.get();
    try (TransferTestServer server = serving(v.snapshot(2), v.store(dir, 1, 2))) {
      Zone held = TestZones.zone(v.records(1));
      FetchContext context = new FetchContext(LIMITS, new Known(v.serial(1), null, null, -1), held, null);
      FetchResult result = new IxfrSource(server.uri("ixfr")).fetch(context);

      FetchResult.Fetched fetched = assertInstanceOf(FetchResult.Fetched.class, result);
      assertTrue(fetched.detail().contains(v.serial(1) + " -> " + v.serial(2) + " in 1 difference"), fetched.detail());
      assertEquals(TestZones.recordSet(v.records(2)), TestZones.recordSet(fetched.text()));
    }
  }

  @Test
  void dnsjavaIsToldByIxfrThatItIsCurrentOrGivenTheDifference() throws Exception {
    Versions v = Versions.get();
    try (TransferTestServer server = serving(v.snapshot(2), v.store(dir, 1, 2))) {
      ZoneTransferIn current = ZoneTransferIn.newIXFR(Name.root, v.serial(2), false, server.address(), null);
      current.run();
      assertTrue(current.isCurrent());

      ZoneTransferIn behind = ZoneTransferIn.newIXFR(Name.root, v.serial(1), false, server.address(), null);
      behind.run();
      assertTrue(behind.isIXFR());
      List<ZoneTransferIn.Delta> deltas = behind.getIXFR();
      assertEquals(1, deltas.size());
      assertEquals(v.serial(1), deltas.get(0).start);
      assertEquals(v.serial(2), deltas.get(0).end);
    }
  }

  @Test
  void digReceivesTheWholeRootZone() throws Exception {
    List<Record> received = parse(run(tool("dig", "bind9-dnsutils"), "@127.0.0.1", "-p", Integer.toString(root().port()),
        "+nocmd", "+nostats", "+nocomments", "+noquestion", ".", "AXFR"));

    assertEquals(rootRecords().size() + 1, received.size(), "every record, the SOA twice");
    assertEquals(received.get(0).toString(), received.get(received.size() - 1).toString());
    assertSameRecords(rootRecords(), received);
  }

  @Test
  void digReceivesTheDifferenceInRfc1995Order() throws Exception {
    Versions v = Versions.get();
    try (TransferTestServer server = serving(v.snapshot(2), v.store(dir, 1, 2))) {
      List<Record> received = parse(run(tool("dig", "bind9-dnsutils"), "@127.0.0.1", "-p", Integer.toString(server.port()),
          "+tcp", "+nocmd", "+nostats", "+nocomments", "+noquestion", ".", "IXFR=" + v.serial(1)));

      String soa2 = v.snapshot(2).zone().soa().toString();
      assertEquals(soa2, received.get(0).toString());
      assertEquals(v.serial(1), assertInstanceOf(SOARecord.class, received.get(1)).getSerial());
      assertEquals(soa2, received.get(received.size() - 1).toString());
      assertEquals(4, received.stream().filter(r -> r instanceof SOARecord).count(), "one condensed difference");
    }
  }

  @Test
  void kdigReceivesTheWholeRootZone() throws Exception {
    // +noidn: names as they are on the wire (xn--...), not turned into Unicode for a UTF-8 terminal
    List<Record> received = parse(run(tool("kdig", "knot-dnsutils"), "@127.0.0.1", "-p", Integer.toString(root().port()),
        "+noidn", ".", "AXFR"));

    assertEquals(rootRecords().size() + 1, received.size(), "every record, the SOA twice");
    assertSameRecords(rootRecords(), received);
  }

  @Test
  void ldnsVerifyZoneAcceptsTheZoneAsTransferred() throws Exception {
    String verify = tool("ldns-verify-zone", "ldnsutils");
    // +onesoa: the zone once, as a zone file has it, not the transfer's closing SOA
    String zone = run(tool("dig", "bind9-dnsutils"), "@127.0.0.1", "-p", Integer.toString(root().port()),
        "+onesoa", "+nocmd", "+nostats", "+nocomments", "+noquestion", ".", "AXFR");
    Path file = dir.resolve("root.zone.transferred");
    Files.writeString(file, zone);
    String time = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC).format(Fixtures.TIME_2026);

    String out = run(verify, "-ZZ", "-t", time, "-k", Fixtures.trustAnchor("root.key").toString(), file.toString());

    assertTrue(out.contains("Zone is verified and complete"), out);
  }

  /** Equal record sets; when not, a message naming a few differences rather than both sets whole. */
  private static void assertSameRecords(List<Record> expected, List<Record> actual) {
    Set<String> want = TestZones.recordSet(expected);
    Set<String> got = TestZones.recordSet(actual);
    if (!want.equals(got)) {
      List<String> missing = want.stream().filter(r -> !got.contains(r)).limit(5).toList();
      List<String> extra = got.stream().filter(r -> !want.contains(r)).limit(5).toList();
      throw new AssertionError("record sets differ; missing, e.g. " + missing + "; unexpected, e.g. " + extra);
    }
  }

  /** The path of {@code name} on the PATH; skips the test, naming the Debian package, when it is not there. */
  private static String tool(String name, String debianPackage) {
    for (String entry : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
      Path p = Path.of(entry, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    assumeTrue(false, name + " is not installed (Debian package " + debianPackage + "); skipping the check by an independent client");
    return null;
  }

  /** Runs a command to completion; fails with its output unless it exits 0. */
  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    String text = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), () -> String.join(" ", command) + " failed:\n" + text);
    return text;
  }

  /** The records a client printed, its comment lines left out. */
  private static List<Record> parse(String output) {
    List<String> lines = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (!line.isBlank() && !line.startsWith(";")) {
        lines.add(line);
      }
    }
    return TestZones.parse(String.join("\n", lines) + "\n");
  }
}
