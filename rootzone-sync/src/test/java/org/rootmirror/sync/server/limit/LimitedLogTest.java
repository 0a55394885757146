package org.rootmirror.sync.server.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.sync.server.testing.RecordingLogger;
import org.rootmirror.sync.server.testing.SteppedClock;
import org.slf4j.event.Level;

/** The log lines a packet can trigger: a few per interval and kind, then their count; time stepped, never waited for. */
class LimitedLogTest {
  private final RecordingLogger out = new RecordingLogger(Level.INFO);
  private final SteppedClock clock = new SteppedClock();
  private final LimitedLog limited = new LimitedLog(out, 5, Duration.ofMinutes(1), clock);
  private final LimitedLog.Kind refused = limited.kind(Level.INFO, "NOTIFY refused, not from a configured primary");

  @Test
  void aFloodLogsTheFirstFewLinesAndTheCountOfTheRestWithTheNextLine() {
    for (int i = 0; i < 2_163; i++) {
      refused.log("NOTIFY from {} refused", "198.51.100." + (i % 250));
    }
    assertEquals(5, out.lines().size(), "five lines in the first minute, whatever the flood");
    assertEquals("NOTIFY from 198.51.100.0 refused", out.lines().get(0).text());

    clock.step(Duration.ofSeconds(60));
    refused.log("NOTIFY from {} refused", "198.51.100.9");
    List<String> lines = out.texts(Level.INFO);
    assertEquals(7, lines.size());
    assertEquals("NOTIFY refused, not from a configured primary: and 2,158 more like this in the last 60 s (at most 5 logged per 60 s)",
        lines.get(5));
    assertEquals("NOTIFY from 198.51.100.9 refused", lines.get(6), "the next minute starts with a line of its own");
  }

  @Test
  void aFlushReportsTheCountOnceTheWindowHasClosedEvenWhenTheFloodStopped() {
    for (int i = 0; i < 12; i++) {
      refused.log("line {}", i);
    }
    limited.flush();
    assertEquals(5, out.lines().size(), "the window is still open: nothing to report yet");

    clock.step(Duration.ofSeconds(61));
    limited.flush();
    limited.flush();
    assertEquals(6, out.lines().size(), "the count is reported once");
    assertTrue(out.lines().get(5).text().contains("and 7 more like this in the last 61 s"), out.lines().get(5).text());

    refused.log("after");
    assertEquals("after", out.lines().get(6).text(), "a new window: logged at once, nothing left to report");
  }

  @Test
  void aWindowWithinTheLimitEndsWithoutACount() {
    refused.log("one");
    refused.log("two");
    clock.step(Duration.ofMinutes(5));
    limited.flush();
    refused.log("three");
    assertEquals(List.of("one", "two", "three"), out.texts(Level.INFO));
  }

  @Test
  void eachKindHasItsOwnLinesAndTheSameDescriptionIsTheSameKind() {
    LimitedLog.Kind failures = limited.kind(Level.WARN, "queries answered SERVFAIL");
    for (int i = 0; i < 20; i++) {
      refused.log("refused {}", i);
      failures.log("failed {}", i);
    }
    assertEquals(5, out.texts(Level.INFO).size());
    assertEquals(5, out.texts(Level.WARN).size());
    assertSame(refused, limited.kind(Level.INFO, "NOTIFY refused, not from a configured primary"));
  }

  @Test
  void aFailureIsOneLineWithoutItsStackTraceWhichGoesToDebug() {
    LimitedLog.Kind failed = limited.kind(Level.WARN, "queries answered SERVFAIL");
    IllegalStateException bug = new IllegalStateException("table\nmissing");
    failed.failure(bug, "answering a query from {} failed", "192.0.2.1:53");

    RecordingLogger.Line line = out.lines().get(0);
    assertEquals("answering a query from 192.0.2.1:53 failed: IllegalStateException: table missing", line.text());
    assertNull(line.thrown(), "no stack trace at WARN");
    assertEquals(1, out.lines().size(), "DEBUG is off here");

    RecordingLogger debug = new RecordingLogger(Level.DEBUG);
    new LimitedLog(debug, 5, Duration.ofMinutes(1), clock).kind(Level.WARN, "x").failure(bug, "failed");
    assertNull(debug.lines().get(0).thrown());
    assertSame(bug, debug.lines().get(1).thrown(), "the stack trace at DEBUG");
    assertEquals(Level.DEBUG, debug.lines().get(1).level());
  }

  @Test
  void anExceptionAmongTheArgumentsIsDescribedNotTraced() {
    refused.log("sync failed: {}", new IllegalArgumentException("no route"));
    assertEquals("sync failed: IllegalArgumentException: no route", out.lines().get(0).text());
    assertNull(out.lines().get(0).thrown());
  }

  @Test
  void linesBelowTheLoggersLevelAreNeitherLoggedNorCounted() {
    LimitedLog.Kind quiet = limited.kind(Level.DEBUG, "debug lines");
    for (int i = 0; i < 100; i++) {
      quiet.log("line {}", i);
    }
    clock.step(Duration.ofMinutes(2));
    limited.flush();
    assertTrue(out.lines().isEmpty());
  }

  @Test
  void aLimitOfNoLinesIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new LimitedLog(out, 0, Duration.ofMinutes(1), clock));
  }
}
