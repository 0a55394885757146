package org.rootmirror.resolver.validate;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The signature verifications one resolution may spend, across every RRset it validates: a bound
 * on the work an attacker's zone can make us do (KeyTrap, CVE-2023-50387). Create one per
 * resolution and pass it to every {@link RRsetValidator} call of that resolution; when it runs
 * out, the validator answers {@link RRsetValidator.TooExpensive} and the resolver SERVFAILs.
 */
public final class ValidationBudget {
  /**
   * 32 verifications per resolution: a secure answer needs about two per zone cut (DNSKEY and the
   * RRset, or DS), so a chain of eight cuts fits with room for one key rollover's double
   * signatures, while one resolution costs at most ~32 RSA-2048 or Ed25519 verifications (well
   * under 10 ms of CPU) however the zones are built.
   */
  public static final int DEFAULT_VERIFICATIONS = 32;

  private final int limit;
  private final AtomicInteger used = new AtomicInteger();

  public ValidationBudget(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("a budget of " + limit + " verifications");
    }
    this.limit = limit;
  }

  /** A budget of {@link #DEFAULT_VERIFICATIONS}. */
  public static ValidationBudget perResolution() {
    return new ValidationBudget(DEFAULT_VERIFICATIONS);
  }

  /** Takes one verification from the budget; false, taking nothing, when it is spent. */
  public boolean tryConsume() {
    return used.getAndUpdate(n -> n < limit ? n + 1 : n) < limit;
  }

  public int limit() {
    return limit;
  }

  public int used() {
    return used.get();
  }

  public int remaining() {
    return limit - used.get();
  }

  @Override
  public String toString() {
    return used() + " of " + limit + " verifications";
  }
}
