package org.rootmirror.sync.accept;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The stop gate: a stop never cuts a write short, and no write starts after it. */
class StopGateTest {
  private static final long DEADLINE_SECONDS = 20;
  /** A thread per task: the common pool has one thread on two cores. */
  private static final Executor THREAD = r -> Thread.ofPlatform().daemon().start(r);
  private final StopGate gate = new StopGate();

  @Test
  void noWriteStartsAfterStop() {
    assertTrue(gate.stop(Duration.ZERO));
    AtomicBoolean wrote = new AtomicBoolean();
    assertThrows(StopGate.Stopped.class, () -> gate.write(() -> wrote.getAndSet(true)));
    assertFalse(wrote.get());
    assertTrue(gate.stopped());
  }

  @Test
  void stopWaitsForAWriteUnderWayAndDoesNotInterruptIt() throws Exception {
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    AtomicBoolean ended = new AtomicBoolean();
    CompletableFuture<String> writer = CompletableFuture.supplyAsync(() -> {
      gate.enter();
      try {
        return gate.write(() -> {
          writing.countDown();
          // a write that notices any interrupt
          boolean done = false;
          while (!done) {
            try {
              done = finish.await(10, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
              interrupted.set(true);
            }
          }
          ended.set(true);
          return "written";
        });
      } catch (Exception e) {
        return e.toString();
      } finally {
        gate.leave();
      }
    }, THREAD);
    assertTrue(writing.await(DEADLINE_SECONDS, TimeUnit.SECONDS));
    CompletableFuture<Boolean> stop = CompletableFuture.supplyAsync(() -> gate.stop(Duration.ofSeconds(DEADLINE_SECONDS)) && ended.get(), THREAD);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
    while (!gate.stopped() && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    finish.countDown();
    assertTrue(stop.get(DEADLINE_SECONDS, TimeUnit.SECONDS), "the stop returned only once the write had ended");
    assertEquals("written", writer.get(DEADLINE_SECONDS, TimeUnit.SECONDS));
    assertFalse(interrupted.get(), "the writing thread was not interrupted");
  }

  @Test
  void stopGivesUpOnAWriteThatOutlastsItsWait() throws Exception {
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      try {
        gate.write(() -> {
          writing.countDown();
          while (true) {
            try {
              if (finish.await(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                return null;
              }
            } catch (InterruptedException e) {
              // keep writing
            }
          }
        });
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }, THREAD);
    assertTrue(writing.await(DEADLINE_SECONDS, TimeUnit.SECONDS));
    assertFalse(gate.stop(Duration.ofMillis(1)), "the write was still under way");
    finish.countDown();
    writer.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void stopInterruptsASyncThatIsNotWriting() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CompletableFuture<Boolean> sync = CompletableFuture.supplyAsync(() -> {
      gate.enter();
      try {
        entered.countDown();
        Thread.sleep(TimeUnit.SECONDS.toMillis(DEADLINE_SECONDS)); // a fetch from a silent server
        return false;
      } catch (InterruptedException e) {
        return true;
      } finally {
        gate.leave();
      }
    }, THREAD);
    assertTrue(entered.await(DEADLINE_SECONDS, TimeUnit.SECONDS));
    assertTrue(gate.stop(Duration.ofSeconds(1)));
    assertTrue(sync.get(DEADLINE_SECONDS, TimeUnit.SECONDS), "the sleeping sync was interrupted");
  }

  @Test
  void leaveClearsTheInterruptOfAStoppedSyncSoAPoolThreadIsNotHit() {
    gate.enter();
    gate.stop(Duration.ZERO);
    assertTrue(Thread.currentThread().isInterrupted());
    gate.leave();
    assertFalse(Thread.interrupted(), "the stop's interrupt ends with the sync");
  }
}
