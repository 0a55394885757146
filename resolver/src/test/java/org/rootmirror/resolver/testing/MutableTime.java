package org.rootmirror.resolver.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A time source that tests move by hand, so that no test sleeps. */
public final class MutableTime implements InstantSource {
  private volatile Instant now;

  public MutableTime() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  public MutableTime(Instant start) {
    now = start;
  }

  @Override
  public Instant instant() {
    return now;
  }

  public void advance(Duration by) {
    now = now.plus(by);
  }

  public void advanceSeconds(long seconds) {
    advance(Duration.ofSeconds(seconds));
  }
}
