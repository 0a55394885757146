package org.rootmirror.sync.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.sync.SyncService;
import org.rootmirror.sync.accept.SyncPolicy;
import org.rootmirror.sync.accept.ZoneSync;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneStore;
import org.rootmirror.sync.testing.MutableClock;
import org.rootmirror.sync.testing.RootZoneVersions;
import org.rootmirror.sync.testing.StaticSource;

/** The daemon's control socket, for real: a Unix domain socket, requests and replies. */
class ControlSocketTest {
  private static final Instant SIGNED = Instant.parse("2026-11-01T00:00:00Z");
  private static RootZoneVersions versions;

  @TempDir Path state;
  @TempDir Path runtime;
  private final MutableClock clock = new MutableClock(SIGNED.plus(Duration.ofHours(1)));
  private final PublishedZone published = new PublishedZone();
  private final StaticSource source = new StaticSource("https://mirror.test/root.zone");
  private SyncService service;

  @BeforeAll
  static void sign() throws IOException {
    versions = new RootZoneVersions(SIGNED);
  }

  @BeforeEach
  void start() throws Exception {
    source.serve(versions.text(1));
    ZoneSync sync = new ZoneSync(List.of(source), uri -> null, new ZoneStore(state), published, versions.anchors(), clock,
        SyncPolicy.defaults());
    service = new SyncService(sync, published, clock, new Random(1));
    service.start(runtime);
  }

  @AfterEach
  void stop() throws Exception {
    service.close();
  }

  private Path socket() {
    return runtime.resolve(SyncService.SOCKET);
  }

  @Test
  void socketIsReadableAndWritableByOwnerAndGroupOnly() throws IOException {
    assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket())));
  }

  @Test
  void refreshThroughTheSocketReportsTheNewSerial() throws Exception {
    awaitPublished(); // the scheduler's first check, at start, takes version 1
    source.serve(versions.text(2));
    List<String> lines = new ArrayList<>();
    int code = ControlClient.send(socket(), ControlRequest.refresh(false, null), lines::add);
    assertEquals(0, code, lines.toString());
    String result = lines.stream().filter(l -> !l.startsWith("progress")).findFirst().orElseThrow();
    assertTrue(result.startsWith("updated: ") && result.contains("-> " + versions.serial(2)), result);
    assertEquals(versions.serial(2), published.current().orElseThrow().serial());
  }

  @Test
  void failedRefreshExitsOneAndNamesTheSource() throws IOException {
    source.fail(org.rootmirror.sync.source.FetchException.Kind.NOT_FOUND, "HTTP 404");
    List<String> lines = new ArrayList<>();
    assertEquals(1, ControlClient.send(socket(), ControlRequest.refresh(true, null), lines::add));
    assertTrue(String.join("\n", lines).contains("https://mirror.test/root.zone: HTTP 404"), lines.toString());
  }

  @Test
  void statusAsJsonNamesSerialSourceAndNextCheck() throws Exception {
    awaitPublished();
    // published comes before the first check has finished (and its next one is planned): ask until it has
    String json = "";
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!json.contains("\"syncing_since\":null") && System.nanoTime() < deadline) {
      List<String> lines = new ArrayList<>();
      assertEquals(0, ControlClient.send(socket(), ControlRequest.status(true), lines::add));
      assertEquals(1, lines.size());
      json = lines.get(0);
      Thread.sleep(json.contains("\"syncing_since\":null") ? 0 : 20);
    }
    assertTrue(json.startsWith("{\"serving\":true,\"serial\":" + versions.serial(1) + ",\"source\":\"https://mirror.test/root.zone\""), json);
    assertTrue(json.contains("\"next_check\":\""), json);
  }

  @Test
  void twoConcurrentRefreshesBothFinishAndNeverWriteAtOnce() throws Exception {
    awaitPublished();
    source.serve(versions.text(3));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Callable<List<String>> refresh = () -> {
        List<String> lines = new ArrayList<>();
        lines.add("exit " + ControlClient.send(socket(), ControlRequest.refresh(false, null), lines::add));
        return lines;
      };
      Future<List<String>> a = pool.submit(refresh);
      Future<List<String>> b = pool.submit(refresh);
      List<String> all = new ArrayList<>(a.get());
      all.addAll(b.get());
      assertEquals(2, all.stream().filter(l -> l.equals("exit 0")).count(), all.toString());
      assertEquals(1, all.stream().filter(l -> l.startsWith("updated:")).count(), "one updates, the other finds it current: " + all);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void unknownCommandIsAUsageError() throws IOException {
    try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      ch.connect(java.net.UnixDomainSocketAddress.of(socket()));
      ch.write(java.nio.ByteBuffer.wrap("reload everything\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      String reply = new String(java.nio.channels.Channels.newInputStream(ch).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertEquals("error: unknown command 'reload'\nexit 2\n", reply);
    }
  }

  @Test
  void theDaemonLeavesANoteInTheStateDirectoryAndTakesItAwayOnClose() throws Exception {
    DaemonNote note = DaemonNote.read(state).orElseThrow();
    assertEquals(socket().toAbsolutePath(), note.socket());
    assertEquals(ProcessHandle.current().pid(), note.pid());
    assertTrue(note.alive());
    service.close();
    assertTrue(DaemonNote.read(state).isEmpty(), "the note goes with the daemon");
  }

  @Test
  void withNoDaemonTheClientFailsFast() {
    assertThrows(IOException.class, () -> ControlClient.send(runtime.resolve("nobody.sock"), ControlRequest.status(false), l -> {}));
  }

  private void awaitPublished() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (published.current().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(published.current().isPresent(), "the first scheduled check published nothing");
  }
}
