package org.rootmirror.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.sync.SyncService;
import org.rootmirror.sync.testing.RootZoneVersions;
import picocli.CommandLine;

/**
 * {@code rootmirror sync-daemon} as a real process: it serves its control socket, {@code refresh}
 * and {@code status} reach it, and SIGTERM stops it cleanly and removes the socket.
 */
class SyncDaemonProcessTest {
  @TempDir Path dir;

  @Test
  void daemonAnswersRefreshAndStatusThenStopsOnSigterm() throws Exception {
    RootZoneVersions versions = new RootZoneVersions(Instant.now().minus(Duration.ofHours(1)));
    Path zone = dir.resolve("root.zone");
    Files.write(zone, versions.text(1));
    Path anchors = dir.resolve("anchors.ds");
    Files.writeString(anchors, versions.anchors().all().get(0).record() + "\n");
    Path state = dir.resolve("state");
    Path runtime = dir.resolve("run");
    Path socket = runtime.resolve(SyncService.SOCKET);

    Process daemon = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "sync-daemon", "--state-dir", state.toString(), "--runtime-dir", runtime.toString(), "--listen", "127.0.0.1:0",
        "--anchors", anchors.toString(), "--source", zone.toUri().toString()))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("daemon.log").toFile())
        .start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!Files.exists(socket) && daemon.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(Files.exists(socket), "no control socket; daemon log:\n" + log());

      Files.write(zone, versions.text(2));
      StringWriter out = new StringWriter();
      int code = cli(out, "refresh", "--force", "--runtime-dir", runtime.toString());
      assertEquals(0, code, out + log());
      assertTrue(out.toString().contains(String.valueOf(versions.serial(2))), out.toString());

      out = new StringWriter();
      assertEquals(0, cli(out, "status", "--json", "--runtime-dir", runtime.toString()));
      assertTrue(out.toString().startsWith("{\"serving\":true,\"serial\":" + versions.serial(2)), out.toString());

      daemon.destroy(); // SIGTERM
      assertTrue(daemon.waitFor(20, TimeUnit.SECONDS), "the daemon did not stop on SIGTERM");
      assertEquals(143, daemon.exitValue(), "a JVM stopped by SIGTERM exits 128+15; log:\n" + log());
      assertFalse(Files.exists(socket), "the control socket is removed on the way out");
    } finally {
      daemon.destroyForcibly();
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
