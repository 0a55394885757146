package org.rootmirror.sync.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The writer lock: one writer at a time, across threads, ZoneStore instances and processes. */
@Timeout(60)
class ZoneStoreLockTest {
  private static final Duration CHILD = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void aSecondLockerInTheSameProcessIsRefusedUntilTheFirstReleases() throws IOException {
    ZoneStore one = new ZoneStore(dir);
    ZoneStore two = new ZoneStore(dir.resolve(".").resolve("..").resolve(dir.getFileName()));
    Optional<ZoneStore.WriterLock> first = one.lock(0);
    assertTrue(first.isPresent());
    long start = System.nanoTime();
    assertTrue(two.lock(150).isEmpty(), "another store on the same directory");
    assertTrue(System.nanoTime() - start >= 140_000_000L, "it waited for the time given");
    assertTrue(one.lock(0).isEmpty(), "the holder itself: the lock is not reentrant");
    first.get().close();
    first.get().close(); // closing twice is harmless
    ZoneStore.WriterLock second = two.lock(0).orElseThrow();
    assertTrue(one.lock(0).isEmpty());
    second.close();
  }

  @Test
  void aWaitingLockerGetsTheLockWhenTheHolderReleasesIt() throws Exception {
    ZoneStore store = new ZoneStore(dir);
    ZoneStore.WriterLock held = store.lock(0).orElseThrow();
    Thread releaser = new Thread(() -> {
      try {
        Thread.sleep(200);
        held.close();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    releaser.start();
    ZoneStore.WriterLock mine = store.lock(10_000).orElseThrow();
    assertTrue(mine != held);
    mine.close();
    assertTrue(releaser.join(java.time.Duration.ofSeconds(60)), "the releasing thread ended");
  }

  @Test
  void concurrentRefreshesInOneProcessNeverWriteAtOnce() throws Exception {
    int threads = 8;
    int rounds = 15;
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        ZoneStore store = new ZoneStore(dir); // a store each, as two refresh requests would have
        results.add(pool.submit(() -> {
          if (!go.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("never told to go");
          }
          int got = 0;
          for (int i = 0; i < rounds; i++) {
            ZoneStore.WriterLock lock = store.lock(20_000).orElseThrow();
            try {
              most.accumulateAndGet(inside.incrementAndGet(), Math::max);
              Thread.sleep(1);
              inside.decrementAndGet();
              got++;
            } finally {
              lock.close();
            }
          }
          return got;
        }));
      }
      go.countDown();
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get();
      }
      assertEquals(threads * rounds, total);
      assertEquals(1, most.get(), "writers inside at once");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aLockHeldByAnotherProcessExcludesThisOneUntilReleased() throws Exception {
    ZoneStore store = new ZoneStore(dir);
    try (ChildJvm child = ChildJvm.start(LockHolder.class, dir.getParent(), dir.toString(), "0")) {
      assertEquals("LOCKED", child.nextLine(CHILD));
      assertTrue(store.lock(200).isEmpty(), "held by the child");
      IOException e = assertThrows(IOException.class,
          () -> new ZoneStore(dir, 200).save(TestZones.zone(1), TestZones.metadata(1, 0)));
      assertTrue(e.getMessage().contains("sync.lock"), e.getMessage());
      assertEquals(List.of(), store.versions(), "a save without the lock wrote nothing");

      child.closeStdin();
      assertEquals("RELEASED", child.nextLine(CHILD));
      store.lock(10_000).orElseThrow().close();
      assertEquals(0, child.waitFor(CHILD));
      // read only once released: opening sync.lock in the holding process would drop its lock
      String holder = Files.readString(dir.resolve("sync.lock"));
      assertTrue(holder.startsWith("pid " + ProcessHandle.current().pid() + " since "), holder);
    }
  }

  @Test
  void aLockHeldByThisProcessExcludesAnotherProcess() throws Exception {
    ZoneStore.WriterLock mine = new ZoneStore(dir).lock(0).orElseThrow();
    try (ChildJvm child = ChildJvm.start(LockHolder.class, dir.getParent(), dir.toString(), "100")) {
      assertEquals("BUSY", child.nextLine(CHILD));
      assertEquals(0, child.waitFor(CHILD));
    } finally {
      mine.close();
    }
  }

  @Test
  void aKilledHoldersLockIsReleasedByTheSystem() throws Exception {
    try (ChildJvm child = ChildJvm.start(LockHolder.class, dir.getParent(), dir.toString(), "0")) {
      assertEquals("LOCKED", child.nextLine(CHILD));
      child.kill();
    }
    assertTrue(new ZoneStore(dir).lock(5_000).isPresent());
  }

  @Test
  void saveUsesTheLockItsProcessAlreadyHolds() throws IOException {
    ZoneStore store = new ZoneStore(dir, 0);
    ZoneStore.WriterLock lock = store.lock(0).orElseThrow();
    try {
      store.save(TestZones.zone(7), TestZones.metadata(7, 0));
      store.reject(TestZones.zone(8), java.util.OptionalLong.of(8), java.time.Instant.parse("2026-12-08T00:00:00Z"), "bogus");
    } finally {
      lock.close();
    }
    assertEquals(1, store.versions().size());
  }
}
