package org.rootmirror.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadinessTest {
  @Test
  void watchdogPingsAtHalfTheTimeout() {
    assertEquals(Optional.of(Duration.ofSeconds(15)), Readiness.watchdogInterval(Map.of("WATCHDOG_USEC", "30000000"), 42));
  }

  @Test
  void watchdogMeantForAnotherProcessIsIgnored() {
    assertEquals(Optional.empty(), Readiness.watchdogInterval(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "7"), 42));
    assertEquals(Optional.of(Duration.ofSeconds(15)),
        Readiness.watchdogInterval(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "42"), 42));
  }

  @Test
  void noOrBadWatchdogTimeoutMeansNoPings() {
    assertEquals(Optional.empty(), Readiness.watchdogInterval(Map.of(), 42));
    assertEquals(Optional.empty(), Readiness.watchdogInterval(Map.of("WATCHDOG_USEC", "0"), 42));
    assertEquals(Optional.empty(), Readiness.watchdogInterval(Map.of("WATCHDOG_USEC", "soon"), 42));
  }

  @Test
  void statusWithoutAZoneSaysTheResolverFallsBack() {
    assertTrue(Readiness.status(Optional.empty()).contains("root servers"));
  }

  @Test
  void withoutRootAnchorTheStatusSaysThereIsNoCopy() {
    assertTrue(Readiness.NO_ROOT_COPY.contains("no local root copy"));
    try (Readiness r = Readiness.notifyWhen(new org.rootmirror.sync.store.PublishedZone(), Map.of()).withoutRootCopy()) {
      r.ready(Map.of(), 42); // no systemd: nothing sent, nothing thrown
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void withoutNotifySocketReadinessDoesNothing() throws Exception {
    try (Readiness r = Readiness.notifyWhen(new org.rootmirror.sync.store.PublishedZone(), Map.of())) {
      r.ready(Map.of("WATCHDOG_USEC", "1000"), 42);
      r.stopping();
    }
  }
}
