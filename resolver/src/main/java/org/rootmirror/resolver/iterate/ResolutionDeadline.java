package org.rootmirror.resolver.iterate;

import java.time.Instant;
import java.util.function.Supplier;

/**
 * When the client question being resolved on this thread must be answered, and the bytes of
 * replies it has received so far: the iterator gives up at the deadline, or once the replies
 * exceed {@link IterativeResolver.Limits#receivedBytes}, whichever lookup it is in (the answer
 * itself, a DNSKEY or DS the validator needs, an NS name's address), so a client gets its
 * SERVFAIL in time rather than silence, and no question holds more memory than that. Set by the
 * top of the resolver stack for each question; a lookup outside one (a prefetch) gets its own
 * deadline from {@link IterativeResolver.Limits#resolutionTime} and counts its own bytes.
 */
public final class ResolutionDeadline {
  /** The deadline and the bytes received, shared by the lookups of one question on one thread. */
  private record Scope(Instant deadline, long[] received) {}

  private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

  private ResolutionDeadline() {}

  /**
   * Runs {@code work} with {@code deadline} in force on this thread; an earlier deadline already in
   * force (a question nested in another) stays. A nested question counts its bytes with the outer one.
   */
  public static <T> T within(Instant deadline, Supplier<T> work) {
    Scope outer = CURRENT.get();
    if (outer != null && !deadline.isBefore(outer.deadline)) {
      return work.get();
    }
    CURRENT.set(new Scope(deadline, outer != null ? outer.received : new long[1]));
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
    Scope scope = CURRENT.get();
    return scope == null ? null : scope.deadline;
  }

  /** The count of bytes received by the question in force on this thread (one element), or null. */
  static long[] received() {
    Scope scope = CURRENT.get();
    return scope == null ? null : scope.received;
  }
}
