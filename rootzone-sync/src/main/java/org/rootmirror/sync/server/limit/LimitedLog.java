package org.rootmirror.sync.server.limit;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Log lines a remote packet can trigger, at most a few per interval for each kind, and then one
 * line with the count of those left out: "NOTIFY refused, not from a configured primary: and
 * 2,158 more like this in the last 60 s". A spoofed flood costs the log a handful of lines a
 * minute instead of one per packet (issue 12 measured 2,159 lines from one NOTIFY flood).
 *
 * <p>Each kind counts in windows of the interval, opened by its first line: the first {@code
 * lines} lines of a window are logged, the rest only counted. The count is logged when the window
 * has closed, before the next line of that kind, or by {@link #flush()}, which a background
 * thread calls every few seconds for the logs made by {@link #of(Logger)}; so a flood that stops
 * is still reported. Failures are one line each, the exception's message and not its stack trace,
 * which goes to DEBUG only.
 *
 * <p>Time comes from an injected nanosecond clock (System.nanoTime in production), so tests step
 * it instead of waiting. Thread-safe; a line left out costs a lock and an increment.
 */
public final class LimitedLog {
  /** Lines logged per kind and interval: enough to see what happens and from where. */
  public static final int DEFAULT_LINES = 5;
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
  /** How often the background thread reports the windows that closed with lines left out. */
  private static final Duration FLUSH_EVERY = Duration.ofSeconds(10);

  private final Logger log;
  private final int lines;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final Map<String, Kind> kinds = new ConcurrentHashMap<>();

  /**
   * @param lines lines logged per kind and interval, at least 1
   * @param nanoTime a monotonic clock in nanoseconds, as System.nanoTime
   */
  public LimitedLog(Logger log, int lines, Duration interval, LongSupplier nanoTime) {
    if (lines < 1 || interval.toNanos() < 1) {
      throw new IllegalArgumentException("a limited log needs at least one line per interval and an interval above zero");
    }
    this.log = log;
    this.lines = lines;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
  }

  /** Five lines a minute per kind on the system clock, with summaries flushed in the background. */
  public static LimitedLog of(Logger log) {
    LimitedLog limited = new LimitedLog(log, DEFAULT_LINES, DEFAULT_INTERVAL, System::nanoTime);
    Flusher.register(limited);
    return limited;
  }

  /**
   * The kind of line described by {@code what}, logged at {@code level}; the same object for the
   * same description, so every instance of a class may ask for its kinds without adding any.
   *
   * @param what what the lines report, for the summary line: "NOTIFY refused, not from a
   *     configured primary"
   */
  public Kind kind(Level level, String what) {
    return kinds.computeIfAbsent(what, w -> new Kind(level, w));
  }

  /** Logs the count of every kind whose window closed with lines left out. */
  public void flush() {
    long now = nanoTime.getAsLong();
    for (Kind kind : kinds.values()) {
      kind.flush(now);
    }
  }

  /** One kind of line, with its own window and count. */
  public final class Kind {
    private final Level level;
    private final String what;
    // guarded by this
    private boolean open;
    private long windowStart;
    private int logged;
    private long leftOut;

    private Kind(Level level, String what) {
      this.level = level;
      this.what = what;
    }

    /** Logs one line (slf4j format), unless this kind's lines for the window are used up. */
    public void log(String format, Object... args) {
      if (log.isEnabledForLevel(level)) {
        admit(format, plain(args), null);
      }
    }

    /**
     * Logs one line for a failure: {@code format} with {@code args}, then ": " and what {@code
     * failure} says, with no stack trace; the stack trace goes to DEBUG, and only with a line
     * that was logged.
     */
    public void failure(Throwable failure, String format, Object... args) {
      if (log.isEnabledForLevel(level)) {
        Object[] withCause = Arrays.copyOf(plain(args), args.length + 1);
        withCause[args.length] = describe(failure);
        admit(format + ": {}", withCause, failure);
      }
    }

    private synchronized void admit(String format, Object[] args, Throwable failure) {
      long now = nanoTime.getAsLong();
      if (open && now - windowStart >= intervalNanos) {
        summarise(now);
      }
      if (!open) {
        open = true;
        windowStart = now;
      }
      if (logged >= lines) {
        leftOut++;
        return;
      }
      logged++;
      write(format, args);
      if (failure != null && log.isDebugEnabled()) {
        log.debug("the failure above, in full:", failure);
      }
    }

    private synchronized void flush(long now) {
      if (open && now - windowStart >= intervalNanos) {
        summarise(now);
      }
    }

    /** Ends the window, logging how many lines it left out (if any). */
    private void summarise(long now) {
      if (leftOut > 0) {
        long seconds = Math.max(1, (now - windowStart + 999_999_999) / 1_000_000_000);
        write("{}: and {} more like this in the last {} s (at most {} logged per {} s)",
            new Object[] {what, String.format(Locale.ROOT, "%,d", leftOut), seconds, lines, intervalNanos / 1_000_000_000});
      }
      open = false;
      logged = 0;
      leftOut = 0;
    }

    private void write(String format, Object[] args) {
      switch (level) {
        case ERROR -> log.error(format, args);
        case WARN -> log.warn(format, args);
        case INFO -> log.info(format, args);
        case DEBUG -> log.debug(format, args);
        case TRACE -> log.trace(format, args);
      }
    }
  }

  /** "IllegalStateException: what went wrong": one line, the simple class name saying what kind of bug. */
  static String describe(Throwable t) {
    String message = t.getMessage();
    String kind = t.getClass().getSimpleName();
    return message == null || message.isBlank() ? kind : kind + ": " + message.strip().replace('\n', ' ');
  }

  /** Arguments with any exception turned into its one-line description: slf4j would print its stack trace. */
  private static Object[] plain(Object[] args) {
    Object[] out = args;
    for (int i = 0; i < args.length; i++) {
      if (args[i] instanceof Throwable t) {
        if (out == args) {
          out = args.clone();
        }
        out[i] = describe(t);
      }
    }
    return out;
  }

  /** One virtual thread that flushes every log made by {@link #of(Logger)}, so a flood's count is logged even after it stops. */
  private static final class Flusher {
    private static final CopyOnWriteArrayList<WeakReference<LimitedLog>> logs = new CopyOnWriteArrayList<>();
    private static boolean started;

    static synchronized void register(LimitedLog limited) {
      logs.add(new WeakReference<>(limited));
      if (!started) {
        started = true;
        Thread.ofVirtual().name("rootmirror-log-flush").start(Flusher::run);
      }
    }

    private static void run() {
      while (true) {
        try {
          Thread.sleep(FLUSH_EVERY);
        } catch (InterruptedException e) {
          return;
        }
        for (WeakReference<LimitedLog> ref : logs) {
          LimitedLog limited = ref.get();
          if (limited == null) {
            logs.remove(ref);
          } else {
            limited.flush();
          }
        }
      }
    }
  }
}
