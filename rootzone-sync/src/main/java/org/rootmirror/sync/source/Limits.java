package org.rootmirror.sync.source;

import java.time.Duration;

/**
 * Bounds on one fetch. {@code connectTimeout} for opening a connection, {@code deadline} for the
 * whole fetch, {@code stallTimeout} for the longest time without receiving a byte, and
 * {@code maxBytes} for the size of the zone text (a root zone is about 2.2 MB).
 */
public record Limits(Duration connectTimeout, Duration deadline, Duration stallTimeout, long maxBytes) {
  public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  public Limits {
    positive(connectTimeout, "connectTimeout");
    positive(deadline, "deadline");
    positive(stallTimeout, "stallTimeout");
    // The zone text is held in one byte array.
    if (maxBytes <= 0 || maxBytes > MAX_ARRAY) {
      throw new IllegalArgumentException("maxBytes must be between 1 and " + MAX_ARRAY + ", not " + maxBytes);
    }
  }

  public static Limits defaults() {
    return new Limits(Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofSeconds(30), DEFAULT_MAX_BYTES);
  }

  // A zero or negative timeout would mean "wait forever" to some APIs and "fail at once" to others.
  private static void positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, not " + d);
    }
  }
}
