package org.rootmirror.sync.accept;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.dnssec.anchor.TrustAnchor;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.sync.accept.SyncOutcome.Result;
import org.rootmirror.sync.source.FetchException;
import org.rootmirror.sync.source.ZoneSource;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.rootmirror.sync.store.ZoneStore;
import org.rootmirror.sync.testing.MutableClock;
import org.rootmirror.sync.testing.RootZoneVersions;
import org.rootmirror.sync.testing.StaticSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;

/** The sync pipeline: what gets stored and published, and what never does. */
class ZoneSyncTest {
  private static final Instant SIGNED = Instant.parse("2026-11-01T00:00:00Z");
  private static RootZoneVersions versions;

  @TempDir Path state;
  private final MutableClock clock = new MutableClock(SIGNED.plus(Duration.ofHours(1)));
  private final PublishedZone published = new PublishedZone();
  private final StaticSource first = new StaticSource("https://first.test/root.zone");
  private final StaticSource second = new StaticSource("https://second.test/root.zone");
  private ZoneStore store;

  @BeforeAll
  static void sign() throws IOException {
    versions = new RootZoneVersions(SIGNED);
  }

  @BeforeEach
  void openStore() {
    store = new ZoneStore(state);
  }

  private ZoneSync sync(SyncPolicy policy, ZoneSource... sources) {
    return new ZoneSync(List.of(sources), uri -> {
      throw new IllegalArgumentException("no ad-hoc sources in this test");
    }, store, published, versions.anchors(), clock, policy);
  }

  private ZoneSync sync(ZoneSource... sources) {
    return sync(SyncPolicy.defaults(), sources);
  }

  @Test
  void firstValidZoneIsStoredAndPublished() throws IOException {
    first.serve(versions.text(1));
    SyncOutcome outcome = sync(first).sync(SyncRequest.SCHEDULED);
    assertEquals(Result.UPDATED, outcome.result(), outcome.describe());
    assertEquals(versions.serial(1), published.current().orElseThrow().serial());
    assertEquals(versions.serial(1), store.newest().orElseThrow().metadata().serial());
    assertTrue(store.newest().orElseThrow().metadata().zonemdVerified());
  }

  @Test
  void newerSerialReplacesTheHeldOne() {
    ZoneSync sync = sync(first);
    first.serve(versions.text(1));
    sync.sync(SyncRequest.SCHEDULED);
    first.serve(versions.text(2));
    SyncOutcome outcome = sync.sync(SyncRequest.SCHEDULED);
    assertEquals(Result.UPDATED, outcome.result(), outcome.describe());
    assertEquals(versions.serial(1), outcome.oldSerial());
    assertEquals(versions.serial(2), outcome.newSerial());
    assertTrue(outcome.describe().startsWith("updated: " + versions.serial(1) + " -> " + versions.serial(2)), outcome.describe());
  }

  @Test
  void sourceThatSaysUnchangedLeavesTheZoneAlone() {
    ZoneSync sync = sync(first);
    first.serve(versions.text(1));
    sync.sync(SyncRequest.SCHEDULED);
    first.unchanged();
    SyncOutcome outcome = sync.sync(SyncRequest.SCHEDULED);
    assertEquals(Result.UNCHANGED, outcome.result());
    assertEquals(versions.serial(1), published.current().orElseThrow().serial());
    assertEquals(outcome.finishedAt(), sync.status().lastSuccess());
  }

  @Test
  void sameSerialAgainIsUnchanged() {
    ZoneSync sync = sync(first);
    first.serve(versions.text(1));
    sync.sync(SyncRequest.SCHEDULED);
    assertEquals(Result.UNCHANGED, sync.sync(SyncRequest.SCHEDULED).result());
  }

  @Test
  void olderSerialIsRefusedUnlessForced() {
    ZoneSync sync = sync(first);
    first.serve(versions.text(2));
    sync.sync(SyncRequest.SCHEDULED);
    first.serve(versions.text(1));
    SyncOutcome refused = sync.sync(SyncRequest.SCHEDULED);
    assertEquals(Result.FAILED, refused.result());
    assertTrue(refused.attempts().get(0).contains("is older than the held"), refused.attempts().toString());
    assertEquals(versions.serial(2), published.current().orElseThrow().serial());

    SyncOutcome forced = sync.sync(SyncRequest.manual(true, null, null));
    assertEquals(Result.UPDATED, forced.result(), forced.describe());
    assertEquals(versions.serial(1), published.current().orElseThrow().serial());
  }

