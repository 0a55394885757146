package org.rootmirror.sync.accept;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * StopGate -- lets a stopping daemon abandon its syncs safely. After {@link #stop}: no write to
 * the store starts; a write under way is left to end (it is short: a write, an fsync, two
 * renames; interrupting it could leave a zone file without its commit record for the next writer
 * to clear); and every sync still fetching or validating is interrupted, its result thrown away. So the process may end as soon as {@code stop} returns,
 * with only complete versions in the state directory.
 */
final class StopGate {
  /** An I/O step on the store, run only while not stopped. */
  @FunctionalInterface
  interface Write<T> {
    T run() throws IOException;
  }

  /** Thrown instead of writing once the gate is stopped. */
  static final class Stopped extends Exception {
    Stopped() {
      super("rootmirror is stopping", null, false, false);
    }
  }

  private final ReentrantLock writing = new ReentrantLock();
  private final Set<Thread> syncing = ConcurrentHashMap.newKeySet();
  private volatile boolean stopped;
  /** The thread inside {@link #write}, not to be interrupted. */
  private volatile Thread writer;

  boolean stopped() {
    return stopped;
  }

  /** Registers the calling thread as running a sync, so that {@link #stop} can interrupt it. */
  void enter() {
    syncing.add(Thread.currentThread());
  }

  /**
   * Unregisters the calling thread, clearing an interrupt {@link #stop} sent it: the thread may
   * be a pool's (Quartz's), which would take a stray interrupt for a fault of its own.
   */
  void leave() {
    synchronized (syncing) {
      syncing.remove(Thread.currentThread());
    }
    if (stopped) {
      Thread.interrupted();
    }
  }

  /** Runs {@code write} unless stopped; a {@link #stop} meanwhile waits for it to end. */
  <T> T write(Write<T> write) throws IOException, Stopped {
    writing.lock();
    try {
      // writer before stopped, stop() the reverse: either stop() sees this thread writing and
      // leaves it be, or this thread sees stopped and writes nothing
      writer = Thread.currentThread();
      if (stopped) {
        throw new Stopped();
      }
      return write.run();
    } finally {
      writer = null;
      writing.unlock();
    }
  }

  /**
   * Refuses every write from now on, interrupts the syncs running but the one writing, and waits
   * up to {@code wait} for a write under way to end.
   *
   * @return false when a write was still under way at the deadline
   */
  boolean stop(Duration wait) {
    stopped = true;
    Thread busy = writer;
    synchronized (syncing) { // no interrupt reaches a thread after its leave()
      syncing.stream().filter(t -> t != busy).forEach(Thread::interrupt);
    }
    try {
      if (writing.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS)) {
        writing.unlock();
        return true;
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
