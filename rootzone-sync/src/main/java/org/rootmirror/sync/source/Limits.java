package org.rootmirror.sync.source;

import java.time.Duration;

/**
 * Bounds on one fetch. {@code connectTimeout} for opening a connection, {@code deadline} for the
 * whole fetch, {@code stallTimeout} for the longest time without receiving a byte, and
 * {@code maxBytes} for the size of the zone text (a root zone is about 2.2 MB).
 */
public record Limits(Duration connectTimeout, Duration deadline, Duration stallTimeout, long maxBytes) {
  public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

  public static Limits defaults() {
    return new Limits(Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofSeconds(30), DEFAULT_MAX_BYTES);
  }
}
