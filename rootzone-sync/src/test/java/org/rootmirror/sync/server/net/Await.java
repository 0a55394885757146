package org.rootmirror.sync.server.net;

import java.util.function.BooleanSupplier;

/** Waits for what the server does after the client has its answer (counters, closing). */
final class Await {
  private static final long LIMIT_NANOS = 5_000_000_000L;

  private Await() {}

  static void until(BooleanSupplier condition) {
    long deadline = System.nanoTime() + LIMIT_NANOS;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 5 s");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }
}
