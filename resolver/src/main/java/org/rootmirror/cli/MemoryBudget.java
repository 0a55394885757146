package org.rootmirror.cli;

import org.rootmirror.cli.config.Settings;
import org.rootmirror.cli.config.Values;
import org.rootmirror.resolver.ResolverStack;
import org.rootmirror.resolver.iterate.IterativeResolver;
import org.rootmirror.resolver.net.ResolverService;

/**
 * How {@code rootmirror run} shares its heap. bin/jvm-launch sets the heap before the JVM starts:
 * {@code [server] max-memory} but an eighth and 128 MB ({@link Settings#heapFor}), which the JVM
 * keeps for itself (compiled code, class data, thread stacks, the collector's tables). Of the heap:
 *
 * <ul>
 *   <li>the cache takes at most {@code cache-size}, which may be at most a third of it (the
 *       configuration check says so);
 *   <li>resolutions in flight take at most another third: each may receive {@link
 *       IterativeResolver.Limits#RECEIVED_BYTES} of replies, so the bound on them is that third
 *       divided by it (853 at the default 512m), at most {@link
 *       ResolverService#DEFAULT_MAX_IN_FLIGHT}; beyond it a miss is answered SERVFAIL at once, as
 *       Unbound's num-queries-per-thread (1,024 by default) turns queries away;
 *   <li>the rest holds the root zone (about 25 MB, twice that while a new one is validated), the
 *       {@link ResolverStack#MAX_PREFETCHES} prefetches, and the room the collector needs.
 * </ul>
 *
 * @param heap the heap the JVM has ({@link Runtime#maxMemory()}), however it was set
 * @param maxMemory the operator's ceiling, {@code [server] max-memory}
 * @param cacheBytes the cache's bound, {@code [resolver] cache-size}
 * @param resolutionsInFlight the bound on client resolutions running at once
 */
record MemoryBudget(long heap, long maxMemory, long cacheBytes, int resolutionsInFlight) {
  /** Below this, a resolver cannot keep up with a single busy stub. */
  static final int MIN_IN_FLIGHT = 16;

  static MemoryBudget of(Settings settings) {
    return of(Runtime.getRuntime().maxMemory(), settings.maxMemory(), settings.cacheSize());
  }

  static MemoryBudget of(long heap, long maxMemory, long cacheBytes) {
    long share = heap / 3 / IterativeResolver.Limits.RECEIVED_BYTES;
    int inFlight = (int) Math.max(MIN_IN_FLIGHT, Math.min(ResolverService.DEFAULT_MAX_IN_FLIGHT, share));
    return new MemoryBudget(heap, maxMemory, cacheBytes, inFlight);
  }

  /** The heap bin/jvm-launch gives the JVM for {@code maxMemory}. */
  static long heapFor(long maxMemory) {
    return Settings.heapFor(maxMemory);
  }

  /**
   * Whether the heap is what max-memory asks for (within a tenth: the collector may round it), that
   * is, whether the JVM was started by bin/jvm-launch with no other -Xmx.
   */
  boolean heapFollowsMaxMemory() {
    long wanted = heapFor(maxMemory);
    return Math.abs(heap - wanted) <= wanted / 10;
  }

  /** One line for the log at start, and what to do when the heap is not the one max-memory asks for. */
  String describe() {
    String plan = "memory: heap " + mb(heap) + ", cache up to " + mb(cacheBytes) + ", up to " + resolutionsInFlight
        + " resolutions in flight";
    if (heapFollowsMaxMemory()) {
      return plan + " (max-memory " + Values.sizeText(maxMemory) + ")";
    }
    return plan + "; max-memory " + Values.sizeText(maxMemory) + " asks for a heap of " + mb(heapFor(maxMemory))
        + ": start rootmirror with its launcher (bin/rootmirror, or the installed one), and without -Xmx in ROOTMIRROR_JAVA_OPTS";
  }

  private static String mb(long bytes) {
    return (bytes + (1L << 19)) / (1L << 20) + " MB";
  }
}
