package org.rootmirror.sync.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** changes.jsonl: one line per serial, added atomically, bounded. */
class ChangeLogTest {
  @TempDir Path state;

  private static String line(long serial, String rest) {
    return "{\"serial\":" + serial + "," + rest + "}";
  }

  private List<Long> serials() throws IOException {
    return ChangeLog.read(state).lines().stream().map(ChangeLog.Line::serial).toList();
  }

  @Test
  void aMissingLogIsEmpty() throws IOException {
    ChangeLog.Listing listing = ChangeLog.read(state);
    assertEquals(List.of(), listing.lines());
    assertEquals(List.of(), listing.warnings());
  }

  @Test
  void linesAreKeptInTheOrderTheSerialsWerePublished() throws IOException {
    ChangeLog log = new ChangeLog(new ZoneStore(state));
    assertTrue(log.append(2026073102L, line(2026073102L, "\"a\":1")));
    assertTrue(log.append(2026073103L, line(2026073103L, "\"a\":2")));
    assertEquals(List.of(2026073102L, 2026073103L), serials());
    assertEquals(line(2026073102L, "\"a\":1") + "\n" + line(2026073103L, "\"a\":2") + "\n",
        Files.readString(state.resolve(ChangeLog.FILE)));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve(ChangeLog.FILE))));
  }

  @Test
  void aSerialAlreadyRecordedIsNotAddedAgain() throws IOException {
    ChangeLog log = new ChangeLog(new ZoneStore(state));
    log.append(7, line(7, "\"first\":true"));
    log.append(8, line(8, "\"x\":1"));
    assertFalse(log.append(7, line(7, "\"first\":false")));
    assertEquals(List.of(7L, 8L), serials());
    assertTrue(ChangeLog.read(state).lines().get(0).text().contains("\"first\":true"));
  }

  @Test
  void theOldestSerialsGoBeyondTheCount() throws IOException {
    ChangeLog log = new ChangeLog(new ZoneStore(state), 3, ChangeLog.KEEP_BYTES);
    for (long s = 1; s <= 5; s++) {
      log.append(s, line(s, "\"n\":" + s));
    }
    assertEquals(List.of(3L, 4L, 5L), serials());
  }

  @Test
  void theOldestLinesGoBeyondTheSizeButTheNewestAlwaysStays() throws IOException {
    ChangeLog log = new ChangeLog(new ZoneStore(state), 1000, 120);
    log.append(1, line(1, "\"pad\":\"" + "x".repeat(30) + "\""));
    log.append(2, line(2, "\"pad\":\"" + "x".repeat(30) + "\""));
    assertEquals(List.of(1L, 2L), serials(), "two lines of 52 bytes fit in 120");
    log.append(3, line(3, "\"pad\":\"" + "x".repeat(30) + "\""));
    assertEquals(List.of(2L, 3L), serials());
    log.append(4, line(4, "\"pad\":\"" + "x".repeat(500) + "\""));
    assertEquals(List.of(4L), serials(), "a line larger than the bound alone");
  }

  @Test
  void aDamagedLineIsReportedThenDroppedByTheNextWriter() throws IOException {
    Files.writeString(state.resolve(ChangeLog.FILE), line(1, "\"a\":1") + "\n{\"seri\n" + line(2, "\"a\":2") + "\n");
    ChangeLog.Listing listing = ChangeLog.read(state);
    assertEquals(List.of(1L, 2L), listing.lines().stream().map(ChangeLog.Line::serial).toList());
    assertEquals(List.of(1, 3), listing.lines().stream().map(ChangeLog.Line::number).toList());
    assertEquals(1, listing.warnings().size());
    assertTrue(listing.warnings().get(0).contains("line 2 does not start with {\"serial\":N,"), listing.warnings().get(0));
    new ChangeLog(new ZoneStore(state)).append(3, line(3, "\"a\":3"));
    assertEquals(List.of(), ChangeLog.read(state).warnings());
    assertEquals(List.of(1L, 2L, 3L), serials());
  }

  @Test
  void aLineMustBeOneLineForItsSerial() {
    ChangeLog log = new ChangeLog(new ZoneStore(state));
    assertThrows(IllegalArgumentException.class, () -> log.append(1, line(2, "\"a\":1")));
    assertThrows(IllegalArgumentException.class, () -> log.append(1, line(1, "\"a\":\n1")));
    assertThrows(IllegalArgumentException.class, () -> log.append(1, "{\"a\":1}"));
  }

  @Test
  void aLogThatCannotBeReadIsAnErrorNamingIt() throws IOException {
    Files.createDirectory(state.resolve(ChangeLog.FILE));
    IOException e = assertThrows(IOException.class, () -> ChangeLog.read(state));
    assertTrue(e.getMessage().contains(state.resolve(ChangeLog.FILE).toString()), e.getMessage());
  }

  @Test
  void noTemporaryFileIsLeftBehind() throws IOException {
    ChangeLog log = new ChangeLog(new ZoneStore(state));
    log.append(1, line(1, "\"a\":1"));
    try (var files = Files.list(state)) {
      assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList());
    }
  }
}
