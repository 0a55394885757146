package org.rootmirror.sync.accept;

import java.time.Instant;
import java.util.List;

/**
 * The sync's memory between runs, for scheduling, expiry and {@code rootmirror status}: the last
 * outcome, when a source last confirmed or delivered a valid zone, and the last error, one short
 * line per source.
 */
public record SyncStatus(SyncOutcome last, Instant lastSuccess, List<String> lastError) {
  static final SyncStatus NEVER = new SyncStatus(null, null, List.of());
  /** How long one line of {@link #lastError} may be: a status screen line, not a report. */
  static final int LINE = 120;

  public SyncStatus {
    lastError = List.copyOf(lastError);
  }

  SyncStatus after(SyncOutcome outcome) {
    if (outcome.succeeded()) {
      return new SyncStatus(outcome, outcome.finishedAt(), lastError);
    }
    List<String> lines = outcome.attempts().isEmpty() ? List.of(outcome.summary()) : outcome.attempts();
    return new SyncStatus(outcome, lastSuccess, lines.stream().map(SyncStatus::shorten).toList());
  }

  /** The first line of {@code text}, cut at a word to {@link #LINE} characters. */
  static String shorten(String text) {
    String line = text.lines().findFirst().orElse("").strip();
    if (line.length() <= LINE) {
      return line;
    }
    int cut = line.lastIndexOf(' ', LINE - 3);
    return line.substring(0, cut > LINE / 2 ? cut : LINE - 3) + "...";
  }
}
