package org.rootmirror.sync.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The state directory: versions stored, listed, pruned and rejected; what it does with damage. */
class ZoneStoreTest {
  /** The fake clock's time of a rejection: the store names rejected zones by the caller's clock. */
  private static final Instant REJECTED_AT = Instant.parse("2026-12-08T01:37:26.983Z");

  @TempDir Path tmp;
  Path dir;
  ZoneStore store;

  @BeforeEach
  void setUp() {
    dir = tmp.resolve("state");
    store = new ZoneStore(dir);
  }

  @Test
  void aSavedZoneReadsBackWithTheSameBytesAndMetadata() throws IOException {
    byte[] text = TestZones.zone(2026073102L, 100_000);
    ZoneMetadata given = TestZones.metadata(2026073102L, 0);
    StoredZone saved = store.save(text, given);

    ZoneMetadata expected = TestZones.stored(given, text);
    assertEquals(expected, saved.metadata(), "the store fills in the sha256");
    assertEquals(dir.resolve("zones/root.zone.2026073102").toAbsolutePath(), saved.file().toAbsolutePath());
    ZoneStore.Listing listing = new ZoneStore(dir).scan();
    assertEquals(List.of(), listing.warnings());
    assertEquals(1, listing.versions().size());
    StoredZone listed = listing.versions().get(0);
    assertEquals(expected, listed.metadata());
    assertArrayEquals(text, listed.read());
    assertEquals(Optional.of(listed.metadata()), store.newest().map(StoredZone::metadata));
  }

  @Test
  void saveAcceptsTheRightSha256AndRefusesAWrongOne() throws IOException {
    byte[] text = TestZones.zone(5);
    store.save(text, TestZones.stored(TestZones.metadata(5, 0), text));
    ZoneMetadata wrong = TestZones.stored(TestZones.metadata(6, 0), TestZones.zone(5));
    assertThrows(IllegalArgumentException.class, () -> store.save(TestZones.zone(6), wrong));
    assertEquals(List.of(5L), serials());
  }

  @Test
  void keepsOnlyTheThreeNewestVersions() throws IOException {
    for (long serial = 1; serial <= 5; serial++) {
      store.save(TestZones.zone(serial), TestZones.metadata(serial, (int) serial));
    }
    assertEquals(List.of(5L, 4L, 3L), serials());
    assertEquals(List.of("root.zone.3", "root.zone.3.meta", "root.zone.4", "root.zone.4.meta", "root.zone.5",
        "root.zone.5.meta"), zoneDirectory());
  }

  @Test
  void aForcedOlderSerialStoredLaterIsTheNewest() throws IOException {
    store.save(TestZones.zone(10), TestZones.metadata(10, 1));
    store.save(TestZones.zone(11), TestZones.metadata(11, 2));
    store.save(TestZones.zone(9), TestZones.metadata(9, 3));
    assertEquals(List.of(9L, 11L, 10L), serials());
  }

  @Test
  void theVersionJustSavedIsKeptEvenWhenItsFetchTimeIsOlder() throws IOException {
    for (long serial = 1; serial <= 3; serial++) {
      store.save(TestZones.zone(serial), TestZones.metadata(serial, 10 + (int) serial));
    }
    store.save(TestZones.zone(4), TestZones.metadata(4, 0));
    assertEquals(List.of(3L, 2L, 4L), serials());
  }

  @Test
  void savingTheSameSerialAgainReplacesIt() throws IOException {
    store.save(TestZones.zone(7, 5000), TestZones.metadata(7, 0));
    byte[] again = TestZones.zone(7, 9000);
    store.save(again, TestZones.metadata(7, 5));
    List<StoredZone> versions = store.versions();
    assertEquals(1, versions.size());
    assertEquals(TestZones.stored(TestZones.metadata(7, 5), again), versions.get(0).metadata());
    assertArrayEquals(again, versions.get(0).read());
  }

  @Test
  void aZoneFileWithoutItsMetaIsIgnoredWithAWarning() throws IOException {
    store.save(TestZones.zone(1), TestZones.metadata(1, 0));
    Files.write(dir.resolve("zones/root.zone.2"), TestZones.zone(2));
    ZoneStore.Listing listing = store.scan();
    assertEquals(List.of(1L), serials(listing));
    assertEquals(1, listing.warnings().size());
    assertTrue(listing.warnings().get(0).contains("root.zone.2 has no root.zone.2.meta"), listing.warnings().get(0));
  }

  @Test
  void aMetaWithoutItsZoneFileIsIgnoredWithAWarning() throws IOException {
    store.save(TestZones.zone(1), TestZones.metadata(1, 0));
    store.save(TestZones.zone(2), TestZones.metadata(2, 1));
    Files.delete(dir.resolve("zones/root.zone.2"));
    ZoneStore.Listing listing = store.scan();
    assertEquals(List.of(1L), serials(listing));
    assertTrue(listing.warnings().get(0).contains("root.zone.2.meta has no zone file"), listing.warnings().get(0));
  }

