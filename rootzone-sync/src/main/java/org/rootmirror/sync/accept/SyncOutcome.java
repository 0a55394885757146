package org.rootmirror.sync.accept;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one sync did.
 *
 * @param result what happened in the end
 * @param oldSerial the serial held before, -1 if none
 * @param newSerial the serial held after, -1 if none
 * @param source the source that gave the result, or null
 * @param summary one line for operators (validation summary, or why nothing changed)
 * @param attempts one line per source tried that did not give the result, with why
 */
public record SyncOutcome(
    Result result, long oldSerial, long newSerial, URI source, String summary, List<String> attempts,
    Instant finishedAt, Duration elapsed) {

  /** The end state of a sync. */
  public enum Result {
    /** A new valid zone was stored and published. */
    UPDATED(0),
    /** A source confirmed the zone held is current. */
    UNCHANGED(0),
    /** Every source failed or gave a zone that failed validation; the zone held keeps serving. */
    FAILED(1),
    /** Another sync holds the writer lock. */
    BUSY(3);

    private final int exitCode;

    Result(int exitCode) {
      this.exitCode = exitCode;
    }

    /** The exit code {@code rootmirror refresh} gives for it. */
    public int exitCode() {
      return exitCode;
    }
  }

  public SyncOutcome {
    attempts = List.copyOf(attempts);
  }

  public boolean succeeded() {
    return result == Result.UPDATED || result == Result.UNCHANGED;
  }

  /** e.g. {@code updated: 2026073101 -> 2026073102 from https://..., valid: ..., 1.2 s}. */
  public String describe() {
    StringBuilder sb = new StringBuilder(result.name().toLowerCase(java.util.Locale.ROOT)).append(": ");
    sb.append(oldSerial < 0 ? "none" : String.valueOf(oldSerial));
    if (result == Result.UPDATED) {
      sb.append(" -> ").append(newSerial);
    }
    if (source != null) {
      sb.append(" from ").append(source);
    }
    sb.append(", ").append(summary);
    sb.append(String.format(java.util.Locale.ROOT, ", %.1f s", elapsed.toMillis() / 1000.0));
    return sb.toString();
  }
}
