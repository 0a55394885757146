package org.rootmirror.sync.accept;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.sync.accept.SyncOutcome.Result;
import org.rootmirror.sync.source.FetchContext;
import org.rootmirror.sync.source.FetchException;
import org.rootmirror.sync.source.FetchResult;
import org.rootmirror.sync.source.ZoneSource;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneStore;
import org.rootmirror.sync.testing.MutableClock;
import org.rootmirror.sync.testing.RootZoneVersions;
import org.rootmirror.sync.testing.StaticSource;

/** Stopping the daemon mid-sync: the sync is abandoned, and the state directory keeps only whole versions. */
class ZoneSyncStopTest {
  private static final Instant SIGNED = Instant.parse("2026-11-01T00:00:00Z");
  private static final long DEADLINE_SECONDS = 20;
  private static final Executor THREAD = r -> Thread.ofPlatform().daemon().start(r);
  private static RootZoneVersions versions;

  @TempDir Path state;
  private final MutableClock clock = new MutableClock(SIGNED.plus(Duration.ofHours(1)));
  private final PublishedZone published = new PublishedZone();

  @BeforeAll
  static void sign() throws IOException {
    versions = new RootZoneVersions(SIGNED);
  }

  /**
   * A source that signals when it is asked, then gives {@code text} once released; with {@code
   * interruptible}, an interrupt ends the fetch with a failure, as a socket closed by interrupt does.
   */
  private static final class HeldSource implements ZoneSource {
    final CountDownLatch asked = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final boolean interruptible;
    private final byte[] text;

    HeldSource(byte[] text, boolean interruptible) {
      this.text = text;
      this.interruptible = interruptible;
    }

    @Override
    public URI uri() {
      return URI.create("https://held.test/root.zone");
    }

    @Override
    public FetchResult fetch(FetchContext context) throws FetchException {
      asked.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
      while (System.nanoTime() < deadline) {
        try {
          if (release.await(10, TimeUnit.MILLISECONDS)) {
            return new FetchResult.Fetched(text, null, null, text.length, "held");
          }
        } catch (InterruptedException e) {
          if (interruptible) {
            throw new FetchException(uri(), FetchException.Kind.IO, "closed by interrupt");
          }
        }
      }
      throw new FetchException(uri(), FetchException.Kind.TIMEOUT, "never released");
    }
  }

  private ZoneSync sync(ZoneSource source) {
    return new ZoneSync(List.of(source), uri -> {
      throw new IllegalArgumentException("no ad-hoc sources in this test");
    }, new ZoneStore(state), published, versions.anchors(), clock, SyncPolicy.defaults());
  }

  private void storeFirstVersion() {
    SyncOutcome first = sync(new StaticSource("https://first.test/root.zone").serve(versions.text(1))).sync(SyncRequest.SCHEDULED);
    assertEquals(Result.UPDATED, first.result(), first.describe());
  }

  /** Every file under the state directory but the lock, relative: no temporary file, no orphan. */
  private List<String> files() throws IOException {
    try (Stream<Path> walk = Files.walk(state)) {
      return walk.filter(Files::isRegularFile).map(p -> state.relativize(p).toString()).filter(p -> !p.equals("sync.lock"))
          .sorted().toList();
    }
  }

  /** The files of the one version stored before the stop: the zone, its metadata, and the change log's line for it. */
  private static String zoneFiles(long serial) {
    return "[changes.jsonl, zones/root.zone." + serial + ", zones/root.zone." + serial + ".meta]";
  }

  @Test
  void aSyncFetchingWhenStoppedIsInterruptedAndStoresNothing() throws Exception {
    storeFirstVersion();
    HeldSource source = new HeldSource(versions.text(2), true);
    ZoneSync sync = sync(source);
    CompletableFuture<SyncOutcome> running = CompletableFuture.supplyAsync(() -> sync.sync(SyncRequest.SCHEDULED), THREAD);
    assertTrue(source.asked.await(DEADLINE_SECONDS, TimeUnit.SECONDS));
    assertEquals(new SyncRunning(clock.instant(), source.uri()), sync.running().orElseThrow(), "status shows the sync under way");

    assertTrue(sync.stop(Duration.ofSeconds(1)), "no write was under way");
    SyncOutcome outcome = running.get(DEADLINE_SECONDS, TimeUnit.SECONDS); // ends on the interrupt, not the release
    assertEquals(Result.FAILED, outcome.result());
    assertTrue(outcome.summary().startsWith("abandoned"), outcome.describe());
    assertEquals(zoneFiles(versions.serial(1)), files().toString());
    assertEquals(versions.serial(1), published.current().orElseThrow().serial(), "the zone held keeps serving");
    assertTrue(sync.running().isEmpty());
  }

  @Test
  void aSourceThatThrowsBecauseTheJvmIsStoppingEndsInAnAbandonedSyncNotAnException() throws Exception {
    storeFirstVersion();
    CountDownLatch asked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ZoneSource refusing = new ZoneSource() {
      @Override
      public URI uri() {
        return URI.create("axfr://192.0.2.1");
      }

      @Override
      public FetchResult fetch(FetchContext context) {
        asked.countDown();
        try {
          release.await(DEADLINE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        // what dnsjava's NioClient throws when its first query comes during shutdown
        throw new IllegalStateException("Shutdown in progress");
      }
    };
    ZoneSync sync = sync(refusing);
    CompletableFuture<SyncOutcome> running = CompletableFuture.supplyAsync(() -> sync.sync(SyncRequest.SCHEDULED), THREAD);
    assertTrue(asked.await(DEADLINE_SECONDS, TimeUnit.SECONDS));
    assertTrue(sync.stop(Duration.ofSeconds(1)));
    release.countDown();
    SyncOutcome outcome = running.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    assertTrue(outcome.summary().startsWith("abandoned"), outcome.describe());
    assertEquals(zoneFiles(versions.serial(1)), files().toString());
  }

  @Test
  void aZoneThatArrivesAfterTheStopIsNeitherStoredNorPublished() throws Exception {
    storeFirstVersion();
    HeldSource source = new HeldSource(versions.text(2), false);
    ZoneSync sync = sync(source);
    CompletableFuture<SyncOutcome> running = CompletableFuture.supplyAsync(() -> sync.sync(SyncRequest.SCHEDULED), THREAD);
    assertTrue(source.asked.await(DEADLINE_SECONDS, TimeUnit.SECONDS));

    assertTrue(sync.stop(Duration.ofSeconds(1)));
    source.release.countDown(); // a source that did not notice the interrupt delivers a valid zone all the same
    SyncOutcome outcome = running.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    assertTrue(outcome.summary().startsWith("abandoned"), outcome.describe());
    assertEquals(zoneFiles(versions.serial(1)), files().toString());
    assertEquals(versions.serial(1), published.current().orElseThrow().serial());
    assertEquals(versions.serial(1), new ZoneStore(state).newest().orElseThrow().metadata().serial());
  }

  @Test
  void aSyncAskedForAfterTheStopFetchesNothing() {
    StaticSource source = new StaticSource("https://first.test/root.zone").serve(versions.text(1));
    ZoneSync sync = sync(source);
    sync.stop(Duration.ZERO);
    SyncOutcome outcome = sync.sync(SyncRequest.manual(true, null, null));
    assertTrue(outcome.summary().startsWith("abandoned"), outcome.describe());
    assertEquals(0, source.fetches());
    assertTrue(sync.stopping());
    assertTrue(published.current().isEmpty());
  }
}