  @Test
  void aMetaWhoseSha256DoesNotMatchTheZoneFileIsIgnoredWithAWarning() throws IOException {
    store.save(TestZones.zone(1), TestZones.metadata(1, 0));
    store.save(TestZones.zone(2), TestZones.metadata(2, 1));
    byte[] damaged = TestZones.zone(2);
    damaged[100] ^= 1;
    Files.write(dir.resolve("zones/root.zone.2"), damaged);
    ZoneStore.Listing listing = store.scan();
    assertEquals(List.of(1L), serials(listing));
    assertEquals(1, listing.warnings().size());
    assertTrue(listing.warnings().get(0).contains("gives sha256"), listing.warnings().get(0));
  }

  /** Ways a .meta can be damaged; each makes its version ignored with a warning, never an exception. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"empty", "binary", "cut short", "no sha256", "upper-case sha256", "bad serial",
      "another serial", "bad time", "bad boolean", "bad escape", "bad uri", "huge"})
  void aDamagedMetaIsIgnoredWithAWarning(String damage) throws IOException {
    store.save(TestZones.zone(1), TestZones.metadata(1, 0));
    store.save(TestZones.zone(2), TestZones.metadata(2, 1));
    Path meta = dir.resolve("zones/root.zone.2.meta");
    String good = Files.readString(meta, StandardCharsets.US_ASCII);
    String sha = Sha256.hex(TestZones.zone(2));
    byte[] bad = switch (damage) {
      case "empty" -> new byte[0];
      case "binary" -> new byte[] {(byte) 0xff, 0, 1, 2, '\\', 'u', (byte) 0x80};
      case "cut short" -> Arrays.copyOf(good.getBytes(StandardCharsets.US_ASCII), good.length() - 20);
      case "no sha256" -> good.replace("sha256=", "sha=").getBytes(StandardCharsets.US_ASCII);
      case "upper-case sha256" -> good.replace(sha, sha.toUpperCase()).getBytes(StandardCharsets.US_ASCII);
      case "bad serial" -> good.replace("serial=2", "serial=two").getBytes(StandardCharsets.US_ASCII);
      case "another serial" -> good.replace("serial=2", "serial=3").getBytes(StandardCharsets.US_ASCII);
      case "bad time" -> good.replace("fetched=2026-08-01T", "fetched=01/08/2026 ").getBytes(StandardCharsets.US_ASCII);
      case "bad boolean" -> good.replace("zonemd-verified=true", "zonemd-verified=yes").getBytes(StandardCharsets.US_ASCII);
      case "bad escape" -> good.replace("validation=", "validation=\\u12x").getBytes(StandardCharsets.US_ASCII);
      case "bad uri" -> good.replace("source=https://", "source=https://bad host/").getBytes(StandardCharsets.US_ASCII);
      case "huge" -> (good + "#" + "x".repeat(100_000)).getBytes(StandardCharsets.US_ASCII);
      default -> throw new IllegalArgumentException(damage);
    };
    Files.write(meta, bad);

    ZoneStore.Listing listing = store.scan();
    assertEquals(List.of(1L), serials(listing));
    assertEquals(1, listing.warnings().size(), listing.warnings()::toString);
    assertTrue(listing.warnings().get(0).startsWith(meta.toString()), listing.warnings().get(0));
  }

  @Test
  void theNextSaveRemovesUnusableVersions() throws IOException {
    store.save(TestZones.zone(1), TestZones.metadata(1, 0));
    store.save(TestZones.zone(2), TestZones.metadata(2, 1));
    Files.writeString(dir.resolve("zones/root.zone.2.meta"), "garbage");
    Files.write(dir.resolve("zones/root.zone.4"), TestZones.zone(4));
    Files.writeString(dir.resolve("zones/README"), "the operator's notes");
    store.save(TestZones.zone(3), TestZones.metadata(3, 2));
    assertEquals(List.of(), store.scan().warnings());
    assertEquals(List.of("README", "root.zone.1", "root.zone.1.meta", "root.zone.3", "root.zone.3.meta"), zoneDirectory());
  }

  @Test
  void aMissingStateDirectoryListsNothingAndCreatesNothing() throws IOException {
    assertEquals(new ZoneStore.Listing(List.of(), List.of()), store.scan());
    assertEquals(Optional.empty(), store.newest());
    assertFalse(Files.exists(dir));
  }

  @Test
  void readRefusesAFileChangedSinceItWasListed() throws IOException {
    StoredZone saved = store.save(TestZones.zone(1), TestZones.metadata(1, 0));
    store.save(TestZones.zone(1, 9000), TestZones.metadata(1, 1));
    IOException e = assertThrows(IOException.class, saved::read);
    assertTrue(e.getMessage().contains(saved.file().toString()), e.getMessage());
  }

  @Test
  void saveRemovesTemporaryFilesLeftByWritersThatAreGone() throws IOException {
    store.save(TestZones.zone(1), TestZones.metadata(1, 0));
    Path zones = dir.resolve("zones");
    long self = ProcessHandle.current().pid();
    long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    Path dead = Files.writeString(zones.resolve(".root.zone.2.99999999.0a1b.tmp"), "dead writer");
    Path ours = Files.writeString(zones.resolve(".root.zone.2.meta." + self + ".0a1c.tmp"), "this process, failed");
    Path live = Files.writeString(zones.resolve(".root.zone.2." + parent + ".0a1d.tmp"), "a live process");
    Path liveButOld = Files.writeString(zones.resolve(".root.zone.3." + parent + ".0a1e.tmp"), "pid reused?");
    Files.setLastModifiedTime(liveButOld, FileTime.from(Instant.now().minusSeconds(7200)));

    store.save(TestZones.zone(2), TestZones.metadata(2, 1));
    assertFalse(Files.exists(dead));
    assertFalse(Files.exists(ours));
    assertFalse(Files.exists(liveButOld));
    if (parent > 0) {
      assertTrue(Files.exists(live), "another live process's file is left alone");
    }
    assertEquals(List.of(2L, 1L), serials());
  }

  @Test
  void anInterruptedReplacementIsServedAndCompletedByTheNextWriter() throws IOException {
    store.save(TestZones.zone(1), TestZones.metadata(1, 0));
    byte[] replacement = TestZones.zone(1, 9000);
    ZoneMetadata m = TestZones.stored(TestZones.metadata(1, 5), replacement);
    VersionWriter w = new VersionWriter(dir.resolve("zones"), 1);
    w.writeZone(AtomicFiles.Body.of(replacement));
    w.writeMeta(AtomicFiles.Body.of(MetadataFile.format(m, "root.zone.1")));
    w.commitZone();
    // the process stops here: the old .meta no longer matches, the new one is still a temporary file

    ZoneStore.Listing listing = store.scan();
    assertEquals(List.of(), listing.warnings());
    assertEquals(m, listing.versions().get(0).metadata());
    assertArrayEquals(replacement, listing.versions().get(0).read());

    store.save(TestZones.zone(2), TestZones.metadata(2, 6));
    assertEquals(List.of("root.zone.1", "root.zone.1.meta", "root.zone.2", "root.zone.2.meta"), zoneDirectory());
    assertEquals(m, store.versions().get(1).metadata());
  }

  @Test
  void aFailedSaveLeavesTheStoredVersionsAsTheyWere() throws IOException {
    store.save(TestZones.zone(1), TestZones.metadata(1, 0));
    Path blocker = dir.resolve("zones/root.zone.2");
    Files.createDirectories(blocker.resolve("x")); // the rename onto it fails
    IOException e = assertThrows(IOException.class, () -> store.save(TestZones.zone(2), TestZones.metadata(2, 1)));
    assertTrue(e.getMessage().contains(blocker.toString()), e.getMessage());
    assertEquals(List.of(1L), serials());
    assertArrayEquals(TestZones.zone(1), store.versions().get(0).read());
    try (Stream<Path> files = Files.list(dir.resolve("zones"))) {
      assertEquals(List.of(), files.filter(p -> p.toString().endsWith(".tmp")).toList(), "temporary files left");
    }
  }

  @Test
  void aStateDirectoryThatIsAFileFailsWithAnExceptionNamingIt() throws IOException {
    Files.writeString(dir, "not a directory");
    IOException e = assertThrows(IOException.class, () -> store.save(TestZones.zone(1), TestZones.metadata(1, 0)));
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    assertThrows(IOException.class, () -> store.lock(0));
  }

  @Test
  void aRejectedZoneIsKeptWithItsReportNamedByTimeAndSerial() throws IOException {
    store.reject(TestZones.zone(1), OptionalLong.of(1), REJECTED_AT, "RRSIG expired");
    byte[] second = TestZones.zone(2);
    Path kept = store.reject(second, OptionalLong.of(2), REJECTED_AT.plusMillis(1500), "ZONEMD mismatch\nexpected ab, got cd\n");
    assertEquals(dir.resolve("rejected/root.zone.20261208T013728.483Z.2"), kept);
    assertArrayEquals(second, Files.readAllBytes(kept));
    String report = Files.readString(dir.resolve("rejected/root.zone.20261208T013728.483Z.2.report"));
    assertTrue(report.startsWith("# rootmirror: why rejected/root.zone.20261208T013728.483Z.2 (" + second.length + " bytes, sha256 "
        + Sha256.hex(second) + ") was refused\n"), report);
    assertTrue(report.endsWith("\nZONEMD mismatch\nexpected ab, got cd\n"), report);
    assertEquals(List.of("root.zone.20261208T013726.983Z.1", "root.zone.20261208T013726.983Z.1.report",
        "root.zone.20261208T013728.483Z.2", "root.zone.20261208T013728.483Z.2.report"), rejected(), "the first is kept too");
    assertEquals(List.of(), store.versions(), "a rejected zone is never a version");
  }

  @Test
  void theTenLatestRejectedZonesAreKeptAndTheOldestRemoved() throws IOException {
    for (int i = 0; i < 13; i++) {
      store.reject(TestZones.zone(i + 1), i == 4 ? OptionalLong.empty() : OptionalLong.of(i + 1), REJECTED_AT.plus(Duration.ofHours(i)),
          "failure " + i);
    }
    List<String> names = rejected();
    assertEquals(20, names.size(), names.toString());
    assertEquals("root.zone.20261208T043726.983Z.4", names.get(0), "the three oldest are gone");
    assertEquals("root.zone.20261208T053726.983Z.unknown", names.get(2), "a zone without a serial");
    assertEquals("root.zone.20261208T133726.983Z.13.report", names.get(19));
    assertTrue(Files.readString(dir.resolve("rejected").resolve(names.get(19))).endsWith("\nfailure 12\n"));
  }

  @Test
  void twoRejectionsInTheSameMillisecondKeepBoth() throws IOException {
    store.reject(TestZones.zone(1), OptionalLong.of(7), REJECTED_AT, "from the first source");
    Path second = store.reject(TestZones.zone(2), OptionalLong.of(7), REJECTED_AT, "from the second source");
    assertEquals("root.zone.20261208T013726.983Z.7-2", second.getFileName().toString());
    assertEquals(4, rejected().size());
    assertTrue(Files.readString(second.resolveSibling(second.getFileName() + ".report")).endsWith("from the second source\n"));
  }

  @Test
  void theOnePairAnEarlierVersionKeptIsRenamedIntoTheSchemeAndKept() throws IOException {
    Path rejectedDir = Files.createDirectories(dir.resolve("rejected"));
    Files.writeString(rejectedDir.resolve("root.zone"), "old zone\n");
    Files.writeString(rejectedDir.resolve("root.zone.report"), "old report\n");
    Files.setLastModifiedTime(rejectedDir.resolve("root.zone"), FileTime.from(Instant.parse("2026-11-30T12:00:00Z")));
    store.reject(TestZones.zone(1), OptionalLong.of(1), REJECTED_AT, "new");
    assertEquals(List.of("root.zone.20261130T120000.000Z.unknown", "root.zone.20261130T120000.000Z.unknown.report",
        "root.zone.20261208T013726.983Z.1", "root.zone.20261208T013726.983Z.1.report"), rejected());
    assertEquals("old report\n", Files.readString(rejectedDir.resolve("root.zone.20261130T120000.000Z.unknown.report")));
  }

  @Test
  void aRejectionLeavesNoTemporaryFileAndTidiesACrashedWritersOnes() throws IOException {
    Path rejectedDir = Files.createDirectories(dir.resolve("rejected"));
    Files.writeString(rejectedDir.resolve(".root.zone.20261208T000000.000Z.1.999999999.00ff.tmp"), "torn");
    store.reject(TestZones.zone(1), OptionalLong.of(1), REJECTED_AT, "x");
    assertEquals(List.of("root.zone.20261208T013726.983Z.1", "root.zone.20261208T013726.983Z.1.report"), rejected());
    try (Stream<Path> files = Files.list(rejectedDir)) {
      assertEquals(2, files.count(), "the crashed writer's temporary file is gone");
    }
  }

  @Test
  void directoriesAreCreated0750AndFiles0640() throws IOException {
    assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
    store.save(TestZones.zone(1), TestZones.metadata(1, 0));
    store.reject(TestZones.zone(2), OptionalLong.of(2), REJECTED_AT, "bogus");
    for (String d : List.of(".", "zones", "rejected")) {
      assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(d))), d);
    }
    for (String f : List.of("zones/root.zone.1", "zones/root.zone.1.meta", "rejected/root.zone.20261208T013726.983Z.2",
        "rejected/root.zone.20261208T013726.983Z.2.report", "sync.lock")) {
      assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f))), f);
    }
  }

  /** The files in rejected/, sorted. */
  private List<String> rejected() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("rejected"))) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private List<Long> serials() throws IOException {
    return serials(store.scan());
  }

  private static List<Long> serials(ZoneStore.Listing listing) {
    return listing.versions().stream().map(z -> z.metadata().serial()).toList();
  }

  private List<String> zoneDirectory() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("zones"))) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
