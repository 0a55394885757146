package org.rootmirror.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's priority prefixes, used only when JOURNAL_STREAM is this process's stderr. */
class JournalLoggingTest {
  @TempDir Path dir;

  private static String devIno(Path file) throws Exception {
    return Files.getAttribute(file, "unix:dev") + ":" + Files.getAttribute(file, "unix:ino");
  }

  @Test
  void journalStreamCountsOnlyWhenItIsTheStderrsDeviceAndInode() throws Exception {
    Path stderr = Files.createFile(dir.resolve("stderr"));
    Path other = Files.createFile(dir.resolve("other"));
    assertTrue(JournalLogging.stderrIsTheJournal(devIno(stderr), stderr));
    assertFalse(JournalLogging.stderrIsTheJournal(devIno(other), stderr), "inherited from a parent whose stderr was the journal");
    assertFalse(JournalLogging.stderrIsTheJournal(null, stderr));
    assertFalse(JournalLogging.stderrIsTheJournal("journal", stderr));
    assertFalse(JournalLogging.stderrIsTheJournal(devIno(stderr), dir.resolve("absent")));
  }

  @Test
  void eachLevelStartsWithItsSyslogPriority() {
    JournalLogging.JournalLogger logger = new JournalLogging.JournalLogger("test");
    assertEquals("<3>ERROR", logger.renderLevel(org.slf4j.event.Level.ERROR.toInt()));
    assertEquals("<4>WARN", logger.renderLevel(org.slf4j.event.Level.WARN.toInt()));
    assertEquals("<6>INFO", logger.renderLevel(org.slf4j.event.Level.INFO.toInt()));
    assertEquals("<7>DEBUG", logger.renderLevel(org.slf4j.event.Level.DEBUG.toInt()));
    assertEquals("<7>TRACE", logger.renderLevel(org.slf4j.event.Level.TRACE.toInt()));
  }
}
