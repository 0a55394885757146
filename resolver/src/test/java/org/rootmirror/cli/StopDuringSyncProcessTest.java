package org.rootmirror.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.sync.SyncService;
import org.rootmirror.sync.testing.RootZoneVersions;
import picocli.CommandLine;

/**
 * SIGTERM while a sync is under way (its source a loopback port that takes the SOA query and
 * never answers): {@code run} and {@code sync-daemon} end promptly, as SIGTERM ends a JVM, and
 * the state directory holds the zone stored before, whole, and nothing else.
 */
class StopDuringSyncProcessTest {
  /** Generous: the process must end far sooner (about 50 ms with bin/jvm-launch), but tests assert behaviour, not speed. */
  private static final Duration EXIT_DEADLINE = Duration.ofSeconds(20);
  private static RootZoneVersions versions;

  @TempDir Path dir;

  @BeforeAll
  static void sign() throws IOException {
    versions = new RootZoneVersions(Instant.now().minus(Duration.ofHours(1)));
  }

  @Test
  void syncDaemonStoppedMidSyncEndsAndKeepsOnlyWholeVersions() throws Exception {
    stopMidSync("sync-daemon", "--listen", "127.0.0.1:0");
  }

  @Test
  void runStoppedMidSyncEndsAndKeepsOnlyWholeVersions() throws Exception {
    stopMidSync("run", "--listen", "127.0.0.1:0", "--mirror-listen", "127.0.0.1:0", "--metrics", "off");
  }

  private void stopMidSync(String command, String... listen) throws Exception {
    Path state = dir.resolve("state");
    Path runtime = dir.resolve("run");
    Path anchors = Files.writeString(dir.resolve("anchors.ds"), versions.anchors().all().get(0).record() + "\n");
    Path zone = Files.write(dir.resolve("root.zone"), versions.text(1));
    StringWriter out = new StringWriter();
    assertEquals(0, cli(out, "refresh", "--state-dir", state.toString(), "--runtime-dir", runtime.toString(),
        "--anchors", anchors.toString(), "--source", zone.toUri().toString()), out.toString());
    List<String> before = files(state);

    try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      if (Runtime.version().feature() >= 22) {
        args.add("-XX:UserThreadWaitAttemptsAtExit=1"); // as bin/jvm-launch starts it
      }
      args.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), command,
          "--state-dir", state.toString(), "--runtime-dir", runtime.toString(), "--anchors", anchors.toString(),
          "--source", "axfr://127.0.0.1:" + silent.getLocalPort()));
      args.addAll(List.of(listen));
      Process daemon = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile()).start();
      try {
        // the sync's SOA query arriving proves the sync under way; it is never answered
        silent.setSoTimeout((int) EXIT_DEADLINE.toMillis());
        try {
          silent.receive(new DatagramPacket(new byte[512], 512));
        } catch (SocketTimeoutException e) {
          throw new AssertionError("no sync started; log:\n" + log());
        }
        assertTrue(daemon.isAlive(), log());

        long sent = System.nanoTime();
        daemon.destroy(); // SIGTERM
        assertTrue(daemon.waitFor(EXIT_DEADLINE.toSeconds(), TimeUnit.SECONDS), command + " did not stop on SIGTERM; log:\n" + log());
        System.err.printf("StopDuringSyncProcessTest: %s ended %d ms after SIGTERM, mid-sync%n", command,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
        assertEquals(143, daemon.exitValue(), "a JVM ended by SIGTERM exits 128+15; log:\n" + log());
      } finally {
        daemon.destroyForcibly();
      }
    }
    assertEquals(before, files(state), "the state directory holds the zone stored before, whole, and nothing else");
    assertFalse(Files.exists(runtime.resolve(SyncService.SOCKET)), "the control socket is removed");
    assertFalse(log().contains("ERROR") || log().contains("Exception"), "a stop is not an error:\n" + log());
  }

  /** Every file under {@code state} but the lock: the zone files and their commit records. */
  private static List<String> files(Path state) throws IOException {
    try (Stream<Path> walk = Files.walk(state)) {
      return walk.filter(Files::isRegularFile).map(p -> state.relativize(p).toString()).filter(p -> !p.equals("sync.lock"))
          .sorted().toList();
    }
  }

  private static int cli(StringWriter out, String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    return cli.execute(args);
  }

  private String log() throws IOException {
    Path log = dir.resolve("daemon.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }
}
