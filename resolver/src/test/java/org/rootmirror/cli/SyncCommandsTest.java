package org.rootmirror.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.sync.SyncService;
import org.rootmirror.sync.accept.SyncPolicy;
import org.rootmirror.sync.accept.ZoneSync;
import org.rootmirror.sync.source.ZoneSources;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneStore;
import org.rootmirror.sync.testing.RootZoneVersions;
import picocli.CommandLine;

/** {@code rootmirror refresh} and {@code status}, with and without a daemon, on real files and sockets. */
class SyncCommandsTest {
  private static RootZoneVersions versions;

  @TempDir Path state;
  @TempDir Path runtime;
  @TempDir Path files;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void sign() throws IOException {
    versions = new RootZoneVersions(Instant.now().minus(Duration.ofHours(1)));
  }

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private Path anchors() throws IOException {
    Path f = files.resolve("anchors.ds");
    Files.writeString(f, versions.anchors().all().get(0).record() + "\n");
    return f;
  }

  private Path zone(int version) throws IOException {
    Path f = files.resolve("root.zone." + version);
    Files.write(f, versions.text(version));
    return f;
  }

  @Test
  void refreshWithoutADaemonSyncsIntoTheStateDirectory() throws IOException {
    Path zone = zone(1);
    int code = run("refresh", "--state-dir", state.toString(), "--runtime-dir", runtime.toString(),
        "--anchors", anchors().toString(), "--source", zone.toUri().toString());
    assertEquals(0, code, out + "" + err);
    assertTrue(out.toString().startsWith("updated: none -> " + versions.serial(1) + " from " + zone.toUri()), out.toString());
    assertEquals(versions.serial(1), new ZoneStore(state).newest().orElseThrow().metadata().serial());
  }

  @Test
  void refreshOfABrokenZoneExitsOneAndKeepsItUnderRejected() throws IOException {
    Path zone = files.resolve("broken.zone");
    Files.writeString(zone, new String(versions.text(1), java.nio.charset.StandardCharsets.UTF_8).replace("192.5.6.30", "192.0.2.1"));
    int code = run("refresh", "--state-dir", state.toString(), "--runtime-dir", runtime.toString(),
        "--anchors", anchors().toString(), "--source", zone.toUri().toString());
    assertEquals(1, code, out + "" + err);
    assertTrue(out.toString().contains("digest-mismatch"), out.toString());
    assertTrue(Files.exists(state.resolve("rejected").resolve("root.zone")));
  }

  @Test
  void statusWithoutADaemonShowsTheStoredZone() throws IOException {
    run("refresh", "--state-dir", state.toString(), "--runtime-dir", runtime.toString(),
        "--anchors", anchors().toString(), "--source", zone(1).toUri().toString());
    out.getBuffer().setLength(0);
    assertEquals(0, run("status", "--json", "--state-dir", state.toString(), "--runtime-dir", runtime.toString()));
    assertTrue(out.toString().startsWith("{\"serving\":false,\"serial\":" + versions.serial(1)), out.toString());
  }

  @Test
  void refreshAndStatusTalkToARunningDaemon() throws Exception {
    Path zone = zone(1);
    PublishedZone published = new PublishedZone();
    ZoneSync sync = new ZoneSync(List.of(ZoneSources.fromUri(zone.toUri())), ZoneSources::fromUri, new ZoneStore(state),
        published, versions.anchors(), Clock.systemUTC(), SyncPolicy.defaults());
    try (SyncService daemon = new SyncService(sync, published, Clock.systemUTC(), new Random(2))) {
      daemon.start(runtime);
      Files.write(zone, versions.text(2));
      int code = run("refresh", "--force", "--state-dir", state.toString(), "--runtime-dir", runtime.toString());
      assertEquals(0, code, out + "" + err);
      assertTrue(out.toString().contains(String.valueOf(versions.serial(2))), out.toString());
      out.getBuffer().setLength(0);
      assertEquals(0, run("status", "--runtime-dir", runtime.toString()));
      assertTrue(out.toString().contains("serial:") && out.toString().contains(String.valueOf(versions.serial(2))), out.toString());
      assertTrue(out.toString().startsWith("serving:                   true"), out.toString());
    }
  }
}