  @Test
  void corruptedZoneIsRejectedKeptForTheOperatorAndTheCurrentOneKeepsServing() throws IOException {
    ZoneSync sync = sync(first);
    first.serve(versions.text(1));
    sync.sync(SyncRequest.SCHEDULED);
    String corrupted = new String(versions.text(2), StandardCharsets.UTF_8).replace("192.5.6.30", "192.0.2.66");
    first.serve(corrupted.getBytes(StandardCharsets.UTF_8));
    SyncOutcome outcome = sync.sync(SyncRequest.SCHEDULED);
    assertEquals(Result.FAILED, outcome.result());
    assertTrue(outcome.attempts().get(0).contains("digest-mismatch"), outcome.attempts().toString());
    assertEquals(versions.serial(1), published.current().orElseThrow().serial());
    assertEquals(versions.serial(1), store.newest().orElseThrow().metadata().serial());
    // named by the clock's time and the zone's serial
    Path rejected = state.resolve("rejected").resolve("root.zone.20261101T010000.000Z." + versions.serial(2));
    assertEquals(corrupted, Files.readString(rejected));
    String report = Files.readString(rejected.resolveSibling(rejected.getFileName() + ".report"));
    assertTrue(report.contains("digest-mismatch"), report);
    assertTrue(report.contains("\nrejected at: 2026-11-01T01:00:00Z\n"), report);
  }

