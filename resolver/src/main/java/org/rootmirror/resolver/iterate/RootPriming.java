package org.rootmirror.resolver.iterate;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.xbill.DNS.ExtendedErrorCodeOption;

/**
 * When the public root servers are primed (RFC 8109), and what is done while priming fails. One
 * priming runs at a time; questions that need it meanwhile wait for its outcome, within their own
 * deadline. After a failure no question primes again before a retry time that backs off (1 s,
 * doubling to 1 min, as RFC 8109 section 3 asks resolvers not to re-prime without limit); until
 * then, if no hinted server replied at all, questions that need the public roots get SERVFAIL at
 * once (Extended DNS Error 22) with no packet sent, and if some replied (unusably), the hints serve
 * as they are. The log hears of it once per change of state: when priming starts failing, and when
 * it works again, with how many attempts failed and how many questions were turned away meanwhile.
 */
final class RootPriming {
  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration MAX_RETRY = Duration.ofMinutes(1);

  /** One priming exchange: returns when the root's NS RRset is cached, throws when it is not. */
  @FunctionalInterface
  interface Attempt {
    void prime(Budget budget) throws Failure;
  }

  /** Where the changes of state are told: the log in production, a list in tests. */
  interface Report {
    void failing(String message);

    void recovered(String message);
  }

  private final InstantSource time;
  private final IteratorCounters counters;
  private final Report report;
  private final ReentrantLock lock = new ReentrantLock(); // not synchronized: waiters are virtual threads
  // guarded by lock
  private boolean failing;
  private boolean noReply;
  private int failures;
  private long turnedAway;
  private Instant failedAt;
  private Instant retryAt = Instant.MIN;
  private String reason;

  RootPriming(InstantSource time, IteratorCounters counters, Report report) {
    this.time = time;
    this.counters = counters;
    this.report = report;
  }

  /**
   * Makes sure priming was tried: returns when the root is primed ({@code primed} says so) or the
   * hints are to be used; throws when the public roots cannot be reached now.
   */
  void ensure(BooleanSupplier primed, Attempt attempt, Budget budget) throws Failure {
    lock(budget);
    try {
      if (primed.getAsBoolean()) {
        return; // primed while this question waited
      }
      Instant now = time.instant();
      if (failing && now.isBefore(retryAt)) {
        if (noReply) {
          turnedAway++;
          counters.heldBack();
          throw new Failure(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY, "no root server answered priming since "
              + failedAt.truncatedTo(ChronoUnit.SECONDS) + " (" + reason + "); next try in "
              + Budget.seconds(Duration.between(now, retryAt).plusMillis(999).truncatedTo(ChronoUnit.SECONDS)));
        }
        return; // the hints replied, if unusably: they serve until the retry
      }
      try {
        attempt.prime(budget);
      } catch (Failure f) {
        failed(f, time.instant());
        if (noReply) {
          throw new Failure(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY, "no root server answered priming (" + reason + ")");
        }
        return;
      }
      if (failing) {
        report.recovered("priming the root servers works again, after " + failures + " failed attempt" + (failures == 1 ? "" : "s")
            + " since " + failedAt.truncatedTo(ChronoUnit.SECONDS) + "; " + turnedAway + " question" + (turnedAway == 1 ? " was" : "s were") + " answered SERVFAIL meanwhile");
      }
      failing = false;
      failures = 0;
      turnedAway = 0;
      retryAt = Instant.MIN;
    } finally {
      lock.unlock();
    }
  }

  private void failed(Failure f, Instant now) {
    counters.primingFailed();
    failures++;
    noReply = !f.answered;
    reason = shortReason(f.getMessage());
    long factor = 1L << Math.min(failures - 1, 16);
    Duration wait = FIRST_RETRY.multipliedBy(factor);
    if (wait.compareTo(MAX_RETRY) > 0) {
      wait = MAX_RETRY;
    }
    retryAt = now.plus(wait);
    if (!failing) {
      failing = true;
      failedAt = now;
      turnedAway = 0;
      report.failing("priming the root servers failed (" + reason + "); "
          + (noReply ? "names not in the cache get SERVFAIL" : "using the hinted servers as they are")
          + " until it works; trying again in " + Budget.seconds(wait) + ", then at growing intervals up to "
          + Budget.seconds(MAX_RETRY) + "; check the network, or the mirrors and root hints configured");
    }
  }

  /** The first server's reason, and how many others failed: one short line, not one per server. */
  static String shortReason(String message) {
    int colon = message.indexOf(": ");
    if (colon < 0) {
      return message;
    }
    String[] servers = message.substring(colon + 2).split("; ");
    return servers[0] + (servers.length > 1 ? " and " + (servers.length - 1) + " more" : "");
  }

  private void lock(Budget budget) throws Failure {
    try {
      long nanos = Math.max(0, budget.left().toNanos());
      if (!lock.tryLock(nanos, TimeUnit.NANOSECONDS)) {
        throw new Failure(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY, "no answer within "
            + Budget.seconds(budget.limits.resolutionTime()) + ": priming the root servers is still running");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure(ExtendedErrorCodeOption.OTHER, "interrupted");
    }
  }
}
