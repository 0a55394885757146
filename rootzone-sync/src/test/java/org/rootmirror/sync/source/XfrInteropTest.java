package org.rootmirror.sync.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.dnssec.testing.Fixtures;
import org.rootmirror.sync.testing.NsdConfig;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.sync.testing.TestZones;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The AXFR and IXFR sources against a real authoritative server from Debian, NSD (package nsd) or
 * Knot DNS (package knot), serving the real root zone fixture on 127.0.0.1. Skipped, saying so,
 * where neither is installed; CI installs one. The server runs from a configuration written in a
 * temporary directory, unprivileged, and is stopped at the end.
 */
@Timeout(60)
class XfrInteropTest {
  private static final Limits LIMITS =
      new Limits(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(10), Limits.DEFAULT_MAX_BYTES);

  @TempDir
  static Path dir;

  private static Process server;
  private static String serverName;
  private static int port;
  private static Zone root;

  /**
   * Starts the server on first use. The check is made in each test rather than in a @BeforeAll,
   * so that every skipped test shows the reason in the report.
   */
  private static synchronized void serving() throws Exception {
    Optional<Path> nsd = executable("nsd");
    Optional<Path> knotd = executable("knotd");
    assumeTrue(nsd.isPresent() || knotd.isPresent(),
        "neither nsd nor knotd is installed (Debian: apt-get install nsd, or knot); skipping the interoperability test");
    root = TestZones.root2026();
    if (server != null) {
      assumeTrue(server.isAlive(), serverName + " is not running; the first test says why");
      return;
    }
    Path zoneFile = Fixtures.rootZone(Fixtures.ZONE_2026).toAbsolutePath().normalize();
    port = freePort();
    List<String> command;
    if (nsd.isPresent()) {
      serverName = "NSD";
      Path conf = Files.writeString(dir.resolve("nsd.conf"), NsdConfig.serving(dir, zoneFile, port));
      command = List.of(nsd.get().toString(), "-d", "-c", conf.toString());
    } else {
      serverName = "Knot DNS";
      Files.createDirectories(dir.resolve("db"));
      Path conf = Files.writeString(dir.resolve("knot.conf"), knotConf(dir, zoneFile, port));
      command = List.of(knotd.get().toString(), "-c", conf.toString());
    }
    server = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("server.out").toFile())
        .start();
    awaitServing();
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void axfrFromARealServerGivesTheSameRecordsAsTheFile() throws Exception {
    serving();
    FetchResult result = new AxfrSource(uri("axfr")).fetch(new FetchContext(LIMITS, Known.NOTHING, null, null));

    FetchResult.Fetched fetched = assertInstanceOf(FetchResult.Fetched.class, result, serverName);
    assertEquals(TestZones.recordSet(root.records()), TestZones.recordSet(fetched.text()), serverName);
  }

  @Test
  void unchangedSerialOnARealServerIsSkipped() throws Exception {
    serving();
    Known known = new Known(root.soa().getSerial(), null, null, -1);

    FetchResult result = new AxfrSource(uri("axfr")).fetch(new FetchContext(LIMITS, known, root, null));

    assertInstanceOf(FetchResult.Unchanged.class, result, serverName);
  }

  @Test
  void ixfrFromARealServerWithoutDifferencesGivesTheWholeZone() throws Exception {
    serving();
    // the server has no differences from an older serial: it answers with the whole zone (RFC 1995 section 4)
    List<Record> older = TestZones.withSerial(root.records(), root.soa().getSerial() - 1);
    Zone held = TestZones.zone(older);
    FetchContext context = new FetchContext(LIMITS, new Known(held.soa().getSerial(), null, null, -1), held, null);

    FetchResult result = new IxfrSource(uri("ixfr")).fetch(context);

    FetchResult.Fetched fetched = assertInstanceOf(FetchResult.Fetched.class, result, serverName);
    assertEquals(TestZones.recordSet(root.records()), TestZones.recordSet(fetched.text()), serverName);
  }

  private static URI uri(String scheme) {
    return URI.create(scheme + "://127.0.0.1:" + port);
  }

  /** Waits until the server answers the SOA query with the fixture's serial. */
  private static void awaitServing() throws Exception {
    AxfrSource probe = new AxfrSource(uri("axfr"));
    Limits quick = new Limits(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(1), 1); // no transfer expected
    Known known = new Known(root.soa().getSerial(), null, null, -1);
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    FetchException last = null;
    while (System.nanoTime() < end) {
      if (!server.isAlive()) {
        fail(serverName + " exited with " + server.exitValue() + ":\n" + output());
      }
      try {
        if (probe.fetch(new FetchContext(quick, known, null, null)) instanceof FetchResult.Unchanged) {
          return;
        }
      } catch (FetchException e) {
        last = e;
      }
      Thread.sleep(100);
    }
    fail(serverName + " did not serve the zone within 30 s (" + last + "):\n" + output());
  }

  /** What the server printed and logged. */
  private static String output() {
    StringBuilder out = new StringBuilder();
    for (String name : List.of("server.out", "nsd.log")) {
      Path file = dir.resolve(name);
      try {
        if (Files.exists(file)) {
          out.append(Files.readString(file, StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        out.append("(cannot read ").append(name).append(": ").append(e).append(")\n");
      }
    }
    return out.toString();
  }

  private static String knotConf(Path dir, Path zoneFile, int port) {
    return """
        server:
            rundir: "%1$s"
            listen: 127.0.0.1@%2$d
        database:
            storage: "%1$s/db"
        log:
          - target: stderr
            any: info
        acl:
          - id: local_transfer
            address: 127.0.0.1
            action: transfer
        zone:
          - domain: .
            file: "%3$s"
            acl: local_transfer
            zonefile-sync: -1
            journal-content: none
        """.formatted(dir.toAbsolutePath(), port, zoneFile);
  }

  /** {@code name} on the PATH or in the sbin directories, which a user's PATH may lack. */
  private static Optional<Path> executable(String name) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/sbin"));
    return dirs.stream()
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, name))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** A port free on 127.0.0.1 for both UDP and TCP, for the server to take. */
  private static int freePort() throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket tcp = new ServerSocket(0, 1, loopback);
        DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, tcp.getLocalPort()))) {
      return tcp.getLocalPort();
    }
  }
}
