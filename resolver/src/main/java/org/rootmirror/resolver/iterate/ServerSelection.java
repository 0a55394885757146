package org.rootmirror.resolver.iterate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Which authoritative server to ask next: Unbound-style infrastructure state per server address.
 * Each answer updates a smoothed round-trip time as TCP does (RFC 6298 section 2: SRTT, RTTVAR,
 * RTO = SRTT + 4 * RTTVAR, bounded to [50 ms, 12 s]); a timeout doubles the RTO (section 5.5) and
 * puts the server in backoff for that RTO, unless the server answered another query meanwhile
 * (then the reply was lost, and the server is up: see {@link #timedOut(InetSocketAddress, Instant,
 * Duration)}). {@link #choose} picks at random among the servers whose
 * RTO lies within a 400 ms band of the best, as Unbound does, so that load spreads over similar
 * servers and a server never asked (376 ms, Unbound's UNKNOWN_SERVER_NICENESS) still gets tried.
 * A server in backoff is chosen only when every candidate is. Entries unused for 15 minutes are
 * forgotten. Thread-safe; time and randomness are injected.
 */
public final class ServerSelection {
  /** The RTO of a server never measured (Unbound's UNKNOWN_SERVER_NICENESS). */
  public static final Duration UNKNOWN_RTO = Duration.ofMillis(376);
  /** The lower bound of the RTO (Unbound's RTT_MIN_TIMEOUT). */
  public static final Duration MIN_RTO = Duration.ofMillis(50);
  /** The upper bound of the RTO, also the longest backoff. */
  public static final Duration MAX_RTO = Duration.ofSeconds(12);
  /** Servers this close to the best are chosen from at random (Unbound's RTT_BAND). */
  public static final Duration BAND = Duration.ofMillis(400);
  /** How long an unused entry is kept (Unbound's infra-host-ttl is 900 s). */
  public static final Duration EXPIRY = Duration.ofMinutes(15);

  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final long UNKNOWN_RTO_NANOS = UNKNOWN_RTO.toNanos();
  private static final long MIN_RTO_NANOS = MIN_RTO.toNanos();
  private static final long MAX_RTO_NANOS = MAX_RTO.toNanos();
  private static final long BAND_NANOS = BAND.toNanos();

  /**
   * What is known about one server address.
   *
   * @param srtt the smoothed RTT, empty until the first answer
   * @param rttvar the RTT variation, empty until the first answer
   * @param rto the retransmission timeout: the time to wait for this server, and its rank
   * @param timeouts timeouts since the last answer
   * @param inBackoff whether the server timed out and its backoff has not yet run out
   */
  public record ServerState(
      Optional<Duration> srtt, Optional<Duration> rttvar, Duration rto, int timeouts,
      boolean inBackoff) {}

  /**
   * Immutable; replaced atomically under the map's per-key compute. Times in nanoseconds;
   * {@code answeredAt} is when the last answer came, or {@code Long.MIN_VALUE}.
   */
  private record Entry(long srtt, long rttvar, long rto, int timeouts, long backoffUntil, long answeredAt) {
    static final Entry UNKNOWN = new Entry(-1, -1, UNKNOWN_RTO_NANOS, 0, Long.MIN_VALUE, Long.MIN_VALUE);

    boolean measured() {
      return srtt >= 0;
    }

    boolean inBackoff(long now) {
      return now < backoffUntil;
    }
  }

  private final Ticker ticker;
  private final RandomGenerator random;
  private final Cache<InetSocketAddress, Entry> entries;

  public ServerSelection(InstantSource time, RandomGenerator random) {
    Objects.requireNonNull(time);
    this.random = Objects.requireNonNull(random);
    this.ticker = () -> {
      var now = time.instant();
      return Math.addExact(Math.multiplyExact(now.getEpochSecond(), NANOS_PER_SECOND), now.getNano());
    };
    this.entries =
        Caffeine.newBuilder()
            .expireAfterAccess(EXPIRY)
            .ticker(ticker)
            .executor(Runnable::run)
            .build();
  }

  /**
   * Picks the server to ask among {@code candidates}: at random among those not in backoff whose
   * RTO is within {@link #BAND} of the best; when all are in backoff, the one whose backoff ends
   * first.
   *
   * @throws IllegalArgumentException when {@code candidates} is empty
   */
  public InetSocketAddress choose(List<InetSocketAddress> candidates) {
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("no server to choose from");
    }
    long now = ticker.read();
    var available = new ArrayList<InetSocketAddress>(candidates.size());
    var rtos = new ArrayList<Long>(candidates.size());
    long best = Long.MAX_VALUE;
    InetSocketAddress soonestBack = null;
    long soonestBackAt = Long.MAX_VALUE;
    for (var candidate : candidates) {
      Entry entry = entry(candidate);
      if (entry.inBackoff(now)) {
        if (entry.backoffUntil() < soonestBackAt) {
          soonestBackAt = entry.backoffUntil();
          soonestBack = candidate;
        }
        continue;
      }
      available.add(candidate);
      rtos.add(entry.rto());
      best = Math.min(best, entry.rto());
    }
    if (available.isEmpty()) {
      return soonestBack;
    }
    var inBand = new ArrayList<InetSocketAddress>(available.size());
    for (int i = 0; i < available.size(); i++) {
      if (rtos.get(i) - best <= BAND_NANOS) {
        inBand.add(available.get(i));
      }
    }
    return inBand.get(random.nextInt(inBand.size()));
  }

  /** Records an answer from {@code server} after {@code rtt}: updates SRTT and RTO, ends backoff. */
  public void answered(InetSocketAddress server, Duration rtt) {
    Objects.requireNonNull(server);
    // Bounded, so that 4 * RTTVAR cannot overflow; an answer slower than MAX_RTO is rare anyway.
    long r = Math.clamp(rtt.toNanos(), 0, MAX_RTO_NANOS);
    long now = ticker.read();
    entries.asMap().compute(server, (key, old) -> {
      long srtt;
      long rttvar;
      if (old == null || !old.measured()) {
        // RFC 6298 section 2.2: the first measurement.
        srtt = r;
        rttvar = r / 2;
      } else {
        // RFC 6298 section 2.3: beta = 1/4, alpha = 1/8.
        rttvar = (3 * old.rttvar() + Math.abs(old.srtt() - r)) / 4;
        srtt = (7 * old.srtt() + r) / 8;
      }
      return new Entry(srtt, rttvar, bound(srtt + 4 * rttvar), 0, Long.MIN_VALUE, now);
    });
  }

  /**
   * Records that {@code server} did not answer a query sent now with its current RTO: see {@link
   * #timedOut(InetSocketAddress, Instant, Duration)}.
   */
  public void timedOut(InetSocketAddress server) {
    Objects.requireNonNull(server);
    long now = ticker.read();
    entries.asMap().compute(server, (key, old) -> {
      Entry entry = old == null ? Entry.UNKNOWN : old;
      return backedOff(entry, 2 * entry.rto(), now);
    });
  }

  /**
   * Records that {@code server} did not answer a query sent at {@code sent} that waited {@code
   * waited} (the RTO it was sent with). When the server has answered since {@code sent}, it is
   * there and answering: the query was lost (dropped by rate limiting, say), which says nothing
   * of the server's RTT, so nothing changes; the resolution that sent it retries with its own
   * backoff. Otherwise the RTO becomes twice the one the query was sent with, unless it is
   * already higher (RFC 6298 section 5.5, bounded by {@link #MAX_RTO}), and the server is in
   * backoff for that long.
   *
   * <p>Both rules are for the many queries one server has in flight at once (RFC 6298 has one
   * timer per connection). Twice the RTO the query was sent with, not twice the current one, is
   * Unbound's rtt_lost: queries sent together time out together and must not double the RTO
   * once each. Leaving the RTO alone once an answer has come since is what Unbound used to do
   * ("if a query succeeded and put down the rto meanwhile, ignore this"). Issue 12: under a flood
   * of new names, an authority's rate limiting dropped half of the UDP replies while it answered
   * the other half, each loss doubled the RTO, and at 12 s a lost reply cost a question its whole
   * deadline.
   *
   * @return true when the server answered since {@code sent}: it is there and this reply was lost
   */
  public boolean timedOut(InetSocketAddress server, Instant sent, Duration waited) {
    Objects.requireNonNull(server);
    long now = ticker.read();
    long sentAt = Math.addExact(Math.multiplyExact(sent.getEpochSecond(), NANOS_PER_SECOND), sent.getNano());
    long doubled = 2 * Math.clamp(waited.toNanos(), 0, MAX_RTO_NANOS);
    boolean[] answering = new boolean[1];
    entries.asMap().compute(server, (key, old) -> {
      Entry entry = old == null ? Entry.UNKNOWN : old;
      answering[0] = entry.answeredAt() >= sentAt;
      return answering[0] ? entry : backedOff(entry, doubled, now);
    });
    return answering[0];
  }

  /** {@code entry} after a timeout: the RTO raised to {@code rto} (bounded) unless higher, and in backoff for it. */
  private static Entry backedOff(Entry entry, long rto, long now) {
    long raised = Math.max(entry.rto(), bound(rto));
    return new Entry(entry.srtt(), entry.rttvar(), raised, entry.timeouts() + 1, now + raised, entry.answeredAt());
  }

  /** How long to wait for an answer from {@code server}: its current RTO. */
  public Duration timeout(InetSocketAddress server) {
    return Duration.ofNanos(entry(server).rto());
  }

  /** What is known about {@code server}; an unknown server's state when nothing is. */
  public ServerState state(InetSocketAddress server) {
    Entry entry = entry(server);
    return new ServerState(
        entry.measured() ? Optional.of(Duration.ofNanos(entry.srtt())) : Optional.empty(),
        entry.measured() ? Optional.of(Duration.ofNanos(entry.rttvar())) : Optional.empty(),
        Duration.ofNanos(entry.rto()),
        entry.timeouts(),
        entry.inBackoff(ticker.read()));
  }

  private Entry entry(InetSocketAddress server) {
    Entry entry = entries.getIfPresent(server);
    return entry == null ? Entry.UNKNOWN : entry;
  }

  private static long bound(long rto) {
    return Math.clamp(rto, MIN_RTO_NANOS, MAX_RTO_NANOS);
  }
}
