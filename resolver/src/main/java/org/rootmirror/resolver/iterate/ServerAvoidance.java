package org.rootmirror.resolver.iterate;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.rootmirror.resolver.Resolution;

/**
 * The attempts at one question that a validator makes when an answer is bogus: which server
 * addresses gave the answer of the last attempt, which ones later attempts avoid, and the query
 * budget all the attempts share. This is Unbound's blacklist for val-max-restart (RFC 4035
 * section 5 lets a validator ask other servers): the validator runs each attempt through {@link
 * #attempt}, and while it runs, the iterator on the same thread prefers servers not avoided,
 * records who replied, and spends the shared budget. Outside an attempt the iterator behaves as
 * without it. One instance per question, used on one thread.
 */
public final class ServerAvoidance {
  private static final ThreadLocal<ServerAvoidance> CURRENT = new ThreadLocal<>();

  private final Set<InetSocketAddress> avoided = new LinkedHashSet<>();
  private final Set<InetSocketAddress> origins = new LinkedHashSet<>();
  /** The server whose reply ended the step running now; null for the local root copy. */
  private InetSocketAddress lastReply;
  /** Whether the last attempt took a DS kept from a referral, whose server is not known. */
  private boolean usedKept;
  /** Whether attempts ask for DS RRsets instead of taking the ones kept from referrals. */
  private boolean askForKept;
  /** Created by the first attempt, spent by all: retries cost queries of the same resolution. */
  private Budget budget;

  /**
   * Runs {@code resolution} (a resolution by the iterator, on this thread) as the next attempt: the
   * iterator avoids the servers {@link #avoidOrigins} named before, and records the servers that
   * answered it.
   */
  public Resolution attempt(Supplier<Resolution> resolution) {
    origins.clear();
    lastReply = null;
    usedKept = false;
    ServerAvoidance outer = CURRENT.get();
    CURRENT.set(this);
    try {
      return resolution.get();
    } finally {
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
    }
  }

  /**
   * Avoids, from the next attempt on, the servers whose replies made the last attempt's answer
   * (each link of a CNAME chain has one). False when none of them is new: another attempt would
   * ask the same servers again.
   */
  public boolean avoidOrigins() {
    boolean more = avoided.addAll(origins);
    if (usedKept && !askForKept) {
      // the DS came with a referral, from a server not recorded: ask for it (of servers chosen
      // afresh, and avoided as they answer)
      askForKept = true;
      more = true;
    }
    return more;
  }

  /** The server addresses later attempts avoid. */
  public Set<InetSocketAddress> avoided() {
    return Set.copyOf(avoided);
  }

  /** The servers that gave the last attempt's answer. */
  public Set<InetSocketAddress> origins() {
    return Set.copyOf(origins);
  }

  /** The budget of a resolution starting now: the attempts' shared one during an attempt. */
  static Budget budget(IterativeResolver.Limits limits, java.time.InstantSource time) {
    ServerAvoidance current = CURRENT.get();
    if (current == null) {
      return new Budget(limits, time);
    }
    if (current.budget == null) {
      current.budget = new Budget(limits, time);
    }
    return current.budget;
  }

  /**
   * The candidates to choose among: those not avoided, or all of them when every one is avoided
   * (a last resort, as Unbound ranks blacklisted servers last rather than never asking them).
   */
  static List<InetSocketAddress> preferred(List<InetSocketAddress> candidates) {
    ServerAvoidance current = CURRENT.get();
    if (current == null || current.avoided.isEmpty()) {
      return candidates;
    }
    List<InetSocketAddress> preferred = new ArrayList<>(candidates.size());
    for (InetSocketAddress a : candidates) {
      if (!current.avoided.contains(a)) {
        preferred.add(a);
      }
    }
    return preferred.isEmpty() ? candidates : preferred;
  }

  /** Whether there are candidates and every one of them is avoided. */
  static boolean onlyAvoided(List<InetSocketAddress> candidates) {
    ServerAvoidance current = CURRENT.get();
    return current != null && !candidates.isEmpty() && current.avoided.containsAll(candidates);
  }

  /** Whether a DS kept from a referral may stand for an answer now: not once such a DS was bogus. */
  static boolean mayUseKept() {
    ServerAvoidance current = CURRENT.get();
    return current == null || !current.askForKept;
  }

  /** The attempt running took a DS kept from a referral. */
  static void usedKept() {
    ServerAvoidance current = CURRENT.get();
    if (current != null) {
      current.usedKept = true;
    }
  }

  /** A reply at {@code depth} came from {@code server} (null: the local root copy). */
  static void replied(InetSocketAddress server, int depth) {
    ServerAvoidance current = CURRENT.get();
    if (current != null && depth == 0) {
      current.lastReply = server;
    }
  }

  /** A step of the question itself (not of a nested NS-address lookup) ended on the last reply. */
  static void stepEnded(int depth) {
    ServerAvoidance current = CURRENT.get();
    if (current != null && depth == 0 && current.lastReply != null) {
      current.origins.add(current.lastReply);
    }
  }
}
