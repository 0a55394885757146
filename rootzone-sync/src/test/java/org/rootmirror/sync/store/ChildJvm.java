package org.rootmirror.sync.store;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running a main class of these tests, on the same class path: to hold a lock in
 * another process, or to be killed in the middle of a write. It talks through stdout lines; its
 * stderr goes to a file that failures quote.
 */
final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final Path stderr;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private ChildJvm(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the child was killed
      }
    }, "child-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  static ChildJvm start(Class<?> main, Path workDir, String... args) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(),
        "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m",
        "-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    Path stderr = Files.createTempFile(workDir, "child-", ".stderr");
    Process p = new ProcessBuilder(command)
        .redirectError(stderr.toFile())
        .start();
    return new ChildJvm(p, stderr);
  }

  /** Waits for the next line the child prints and returns it; fails the test on timeout. */
  String nextLine(Duration timeout) throws InterruptedException {
    String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      fail("the child printed nothing within " + timeout + " (alive: " + process.isAlive() + "); stderr:\n" + stderr());
    }
    return line;
  }

  /** Waits for a line starting with {@code prefix}, skipping others. */
  String awaitLine(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line = nextLine(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  long pid() {
    return process.pid();
  }

  /** Kills the child as a crash would (SIGKILL: no shutdown hooks, no finally blocks) and reaps it. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      fail("the child survived SIGKILL for 10 s");
    }
  }

  void closeStdin() throws IOException {
    process.getOutputStream().close();
  }

  int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      fail("the child did not exit within " + timeout + "; stderr:\n" + stderr());
    }
    return process.exitValue();
  }

  String stderr() {
    try {
      return Files.readString(stderr);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** Kills the child if it still runs, and removes its stderr file (failures have quoted it by now). */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      Files.deleteIfExists(stderr);
    } catch (IOException e) {
      // a temporary directory's leftover
    }
  }

  /** For the child's main: exit by itself if the test that started it died without killing it. */
  static void exitAfter(Duration limit) {
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(limit.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      System.err.println("watchdog: still running after " + limit + ", exiting");
      Runtime.getRuntime().halt(3);
    }, "watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  /** For the child's main: tell the parent something, now. */
  static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  /** For the child's main: wait to be killed. */
  static void sleepForever() {
    while (true) {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        // keep waiting
      }
    }
  }
}
