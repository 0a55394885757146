package org.rootmirror.sync.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.sync.accept.SyncOutcome;
import org.rootmirror.sync.store.ZoneMetadata;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;

/** The secondary's timer rules, at chosen times. */
class TimersTest {
  private static final Instant FETCHED = Instant.parse("2026-08-01T00:00:00Z");
  private static final Instant SIGS_EXPIRE = Instant.parse("2026-08-13T20:00:00Z");
  // the root's SOA: refresh 1800, retry 900, expire 604800
  private static final SOARecord SOA = new SOARecord(Name.root, DClass.IN, 86400, Name.fromConstantString("a.root-servers.net."),
      Name.fromConstantString("nstld.verisign-grs.com."), 2026073102, 1800, 900, 604800, 86400);
  private static final ZoneSnapshot ZONE = new ZoneSnapshot(Zone.of(Name.root, List.of(SOA)),
      new ZoneMetadata(2026073102, URI.create("file:/x"), "", FETCHED, "valid", SIGS_EXPIRE, true, null, null), null);

  private static SyncOutcome outcome(SyncOutcome.Result result) {
    return new SyncOutcome(result, 1, 1, null, "", List.of(), FETCHED, Duration.ZERO);
  }

  @Test
  void nextCheckAfterSuccessIsTheSoaRefreshWithinTenPercent() {
    Random random = new Random(1);
    for (int i = 0; i < 1000; i++) {
      long s = Timers.nextCheck(outcome(SyncOutcome.Result.UPDATED), SOA, random).toSeconds();
      assertTrue(s >= 1620 && s <= 1980, "refresh " + s);
    }
  }

  @Test
  void nextCheckAfterFailureIsTheSoaRetryWithinTenPercent() {
    Random random = new Random(2);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 1000; i++) {
      long s = Timers.nextCheck(outcome(SyncOutcome.Result.FAILED), SOA, random).toSeconds();
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
    assertTrue(min >= 810 && max <= 990, min + ".." + max);
    assertTrue(max - min > 100, "the jitter spreads checks: " + min + ".." + max);
  }

  @Test
  void beforeAnyZoneTheRootsDefaultsApply() {
    long s = Timers.nextCheck(outcome(SyncOutcome.Result.FAILED), null, new Random(3)).toSeconds();
    assertTrue(s >= 810 && s <= 990, "retry " + s);
  }

  @Test
  void zoneStaysValidUntilItsSignaturesExpire() {
    Instant checked = SIGS_EXPIRE.minus(Duration.ofHours(1));
    assertTrue(Timers.expired(ZONE, checked, SIGS_EXPIRE).isEmpty());
    assertEquals("signatures of serial 2026073102 expired at 2026-08-13T20:00:00Z",
        Timers.expired(ZONE, checked, SIGS_EXPIRE.plusSeconds(1)).orElseThrow());
  }

  @Test
  void zoneExpiresWhenSoaExpireHasPassedSinceTheLastSuccessfulCheck() {
    Instant lastCheck = Instant.parse("2026-07-20T00:00:00Z");
    Instant now = lastCheck.plusSeconds(604800 + 1);
    assertEquals("no successful check since 2026-07-20T00:00:00Z (SOA expire 604800 s)",
        Timers.expired(ZONE, lastCheck, now).orElseThrow());
    assertTrue(Timers.expired(ZONE, lastCheck, lastCheck.plusSeconds(604800)).isEmpty());
  }

  @Test
  void withoutACheckSinceStartTheFetchTimeCounts() {
    assertTrue(Timers.expired(ZONE, null, FETCHED.plusSeconds(604800 + 1)).isPresent());
  }

  @Test
  void warnsWhenSignaturesExpireWithinTwoDays() {
    assertTrue(Timers.expiringSoon(ZONE, SIGS_EXPIRE.minus(Duration.ofHours(49))).isEmpty());
    assertTrue(Timers.expiringSoon(ZONE, SIGS_EXPIRE.minus(Duration.ofHours(47))).orElseThrow()
        .contains("expire at 2026-08-13T20:00:00Z and nothing newer could be fetched"));
  }
}
