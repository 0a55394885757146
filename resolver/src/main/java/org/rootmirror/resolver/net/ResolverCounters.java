package org.rootmirror.resolver.net;

import java.util.concurrent.atomic.LongAdder;
import org.xbill.DNS.Rcode;

/** What the front end answered: responses by RCODE, cache hits and misses, queries turned away for load. */
public final class ResolverCounters {
  /** RCODEs 0 to 23 (RFC 6895 section 2.3 registry up to BADCOOKIE); anything above shares the last slot. */
  public static final int RCODES = 24;

  private final LongAdder[] responses = new LongAdder[RCODES];
  private final LongAdder cacheHits = new LongAdder();
  private final LongAdder cacheMisses = new LongAdder();
  private final LongAdder overloaded = new LongAdder();
  private final LongAdder resolutionFailures = new LongAdder();

  ResolverCounters() {
    for (int i = 0; i < RCODES; i++) {
      responses[i] = new LongAdder();
    }
  }

  void responded(int rcode) {
    responses[Math.min(rcode, RCODES - 1)].increment();
  }

  void cacheHit() {
    cacheHits.increment();
  }

  void cacheMiss() {
    cacheMisses.increment();
  }

  void turnedAway() {
    overloaded.increment();
  }

  void resolutionFailed() {
    resolutionFailures.increment();
  }

  /** Responses sent with {@code rcode} (RCODEs of 23 and above are counted together). */
  public long responses(int rcode) {
    return responses[Math.min(rcode, RCODES - 1)].sum();
  }

  /** Questions answered at once from {@code Resolver.cached}. */
  public long cacheHits() {
    return cacheHits.sum();
  }

  /** Questions the cache could not answer: each started a resolution, unless turned away. */
  public long cacheMisses() {
    return cacheMisses.sum();
  }

  /** Misses turned away because the resolutions in flight were at their limit. */
  public long overloaded() {
    return overloaded.sum();
  }

  /** Resolutions, and other steps of answering, that threw: bugs, answered SERVFAIL. */
  public long resolutionFailures() {
    return resolutionFailures.sum();
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("responses");
    for (int i = 0; i < RCODES; i++) {
      long n = responses[i].sum();
      if (n > 0) {
        out.append(' ').append(Rcode.string(i)).append('=').append(n);
      }
    }
    return out.append("; cache hits=").append(cacheHits()).append(" misses=").append(cacheMisses())
        .append("; overloaded=").append(overloaded()).append("; resolution failures=").append(resolutionFailures()).toString();
  }
}
