package org.rootmirror.resolver.iterate;

import java.time.Instant;
import java.util.function.Supplier;

/**
 * When the client question being resolved on this thread must be answered: the iterator gives up
 * then, whichever lookup it is in (the answer itself, a DNSKEY or DS the validator needs, an NS
 * name's address), so a client gets its SERVFAIL in time rather than silence. Set by the top of
 * the resolver stack for each question; a lookup outside one (a prefetch) gets its own deadline
 * from {@link IterativeResolver.Limits#resolutionTime}.
 */
public final class ResolutionDeadline {
  private static final ThreadLocal<Instant> CURRENT = new ThreadLocal<>();

  private ResolutionDeadline() {}

  /**
   * Runs {@code work} with {@code deadline} in force on this thread; an earlier deadline already in
   * force (a question nested in another) stays.
   */
  public static <T> T within(Instant deadline, Supplier<T> work) {
    Instant outer = CURRENT.get();
    if (outer != null && !deadline.isBefore(outer)) {
      return work.get();
    }
    CURRENT.set(deadline);
    try {
      return work.get();
    } finally {
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
    }
  }

  /** The deadline in force on this thread, or null. */
  static Instant current() {
    return CURRENT.get();
  }
}
