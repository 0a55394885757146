package org.rootmirror.sync.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SyncLock -- the writer lock on a state directory's {@code sync.lock}, excluding other processes
 * and other threads of this one.
 *
 * <p>Two layers, because neither is enough alone. An OS file lock (fcntl on Linux, taken through
 * {@link FileChannel#tryLock()}) excludes other processes and is released by the kernel when the
 * holder dies, however it dies; but it belongs to the whole JVM, so a second thread asking for it
 * gets an {@link OverlappingFileLockException} rather than a wait. A semaphore per lock file,
 * shared by every {@link ZoneStore} of this JVM, orders the threads first.
 *
 * <p>POSIX record locks are per process and are dropped when the process closes <em>any</em>
 * descriptor of the file, so nothing in this JVM may open {@code sync.lock} except this class, and
 * only while it does not hold the lock. The file is never deleted (deleting a lock file lets two
 * writers lock two different files); the holder writes its process id into it for the operator.
 */
final class SyncLock {
  static final String FILE_NAME = "sync.lock";
  private static final long POLL_MILLIS = 25;

  /** One permit per lock file in this JVM, keyed by the file's real path. */
  private static final ConcurrentHashMap<Path, Semaphore> GUARDS = new ConcurrentHashMap<>();
  /** Lock files this JVM holds the OS lock on. */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private SyncLock() {}

  /** Whether some thread of this JVM holds the lock on {@code lockFile} (a real path). */
  static boolean heldByThisProcess(Path lockFile) {
    return HELD.contains(lockFile);
  }

  /**
   * Takes the lock, polling until {@code waitMillis} have passed.
   *
   * @param lockFile the lock file's real path (its directory must exist)
   * @return the held lock, or empty when another process or thread still holds it at the deadline
   */
  static Optional<ZoneStore.WriterLock> acquire(Path lockFile, long waitMillis) throws IOException {
    if (waitMillis < 0) {
      throw new IllegalArgumentException("waitMillis < 0: " + waitMillis);
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    Semaphore guard = GUARDS.computeIfAbsent(lockFile, k -> new Semaphore(1, true));
    try {
      if (!guard.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
        return Optional.empty();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for " + lockFile);
    }
    FileChannel channel = null;
    boolean held = false;
    try {
      channel = open(lockFile);
      while (true) {
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null; // this JVM holds it through another path to the same file (a symbolic link)
        }
        if (lock != null) {
          HELD.add(lockFile);
          held = true;
          Holder holder = new Holder(lockFile, channel, lock, guard);
          holder.describe();
          return Optional.of(holder);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return Optional.empty();
        }
        try {
          Thread.sleep(Math.min(POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for " + lockFile);
        }
      }
    } catch (IOException e) {
      if (held) {
        HELD.remove(lockFile);
        held = false;
      }
      throw e instanceof InterruptedIOException ? e : AtomicFiles.failure("cannot lock", lockFile, e);
    } finally {
      if (!held) {
        if (channel != null) {
          try {
            channel.close(); // releases the OS lock too, if it was taken before a failure
          } catch (IOException ignored) {
            // nothing was held through it
          }
        }
        guard.release();
      }
    }
  }

  private static FileChannel open(Path lockFile) throws IOException {
    if (!Files.exists(lockFile)) {
      try {
        AtomicFiles.create(lockFile).close();
        AtomicFiles.forceDirectory(lockFile.getParent());
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // another writer created it first: fine, it is the same lock
      }
    }
    return FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  private static final class Holder implements ZoneStore.WriterLock {
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final Semaphore guard;
    private final AtomicBoolean closed = new AtomicBoolean();

    Holder(Path file, FileChannel channel, FileLock lock, Semaphore guard) {
      this.file = file;
      this.channel = channel;
      this.lock = lock;
      this.guard = guard;
    }

    /** Writes who holds the lock into the file, for the operator (the lock does not depend on it). */
    void describe() throws IOException {
      String text = "pid " + ProcessHandle.current().pid() + " since " + Instant.now() + "\n";
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)), 0);
    }

    @Override
    public void close() throws IOException {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      try {
        HELD.remove(file);
        if (channel.isOpen()) {
          lock.release();
        }
      } finally {
        try {
          channel.close();
        } finally {
          guard.release();
        }
      }
    }

    @Override
    public String toString() {
      return "writer lock on " + file;
    }
  }
}
