package org.rootmirror.resolver.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.Resolver;
import org.xbill.DNS.ExtendedErrorCodeOption;

/**
 * A {@link Resolver} that answers what the test told it: canned resolutions for cache hits and
 * for resolutions, a gate that holds resolutions until the test opens it, and counts of calls.
 * Questions match whatever the case of their names (dnsjava names compare without case).
 */
public final class FakeResolver implements Resolver {
  private final Map<Question, Resolution> cached = new ConcurrentHashMap<>();
  private final Map<Question, Resolution> resolved = new ConcurrentHashMap<>();
  private final AtomicInteger resolutions = new AtomicInteger();
  private final AtomicInteger lookups = new AtomicInteger();
  private volatile CountDownLatch gate = new CountDownLatch(0);

  /** Answers {@code question} from the "cache": {@link #cached} returns it, no resolution starts. */
  public FakeResolver cache(Question question, Resolution resolution) {
    cached.put(question, resolution);
    return this;
  }

  /** Answers {@code question} only by resolving; unknown questions resolve to SERVFAIL. */
  public FakeResolver resolves(Question question, Resolution resolution) {
    resolved.put(question, resolution);
    return this;
  }

  /** From now on resolutions wait until {@link #release()}. */
  public void hold() {
    gate = new CountDownLatch(1);
  }

  public void release() {
    gate.countDown();
  }

  /** Calls of {@link #resolve} so far (those waiting at the gate included). */
  public int resolutions() {
    return resolutions.get();
  }

  /** Calls of {@link #cached} so far. */
  public int lookups() {
    return lookups.get();
  }

  @Override
  public Resolution resolve(Question question, boolean checkingDisabled) {
    resolutions.incrementAndGet();
    try {
      if (!gate.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
        return Resolution.servfail(ExtendedErrorCodeOption.OTHER, "held for 60 s: the test never released it");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Resolution.servfail(ExtendedErrorCodeOption.OTHER, "interrupted");
    }
    Resolution r = resolved.getOrDefault(question, cached.get(question));
    return r != null ? r : Resolution.servfail(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY, "fake: nothing canned for " + question);
  }

  @Override
  public Resolution cached(Question question, boolean checkingDisabled) {
    lookups.incrementAndGet();
    return cached.get(question);
  }
}
