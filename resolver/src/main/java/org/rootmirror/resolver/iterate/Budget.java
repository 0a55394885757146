package org.rootmirror.resolver.iterate;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.xbill.DNS.ExtendedErrorCodeOption;

/**
 * What one resolution may still spend, shared by the lookups nested in it: queries, NS lookups,
 * time, and bytes received (those shared with every lookup of the client question, {@link
 * ResolutionDeadline}).
 */
final class Budget {
  final IterativeResolver.Limits limits;
  private final InstantSource time;
  private final Instant deadline;
  private int queries;
  private int nsLookups;
  /** One element: the question's count when one is in force, else this budget's own. */
  private final long[] received;

  /** A budget whose time runs out at the {@link ResolutionDeadline} in force, else after the limits' resolution time. */
  Budget(IterativeResolver.Limits limits, InstantSource time) {
    this(limits, time, deadline(limits, time));
  }

  Budget(IterativeResolver.Limits limits, InstantSource time, Instant deadline) {
    this.limits = limits;
    this.time = time;
    this.deadline = deadline;
    long[] question = ResolutionDeadline.received();
    this.received = question != null ? question : new long[1];
  }

  private static Instant deadline(IterativeResolver.Limits limits, InstantSource time) {
    Instant inForce = ResolutionDeadline.current();
    return inForce != null ? inForce : time.instant().plus(limits.resolutionTime());
  }

  Instant deadline() {
    return deadline;
  }

  /** The time left before the deadline; zero or negative once it has passed. */
  Duration left() {
    return Duration.between(time.instant(), deadline);
  }

  /** Spends one query: fails once the queries or the time are spent. */
  void query() throws Failure {
    if (!time.instant().isBefore(deadline)) {
      // RFC 8914 section 4.23: no authority could be reached in the time the client waits
      throw new Failure(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY,
          "no answer within " + seconds(limits.resolutionTime()));
    }
    if (++queries > limits.queries()) {
      throw new Failure(ExtendedErrorCodeOption.OTHER, "gave up after " + limits.queries() + " queries");
    }
  }

  /**
   * Counts a reply of {@code bytes}: fails once the replies exceed the limit, so that no
   * resolution holds more than that, whatever its authorities send.
   */
  void received(int bytes) throws Failure {
    received[0] += bytes;
    if (received[0] > limits.receivedBytes()) {
      throw new Failure(ExtendedErrorCodeOption.OTHER, "gave up after receiving " + received[0] + " bytes of replies");
    }
  }

  static String seconds(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  boolean nsLookup() {
    return ++nsLookups <= limits.nsLookups();
  }
}
