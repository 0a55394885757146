package org.rootmirror.sync.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Limits refuse bounds that would mean "no bound" or could not be honoured. */
class LimitsTest {
  @Test
  void defaultsAreThoseOfTheIssue() {
    Limits limits = Limits.defaults();

    assertEquals(64L * 1024 * 1024, limits.maxBytes());
    assertTrue(limits.stallTimeout().compareTo(limits.deadline()) < 0);
  }

  @Test
  void zeroTimeoutIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Limits(Duration.ZERO, Duration.ofMinutes(5), Duration.ofSeconds(30), 1024));

    assertTrue(e.getMessage().contains("connectTimeout must be a positive duration"), e.getMessage());
  }

  @Test
  void capBeyondOneByteArrayIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new Limits(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 1L << 31));
  }
}
