package org.rootmirror.sync.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.sync.accept.SyncOutcome;
import org.rootmirror.sync.accept.SyncPolicy;
import org.rootmirror.sync.accept.ZoneSync;
import org.rootmirror.sync.source.FetchException;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneStore;
import org.rootmirror.sync.testing.MutableClock;
import org.rootmirror.sync.testing.RootZoneVersions;
import org.rootmirror.sync.testing.StaticSource;

/** The Quartz schedule, driven by an injected clock: no test waits for minutes to pass. */
class SyncSchedulerTest {
  private static final Instant SIGNED = Instant.parse("2026-11-01T00:00:00Z");
  private static RootZoneVersions versions;

  @TempDir Path state;
  private final MutableClock clock = new MutableClock(SIGNED.plus(Duration.ofHours(1)));
  private final PublishedZone published = new PublishedZone();
  private final StaticSource source = new StaticSource("https://mirror.test/root.zone");

  @BeforeAll
  static void sign() throws IOException {
    versions = new RootZoneVersions(SIGNED);
  }

  private SyncScheduler scheduler() throws Exception {
    ZoneSync sync = new ZoneSync(List.of(source), uri -> null, new ZoneStore(state), published, versions.anchors(), clock,
        SyncPolicy.defaults());
    return new SyncScheduler(sync, published, clock, new Random(7));
  }

  @Test
  void startChecksAtOnceThenAfterTheSoaRefresh() throws Exception {
    source.serve(versions.text(1));
    try (SyncScheduler scheduler = scheduler()) {
      scheduler.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (published.current().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(versions.serial(1), published.current().orElseThrow().serial());
      Duration wait = Duration.between(clock.instant(), waitForNextCheckAfter(scheduler, clock.instant()));
      assertTrue(wait.toSeconds() >= 1620 && wait.toSeconds() <= 1980, "next check in " + wait);
    }
  }

  @Test
  void failureRetriesAfterTheSoaRetry() throws Exception {
    source.fail(FetchException.Kind.CONNECT, "refused");
    try (SyncScheduler scheduler = scheduler()) {
      SyncOutcome outcome = scheduler.refresh();
      assertEquals(SyncOutcome.Result.FAILED, outcome.result());
      long wait = Duration.between(clock.instant(), scheduler.nextCheck().orElseThrow()).toSeconds();
      assertTrue(wait >= 810 && wait <= 990, "retry in " + wait);
    }
  }

  @Test
  void expiredZoneIsWithdrawnAndComesBackWhenAValidOneIsFetched() throws Exception {
    source.serve(versions.text(1));
    try (SyncScheduler scheduler = scheduler()) {
      scheduler.refresh();
      assertTrue(published.current().isPresent());
      clock.advance(Duration.ofDays(7).plusHours(1)); // past the signatures of every version
      source.fail(FetchException.Kind.TIMEOUT, "the primaries are unreachable");
      scheduler.refresh();
      scheduler.checkExpiry();
      assertTrue(published.current().isEmpty(), "withdrawn");

      RootZoneVersions fresh = new RootZoneVersions(clock.instant().minus(Duration.ofHours(1)));
      ZoneSync sync = new ZoneSync(List.of(source), uri -> null, new ZoneStore(state), published, fresh.anchors(), clock,
          SyncPolicy.defaults());
      source.serve(fresh.text(5));
      try (SyncScheduler recovering = new SyncScheduler(sync, published, clock, new Random(8))) {
        assertEquals(SyncOutcome.Result.UPDATED, recovering.refresh().result());
      }
      assertEquals(fresh.serial(5), published.current().orElseThrow().serial());
    }
  }

  /** The scheduler sets the next check right after the sync it ran; wait for that. */
  private static Instant waitForNextCheckAfter(SyncScheduler scheduler, Instant start) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      Instant next = scheduler.nextCheck().orElse(start);
      if (next.isAfter(start)) {
        return next;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no next check was scheduled");
  }
}
