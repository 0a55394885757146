package org.rootmirror.resolver.iterate;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A time source that tests move by hand, so that no test sleeps. */
final class MutableTime implements InstantSource {
  private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

  @Override
  public Instant instant() {
    return now;
  }

  void advance(Duration by) {
    now = now.plus(by);
  }
}
