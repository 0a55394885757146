package org.rootmirror.resolver.validate;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The signature verifications one resolution may spend, across every RRset it validates: a bound
 * on the work an attacker's zone can make us do (KeyTrap, CVE-2023-50387). Create one per
 * resolution and pass it to every {@link RRsetValidator} call of that resolution; when it runs
 * out, the validator answers {@link RRsetValidator.TooExpensive} and the resolver SERVFAILs.
 *
 * <p>Two limits, as BIND has (max-validations-per-fetch and max-validation-failures-per-fetch):
 * failed verifications, which are what KeyTrap multiplies (colliding key tags, signatures that
 * do not verify), are few; all verifications together are many more, because an honest cold
 * resolution may need a signed denial per label (proving an unsigned zone sixteen empty labels
 * below ip6.arpa takes over 30 verifications).
 */
public final class ValidationBudget {
  /**
   * 256 verifications per resolution: the DS walk down a name of 127 labels needs about two per
   * label, and 256 ECDSA or RSA-2048 verifications are some tens of milliseconds of CPU, a bound
   * rather than a cost anyone pays twice (the keys and denials are cached).
   */
  public static final int DEFAULT_VERIFICATIONS = 256;

  /**
   * 16 failed verifications per resolution: an honest zone fails none, or one or two during a
   * key rollover; KeyTrap's zones fail by the thousand.
   */
  public static final int DEFAULT_FAILURES = 16;

  private final int limit;
  private final int failureLimit;
  private final AtomicInteger used = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();

  /** A budget of {@code limit} verifications of which any number may fail. */
  public ValidationBudget(int limit) {
    this(limit, limit);
  }

  public ValidationBudget(int limit, int failureLimit) {
    if (limit < 0 || failureLimit < 0) {
      throw new IllegalArgumentException("a budget of " + limit + " verifications, " + failureLimit + " failures");
    }
    this.limit = limit;
    this.failureLimit = failureLimit;
  }

  /** A budget of {@link #DEFAULT_VERIFICATIONS}, {@link #DEFAULT_FAILURES} of them failed. */
  public static ValidationBudget perResolution() {
    return new ValidationBudget(DEFAULT_VERIFICATIONS, DEFAULT_FAILURES);
  }

  /** Takes one verification from the budget; false, taking nothing, when it is spent. */
  public boolean tryConsume() {
    return used.getAndUpdate(n -> n < limit ? n + 1 : n) < limit;
  }

  /** Records that a verification failed; false when that was one failure too many. */
  public boolean recordFailure() {
    return failed.incrementAndGet() <= failureLimit;
  }

  public int limit() {
    return limit;
  }

  public int failureLimit() {
    return failureLimit;
  }

  public int used() {
    return used.get();
  }

  public int failures() {
    return failed.get();
  }

  public int remaining() {
    return limit - used.get();
  }

  @Override
  public String toString() {
    return used() + " of " + limit + " verifications, " + failures() + " of " + failureLimit + " failed";
  }
}
