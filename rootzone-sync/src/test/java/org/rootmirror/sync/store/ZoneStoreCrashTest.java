package org.rootmirror.sync.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A writer killed (SIGKILL, as a crash or the OOM killer would) at each point of storing a
 * version: a fresh store on the same directory must serve a whole version, byte for byte, and
 * never the partial one; the next save must clear the leftovers.
 */
class ZoneStoreCrashTest {
  private static final Duration START = Duration.ofSeconds(30);

  @TempDir Path dir;

  @ParameterizedTest(name = "killed {0}")
  @ValueSource(strings = {"zone", "meta", "between", "replace-zone"})
  @Timeout(60)
  void aWriterKilledMidWriteLeavesTheLastGoodVersionIntact(String point) throws Exception {
    killAt(point);

    ZoneStore.Listing listing = new ZoneStore(dir).scan();
    assertEquals(1, listing.versions().size(), () -> "versions " + listing);
    StoredZone a = listing.versions().get(0);
    assertEquals(CrashingWriter.metadataA(), a.metadata());
    assertArrayEquals(CrashingWriter.zoneA(), a.read());
    assertEquals(Sha256.hex(CrashingWriter.zoneA()), Sha256.hex(a.file()));
    if (point.equals("between")) {
      assertEquals(1, listing.warnings().size(), listing.warnings()::toString);
      assertTrue(listing.warnings().get(0).contains("root.zone." + CrashingWriter.SERIAL_B), listing.warnings()::toString);
    } else {
      assertEquals(List.of(), listing.warnings());
    }

    theLockIsFreeAndTheNextSaveClearsTheLeftovers(CrashingWriter.SERIAL_A);
  }

  @ParameterizedTest(name = "killed {0}")
  @ValueSource(strings = {"replace-between"})
  @Timeout(60)
  void aReplacementKilledBetweenItsRenamesRollsForwardToTheWholeNewText(String point) throws Exception {
    killAt(point);

    ZoneStore.Listing listing = new ZoneStore(dir).scan();
    assertEquals(List.of(), listing.warnings());
    assertEquals(1, listing.versions().size(), () -> "versions " + listing);
    StoredZone a = listing.versions().get(0);
    assertEquals(CrashingWriter.metadataAReplaced(), a.metadata());
    assertArrayEquals(CrashingWriter.zoneAReplaced(), a.read());

    theLockIsFreeAndTheNextSaveClearsTheLeftovers(CrashingWriter.SERIAL_A);
    assertEquals(CrashingWriter.metadataAReplaced(), new ZoneStore(dir).versions().get(1).metadata());
  }

  private void killAt(String point) throws Exception {
    try (ChildJvm child = ChildJvm.start(CrashingWriter.class, dir.getParent(), dir.toString(), point)) {
      String line = child.awaitLine("MID-WRITE", START);
      if (point.endsWith("zone")) {
        assertTrue(tempFiles().stream().anyMatch(p -> size(p) > 0), "a partial zone file is being written: " + line);
      }
      child.kill();
    }
  }

  private void theLockIsFreeAndTheNextSaveClearsTheLeftovers(long survivor) throws IOException {
    ZoneStore store = new ZoneStore(dir);
    Optional<ZoneStore.WriterLock> lock = store.lock(2_000);
    assertTrue(lock.isPresent(), "the kernel released the killed writer's lock");
    lock.get().close();

    long serialC = 2026073103L;
    store.save(TestZones.zone(serialC), TestZones.metadata(serialC, 60));
    assertEquals(List.of(serialC, survivor), store.versions().stream().map(z -> z.metadata().serial()).toList());
    assertEquals(List.of(), store.scan().warnings());
    assertEquals(List.of(), tempFiles(), "temporary files left");
    try (Stream<Path> files = Files.list(dir.resolve(ZoneStore.ZONES))) {
      assertEquals(4, files.count(), "two zone files and their .meta");
    }
  }

  private List<Path> tempFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve(ZoneStore.ZONES))) {
      return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return -1;
    }
  }
}
