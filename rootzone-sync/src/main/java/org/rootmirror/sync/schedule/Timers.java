package org.rootmirror.sync.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.rootmirror.sync.accept.SyncOutcome;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.xbill.DNS.SOARecord;

/**
 * The timer rules of a secondary (RFC 1035 section 4.3.5, RFC 1996): check again after the SOA
 * refresh, retry after the SOA retry, expire after the SOA expire without a successful check;
 * and, for a DNSSEC zone, expire when its signatures do. Pure: time and randomness come in.
 */
public final class Timers {
  /** The root's values, used before any zone is held. */
  static final Duration DEFAULT_REFRESH = Duration.ofSeconds(1800);
  static final Duration DEFAULT_RETRY = Duration.ofSeconds(900);
  /** Warn when the signatures of the zone held run out within this and nothing newer came. */
  public static final Duration EXPIRY_WARNING = Duration.ofHours(48);

  private Timers() {}

  /**
   * The wait before the next check: the SOA refresh after a success, the SOA retry after a
   * failure, each spread by +-10% so that a fleet of mirrors does not fetch in step.
   */
  public static Duration nextCheck(SyncOutcome outcome, SOARecord soa, RandomGenerator random) {
    Duration base = outcome.succeeded()
        ? (soa == null ? DEFAULT_REFRESH : Duration.ofSeconds(soa.getRefresh()))
        : (soa == null ? DEFAULT_RETRY : Duration.ofSeconds(soa.getRetry()));
    double factor = 0.9 + 0.2 * random.nextDouble();
    return Duration.ofMillis(Math.round(base.toMillis() * factor));
  }

  /**
   * Why the zone must be withdrawn at {@code now}, or empty while it may still be served: its
   * earliest signature has expired, or the SOA expire has passed since the last successful
   * check ({@code lastSuccess}; null means the time it was fetched).
   */
  public static Optional<String> expired(ZoneSnapshot zone, Instant lastSuccess, Instant now) {
    Instant signatures = zone.metadata().earliestExpiry();
    if (signatures != null && now.isAfter(signatures)) {
      return Optional.of("signatures of serial " + zone.serial() + " expired at " + signatures);
    }
    SOARecord soa = zone.zone().soa();
    Instant checked = lastSuccess != null ? lastSuccess : zone.metadata().fetchedAt();
    if (soa != null && checked != null) {
      Instant limit = checked.plusSeconds(soa.getExpire());
      if (now.isAfter(limit)) {
        return Optional.of("no successful check since " + checked + " (SOA expire " + soa.getExpire() + " s)");
      }
    }
    return Optional.empty();
  }

  /** A warning when the zone's signatures expire within {@link #EXPIRY_WARNING}, else empty. */
  public static Optional<String> expiringSoon(ZoneSnapshot zone, Instant now) {
    Instant signatures = zone.metadata().earliestExpiry();
    if (signatures != null && !now.isAfter(signatures) && Duration.between(now, signatures).compareTo(EXPIRY_WARNING) < 0) {
      return Optional.of("signatures of serial " + zone.serial() + " expire at " + signatures
          + " and nothing newer could be fetched");
    }
    return Optional.empty();
  }
}
