package org.rootmirror.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Shutdown -- stops a daemon's parts side by side, each on its own thread, and returns by a
 * deadline, whatever is still closing: the JVM then ends, so {@code run} and {@code sync-daemon}
 * stop within a second of SIGTERM (issue 11). What is abandoned that way is safe to abandon: a
 * resolution's client asks again, a sync under way writes nothing once its part has closed (the
 * store is atomic), and the sockets die with the process.
 */
final class Shutdown {
  /** The time the parts get together; the JVM's own exit after it takes a few milliseconds. */
  static final Duration DEADLINE = Duration.ofMillis(700);

  /** One part to close, named for the operator. A null {@code closeable} is skipped. */
  record Part(String name, AutoCloseable closeable) {}

  private Shutdown() {}

  static Part part(String name, AutoCloseable closeable) {
    return new Part(name, closeable);
  }

  /**
   * Closes every part at once and waits for them up to {@code deadline}; says on {@code err},
   * prefixed with {@code command}, which part failed and which was still closing at the deadline.
   *
   * @return the names of the parts still closing at the deadline
   */
  static List<String> closeAll(String command, PrintWriter err, Duration deadline, Part... parts) {
    List<Thread> threads = new ArrayList<>();
    List<Part> closing = new ArrayList<>();
    for (Part part : parts) {
      if (part.closeable() == null) {
        continue;
      }
      closing.add(part);
      threads.add(Thread.ofPlatform().daemon().name("stop " + part.name()).start(() -> {
        try {
          part.closeable().close();
        } catch (Exception e) {
          err.println(command + ": stopping the " + part.name() + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        }
      }));
    }
    long end = System.nanoTime() + deadline.toNanos();
    List<String> late = new ArrayList<>();
    for (int i = 0; i < threads.size(); i++) {
      try {
        long left = end - System.nanoTime();
        if (left > 0) {
          threads.get(i).join(Duration.ofNanos(left));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (threads.get(i).isAlive()) {
        late.add(closing.get(i).name());
      }
    }
    if (!late.isEmpty()) {
      err.println(command + ": stopping: " + String.join(", ", late) + " still closing after "
          + TimeUnit.NANOSECONDS.toMillis(deadline.toNanos()) + " ms; leaving " + (late.size() == 1 ? "it" : "them"));
    }
    err.flush();
    return late;
  }
}
