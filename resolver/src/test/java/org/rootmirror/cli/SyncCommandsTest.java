package org.rootmirror.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.rootmirror.sync.accept.NoZoneServed;
import org.rootmirror.sync.accept.SyncPolicy;
import org.rootmirror.sync.accept.ZoneSync;
import org.rootmirror.sync.control.DaemonNote;
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
    try (var kept = Files.list(state.resolve("rejected"))) {
      List<String> names = kept.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(2, names.size(), names.toString());
      assertTrue(names.get(0).matches("root\\.zone\\.[0-9]{8}T[0-9]{6}\\.[0-9]{3}Z\\." + versions.serial(1)), names.toString());
      assertEquals(names.get(0) + ".report", names.get(1));
    }
  }

  @Test
  void statusWithoutADaemonShowsTheStoredZoneAndExitsThree() throws IOException {
    run("refresh", "--state-dir", state.toString(), "--runtime-dir", runtime.toString(),
        "--anchors", anchors().toString(), "--source", zone(1).toUri().toString());
    out.getBuffer().setLength(0);
    assertEquals(StatusCommand.NO_DAEMON, run("status", "--json", "--state-dir", state.toString(), "--runtime-dir", runtime.toString()));
    assertTrue(out.toString().startsWith("{\"serving\":false,\"serial\":" + versions.serial(1)), out.toString());
    assertTrue(out.toString().contains("\"message\":\"no daemon answers on " + runtime.resolve(SyncService.SOCKET)), out.toString());
  }

  private SyncService daemon(Path zone, Path runtimeDir) throws Exception {
    PublishedZone published = new PublishedZone();
    ZoneSync sync = new ZoneSync(List.of(ZoneSources.fromUri(zone.toUri())), ZoneSources::fromUri, new ZoneStore(state),
        published, versions.anchors(), Clock.systemUTC(), SyncPolicy.defaults());
    SyncService daemon = new SyncService(sync, published, Clock.systemUTC(), new Random(2), NoZoneServed.RESOLVER_MEANWHILE);
    daemon.start(runtimeDir);
    return daemon;
  }

  @Test
  void statusOfADaemonServingNothingExitsOneAndSaysWhatToCheck() throws Exception {
    try (SyncService daemon = daemon(files.resolve("missing.zone"), runtime)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      int code;
      do { // until the first sync has failed
        out.getBuffer().setLength(0);
        code = run("status", "--runtime-dir", runtime.toString());
      } while (!out.toString().contains("last error:") && System.nanoTime() < deadline && sleep());
      assertEquals(1, code, out.toString());
      assertTrue(out.toString().startsWith("serving:                   false"), out.toString());
      assertTrue(out.toString().contains("last error:                " + files.resolve("missing.zone").toUri() + ": no such file"), out.toString());
      assertTrue(out.toString().contains("no root zone is served; the resolver uses the public root servers meanwhile; check the network"),
          out.toString());
    }
  }

  private static boolean sleep() throws InterruptedException {
    Thread.sleep(50);
    return true;
  }

  @Test
  void refreshGivenTheStateDirectoryReachesTheDaemonServingItWhereverItsSocketIs() throws Exception {
    Path zone = zone(1);
    try (SyncService daemon = daemon(zone, runtime)) {
      Files.write(zone, versions.text(2));
      Path elsewhere = files.resolve("other-run");
      // no --source: alone, refresh would try the built-in sources; through the daemon it uses the daemon's
      int code = run("refresh", "--force", "--state-dir", state.toString(), "--runtime-dir", elsewhere.toString());
      assertEquals(0, code, out + "" + err);
      assertTrue(out.toString().contains("-> " + versions.serial(2) + " from " + zone.toUri()), out.toString());
      out.getBuffer().setLength(0);
      assertEquals(0, run("status", "--state-dir", state.toString(), "--runtime-dir", elsewhere.toString()), out + "" + err);
      assertTrue(out.toString().contains(String.valueOf(versions.serial(2))), out.toString());
    }
  }

  @Test
  void refreshNeverSyncsBesideADaemonThatServesTheStateDirectoryButDoesNotAnswer() throws Exception {
    // a live process (this one) noted as the daemon, its socket gone
    DaemonNote.write(state, files.resolve("gone").resolve(SyncService.SOCKET));
    int code = run("refresh", "--state-dir", state.toString(), "--runtime-dir", runtime.toString(),
        "--anchors", anchors().toString(), "--source", zone(1).toUri().toString());
    assertEquals(3, code, out + "" + err);
    assertTrue(err.toString().contains("a rootmirror daemon (pid " + ProcessHandle.current().pid() + ") serves " + state), err.toString());
    assertFalse(Files.exists(state.resolve("zones")), "no sync was made beside it");
  }

  @Test
  void aNoteLeftByADaemonThatDiedDoesNotStopARefresh() throws Exception {
    Process dead = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(dead.waitFor(20, java.util.concurrent.TimeUnit.SECONDS));
    Files.createDirectories(state);
    Files.writeString(state.resolve(DaemonNote.FILE), "pid=" + dead.pid() + "\nsocket=" + files.resolve("gone.sock") + "\n");
    int code = run("refresh", "--state-dir", state.toString(), "--runtime-dir", runtime.toString(),
        "--anchors", anchors().toString(), "--source", zone(1).toUri().toString());
    assertEquals(0, code, out + "" + err);
    assertEquals(versions.serial(1), new ZoneStore(state).newest().orElseThrow().metadata().serial());
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
