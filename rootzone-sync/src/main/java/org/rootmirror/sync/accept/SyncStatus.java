package org.rootmirror.sync.accept;

import java.time.Instant;

/**
 * The sync's memory between runs, for scheduling, expiry and {@code rootmirror status}: the last
 * outcome, when a source last confirmed or delivered a valid zone, and the last error.
 */
public record SyncStatus(SyncOutcome last, Instant lastSuccess, String lastError) {
  static final SyncStatus NEVER = new SyncStatus(null, null, null);

  SyncStatus after(SyncOutcome outcome) {
    if (outcome.succeeded()) {
      return new SyncStatus(outcome, outcome.finishedAt(), lastError);
    }
    String error = outcome.summary() + (outcome.attempts().isEmpty() ? "" : ": " + String.join("; ", outcome.attempts()));
    return new SyncStatus(outcome, lastSuccess, error);
  }
}