  @Test
  void theLastTenRejectedZonesAreKeptEachWithItsReportNamedByTheClock() throws IOException {
    ZoneSync sync = sync(first);
    String corrupted = new String(versions.text(2), StandardCharsets.UTF_8).replace("192.5.6.30", "192.0.2.66");
    for (int i = 0; i < 12; i++) {
      first.serve(i == 11 ? "not a zone file\n".getBytes(StandardCharsets.UTF_8) : corrupted.getBytes(StandardCharsets.UTF_8));
      assertEquals(Result.FAILED, sync.sync(SyncRequest.SCHEDULED).result());
      clock.advance(Duration.ofMinutes(15));
    }
    List<String> names;
    try (var files = Files.list(state.resolve("rejected"))) {
      names = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(20, names.size(), names.toString());
    assertEquals("root.zone.20261101T013000.000Z." + versions.serial(2), names.get(0), "the two oldest are gone");
    assertEquals("root.zone.20261101T013000.000Z." + versions.serial(2) + ".report", names.get(1));
    assertEquals("root.zone.20261101T034500.000Z.unknown", names.get(18), "an unparsable zone has no serial");
    assertTrue(Files.readString(state.resolve("rejected").resolve(names.get(19))).contains("unparsable"));
  }

  @Test
  void zonemdIsRequiredOnceAZoneHadOne() {
    ZoneSync sync = sync(first);
    first.serve(versions.text(1));
    sync.sync(SyncRequest.SCHEDULED);
    first.serve(versions.text(2, false));
    SyncOutcome outcome = sync.sync(SyncRequest.SCHEDULED);
    assertEquals(Result.FAILED, outcome.result());
    assertTrue(outcome.attempts().get(0).contains("zonemd-missing"), outcome.attempts().toString());
  }

  @Test
  void zoneWithoutZonemdIsAcceptedWhenNoneWasSeenAndNoneIsRequired() {
    first.serve(versions.text(1, false));
    assertEquals(Result.UPDATED, sync(first).sync(SyncRequest.SCHEDULED).result());
  }

  @Test
  void failingSourceFallsThroughToTheNextAndIsNamed() {
    first.fail(FetchException.Kind.STALL, "no data for 30 s");
    second.serve(versions.text(1));
    SyncOutcome outcome = sync(first, second).sync(SyncRequest.SCHEDULED);
    assertEquals(Result.UPDATED, outcome.result());
    assertEquals(second.uri(), outcome.source());
    assertEquals(List.of("https://first.test/root.zone: no data for 30 s"), outcome.attempts());
  }

  @Test
  void everySourceFailingKeepsTheZoneAndRecordsTheError() {
    ZoneSync sync = sync(first, second);
    first.serve(versions.text(1));
    sync.sync(SyncRequest.SCHEDULED);
    first.fail(FetchException.Kind.CONNECT, "connection refused");
    second.fail(FetchException.Kind.NOT_FOUND, "HTTP 404");
    SyncOutcome outcome = sync.sync(SyncRequest.SCHEDULED);
    assertEquals(Result.FAILED, outcome.result());
    assertEquals(2, outcome.attempts().size());
    assertEquals(List.of("https://first.test/root.zone: connection refused", "https://second.test/root.zone: HTTP 404"),
        sync.status().lastError(), "one line per source");
    assertEquals(versions.serial(1), published.current().orElseThrow().serial());
  }

  @Test
  void eachSourceTriedIsCountedByResultForMetrics() {
    ZoneSync sync = sync(first, second);
    first.fail(FetchException.Kind.TIMEOUT, "no answer in 30 s");
    second.serve(versions.text(2));
    sync.sync(SyncRequest.SCHEDULED); // first times out, second updates
    String corrupted = new String(versions.text(3), StandardCharsets.UTF_8).replace("192.5.6.30", "192.0.2.66");
    first.serve(corrupted.getBytes(StandardCharsets.UTF_8));
    second.serve(versions.text(1));
    sync.sync(SyncRequest.SCHEDULED); // first invalid, second older
    first.serve(versions.text(2));
    sync.sync(SyncRequest.SCHEDULED); // first has the serial held

    SyncCounters counters = sync.counters();
    assertEquals(1, counters.count(first.uri(), "failed_timeout"));
    assertEquals(1, counters.count(first.uri(), "failed_invalid"));
    assertEquals(1, counters.count(first.uri(), SyncCounters.UNCHANGED));
    assertEquals(1, counters.count(second.uri(), SyncCounters.UPDATED));
    assertEquals(1, counters.count(second.uri(), "failed_older_serial"));
    assertEquals(0, counters.count(second.uri(), SyncCounters.UNCHANGED), "a sync stops at the first source that settles it");
    assertEquals(java.util.Map.of(first.uri(), java.util.Map.of("failed_invalid", 1L, "failed_timeout", 1L, "unchanged", 1L),
        second.uri(), java.util.Map.of("failed_older_serial", 1L, "updated", 1L)), counters.snapshot());
  }

  @Test
  void disagreementIsCountedAgainstTheSourceWhoseZoneWasRefused() {
    first.serve(versions.text(2));
    second.serve(versions.text(1));
    ZoneSync sync = sync(new SyncPolicy(false, 2, SyncPolicy.defaults().limits()), first, second);
    sync.sync(SyncRequest.SCHEDULED);
    assertEquals(1, sync.counters().count(first.uri(), "failed_disagreement"));
    assertEquals(0, sync.counters().count(first.uri(), SyncCounters.UPDATED));
  }

  @Test
  void agreementAcceptsWhenEnoughSourcesReportTheSameSerialAndDigest() {
    byte[] zone = versions.text(1); // signing again would give other signatures, so another digest
    first.serve(zone);
    second.serve(zone);
    SyncOutcome outcome = sync(new SyncPolicy(false, 2, SyncPolicy.defaults().limits()), first, second).sync(SyncRequest.SCHEDULED);
    assertEquals(Result.UPDATED, outcome.result(), outcome.describe());
  }

  @Test
  void agreementRefusesWhenSourcesDisagree() {
    first.serve(versions.text(2));
    second.serve(versions.text(1)); // a stale mirror, validly signed
    SyncOutcome outcome = sync(new SyncPolicy(false, 2, SyncPolicy.defaults().limits()), first, second).sync(SyncRequest.SCHEDULED);
    assertEquals(Result.FAILED, outcome.result());
    assertTrue(outcome.summary().startsWith("only 1 of the 2 sources required agree on serial " + versions.serial(2)), outcome.summary());
    assertTrue(published.current().isEmpty());
  }

  @Test
  void storedZoneIsPublishedOnStartWithoutTheNetwork() throws IOException {
    first.serve(versions.text(1));
    sync(first).sync(SyncRequest.SCHEDULED);
    PublishedZone fresh = new PublishedZone();
    ZoneSync restarted = new ZoneSync(List.of(), uri -> null, new ZoneStore(state), fresh, versions.anchors(), clock,
        SyncPolicy.defaults());
    Optional<ZoneSnapshot> loaded = restarted.loadStored();
    assertEquals(versions.serial(1), loaded.orElseThrow().serial());
    assertEquals(versions.serial(1), fresh.current().orElseThrow().serial());
  }

  @Test
  void storedZoneUnchangedUnderTheSameAnchorsIsServedBeforeItsSignaturesAreCheckedAgain() throws IOException {
    first.serve(versions.text(1));
    sync(first).sync(SyncRequest.SCHEDULED);
    PublishedZone fresh = new PublishedZone();
    ZoneSync restarted = new ZoneSync(List.of(), uri -> null, new ZoneStore(state), fresh, versions.anchors(), clock,
        SyncPolicy.defaults());
    ZoneSnapshot loaded = restarted.loadStored().orElseThrow();
    assertEquals(0, loaded.report().counts().signaturesVerified(), "published as stored, checked again afterwards");
    assertTrue(loaded.report().valid());
  }

  @Test
  void storedZoneValidatedUnderOtherAnchorsIsValidatedBeforeItIsServed() throws IOException {
    first.serve(versions.text(1));
    sync(first).sync(SyncRequest.SCHEDULED);
    List<TrustAnchor> more = new ArrayList<>(versions.anchors().all());
    more.add(TrustAnchor.of(new DSRecord(Name.fromConstantString("example."), DClass.IN, 3600, 1, 8, 2, new byte[32])));
    PublishedZone fresh = new PublishedZone();
    ZoneSync restarted = new ZoneSync(List.of(), uri -> null, new ZoneStore(state), fresh, TrustAnchors.of(more), clock,
        SyncPolicy.defaults());
    ZoneSnapshot loaded = restarted.loadStored().orElseThrow();
    assertTrue(loaded.report().counts().signaturesVerified() > 0, loaded.report().summary());
  }

  @Test
  void storedZoneThatFailsItsChecksAgainIsWithdrawn() throws Exception {
    first.serve(versions.text(1));
    sync(first).sync(SyncRequest.SCHEDULED);
    // a clock set back before the signatures' inception: the stored expiry is still ahead, so the
    // zone is served at once, and the checks made again in the background fail
    clock.set(SIGNED.minus(Duration.ofDays(2)));
    PublishedZone fresh = new PublishedZone();
    ZoneSync restarted = new ZoneSync(List.of(), uri -> null, new ZoneStore(state), fresh, versions.anchors(), clock,
        SyncPolicy.defaults());
    assertTrue(restarted.loadStored().isPresent());
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (fresh.current().isPresent() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(fresh.current().isEmpty(), "withdrawn once the checks failed");
  }

  @Test
  void storedZoneWhoseSignaturesExpiredIsNotPublishedOnStart() throws IOException {
    first.serve(versions.text(1));
    sync(first).sync(SyncRequest.SCHEDULED);
    clock.advance(Duration.ofDays(8));
    PublishedZone fresh = new PublishedZone();
    ZoneSync restarted = new ZoneSync(List.of(), uri -> null, new ZoneStore(state), fresh, versions.anchors(), clock,
        SyncPolicy.defaults());
    assertTrue(restarted.loadStored().isEmpty());
    assertTrue(fresh.current().isEmpty());
  }

  @Test
  void scheduledSyncIsBusyWhileAnotherHoldsTheWriterLock() throws Exception {
    first.serve(versions.text(1));
    try (ZoneStore.WriterLock held = store.lock(0).orElseThrow()) {
      SyncOutcome outcome = sync(first).sync(SyncRequest.SCHEDULED);
      assertEquals(Result.BUSY, outcome.result());
      assertEquals(0, first.fetches());
    }
    assertFalse(published.current().isPresent());
  }
}
