package org.rootmirror.sync.changes;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the change log: what the version with {@code serial} changed from the version
 * published before it.
 *
 * @param previous the serial published before, or -1 when there is none to compare with (the first
 *     version ever, or the one before it could not be read): then {@code difference} is empty and
 *     {@code note} says why
 * @param at when this version was published (fetched and validated)
 * @param delegations how many delegations (TLDs) this version has
 * @param note why nothing is compared, or null
 */
public record ChangeEntry(long serial, long previous, Instant at, int delegations, ZoneDifference difference, String note) {
  public ChangeEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(difference, "difference");
  }

  /** An entry that compares with nothing: the start of the record, or a gap in it. */
  public static ChangeEntry start(long serial, Instant at, int delegations, String note) {
    return new ChangeEntry(serial, -1, at, delegations, ZoneDifference.NONE, Objects.requireNonNull(note, "note"));
  }

  /** Whether this entry compares with nothing (see {@link #start}). */
  public boolean isStart() {
    return previous < 0;
  }
}
