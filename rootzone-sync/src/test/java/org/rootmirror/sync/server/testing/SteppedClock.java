package org.rootmirror.sync.server.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A nanosecond clock that stands still until a test steps it: time without waiting. */
public final class SteppedClock implements LongSupplier {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);

  @Override
  public long getAsLong() {
    return nanos.get();
  }

  public void step(Duration d) {
    nanos.addAndGet(d.toNanos());
  }
}
