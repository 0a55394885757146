package org.rootmirror.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stopping a daemon's parts: side by side, by a deadline, whatever one of them does. */
class ShutdownTest {
  private final StringWriter err = new StringWriter();

  @Test
  void everyPartIsClosedAndAFailureIsOneLine() throws Exception {
    CountDownLatch closed = new CountDownLatch(2);
    List<String> late = Shutdown.closeAll("rootmirror run", new PrintWriter(err, true), Duration.ofSeconds(20),
        Shutdown.part("mirror", closed::countDown),
        Shutdown.part("metrics server", () -> {
          closed.countDown();
          throw new java.io.IOException("socket already closed");
        }),
        Shutdown.part("nothing", null));
    assertTrue(closed.await(20, TimeUnit.SECONDS));
    assertEquals(List.of(), late);
    assertEquals("rootmirror run: stopping the metrics server: socket already closed\n", err.toString());
  }

  @Test
  void aPartThatHangsIsLeftAtTheDeadlineWhileTheOthersClose() {
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch quick = new CountDownLatch(1);
    List<String> late = Shutdown.closeAll("rootmirror run", new PrintWriter(err, true), Duration.ofMillis(100),
        Shutdown.part("resolver", () -> never.await()), // a close that waits for ever
        Shutdown.part("mirror", quick::countDown));
    never.countDown();
    assertEquals(List.of("resolver"), late);
    assertEquals(0, quick.getCount(), "the mirror closed beside the hanging resolver");
    assertEquals("rootmirror run: stopping: resolver still closing after 100 ms; leaving it\n", err.toString());
  }
}
