package org.rootmirror.sync.source;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.rootmirror.sync.source.FetchException.Kind;

/**
 * One fetch's clock and byte budget, shared by the HTTPS, FTP and file sources: reads a body to
 * its end within the size cap, the stall timeout and the deadline, and reports progress.
 *
 * <p>A blocking read cannot be given a timeout in general (java.net.http's body stream has none),
 * so a watchdog thread watches the clock instead: when the deadline passes, or nothing arrives for
 * the stall timeout while a body is read, it closes what {@link #abortWith} named. The blocked read
 * then fails, and {@link #failure} reports the real cause rather than "socket closed".
 */
final class BoundedCopy implements AutoCloseable {
  /** Turns the bytes received into the zone text: as they are, or gunzipped. */
  @FunctionalInterface
  interface Decoder {
    Decoder IDENTITY = raw -> raw;
    Decoder GZIP = raw -> new GZIPInputStream(raw, CHUNK);

    InputStream open(InputStream raw) throws IOException;
  }

  private static final int CHUNK = 64 * 1024;
  /** Progress is reported at most once per this many bytes (and once at the end). */
  private static final long PROGRESS_STEP = 256 * 1024;

  private final URI source;
  private final Limits limits;
  private final FetchContext.Progress progress;
  private final long deadlineAt;
  private final Thread watchdog;

  private volatile Closeable abort = () -> {};
  private volatile boolean reading;
  private volatile long lastArrival;
  private volatile long received;
  private volatile long expected = -1;
  private volatile Kind tripped;
  private volatile boolean closed;

  private BoundedCopy(URI source, FetchContext context) {
    this.source = source;
    this.limits = context.limits();
    this.progress = context.progress();
    this.deadlineAt = System.nanoTime() + limits.deadline().toNanos();
    // A virtual thread: it only sleeps, and a fetch runs every half hour at most.
    this.watchdog = Thread.ofVirtual().name("fetch watchdog " + source).unstarted(this::watch);
  }

  /** Starts the clock of a fetch from {@code source}: the deadline counts from now. */
  static BoundedCopy start(URI source, FetchContext context) {
    BoundedCopy copy = new BoundedCopy(source, context);
    copy.watchdog.start();
    return copy;
  }

  /** Names what to close to unblock the transfer when time runs out; replaced as the fetch moves on. */
  void abortWith(Closeable abort) {
    this.abort = abort;
  }

  /** Time left before the deadline, at least one millisecond (a zero timeout means "none" to many APIs). */
  Duration remaining() {
    return Duration.ofNanos(Math.max(deadlineAt - System.nanoTime(), 1_000_000));
  }

  /**
   * Reads {@code raw} to its end, closes it and returns the decoded zone text.
   *
   * @param announced the size the transfer announced (Content-Length, FTP SIZE, file size), or -1;
   *     fewer bytes than that is a truncated transfer
   */
  byte[] read(InputStream raw, long announced, Decoder decoder) throws FetchException {
    long max = limits.maxBytes();
    expected = announced;
    ByteArrayOutputStream text = new ByteArrayOutputStream(announced > 0 && announced <= max ? (int) announced : CHUNK);
    try (raw) {
      // A compressed size says little about the text, so that case is counted while decoding.
      if (decoder == Decoder.IDENTITY) {
        refuseOversize(announced);
      }
      lastArrival = System.nanoTime();
      reading = true;
      LockSupport.unpark(watchdog); // arm the stall timer now
      try (InputStream in = decoder.open(new Arrivals(raw))) {
        byte[] buffer = new byte[CHUNK];
        for (int n; (n = in.read(buffer)) != -1; ) {
          if (text.size() + (long) n > max) {
            throw new FetchException(source, Kind.TOO_LARGE,
                "zone text exceeds the limit of " + max + " bytes (after " + received + " bytes received)");
          }
          text.write(buffer, 0, n);
        }
      }
    } catch (IOException e) {
      throw failure(e, "reading the body");
    } finally {
      reading = false;
    }
    if (announced >= 0 && received < announced) {
      throw new FetchException(source, Kind.TRUNCATED,
          "the transfer ended after " + received + " of the " + announced + " bytes announced");
    }
    if (announced >= 0 && received > announced) {
      throw new FetchException(source, Kind.PROTOCOL,
          "received " + received + " bytes, more than the " + announced + " announced");
    }
    progress.bytes(received, announced);
    return text.toByteArray();
  }

  /** Refuses up front a transfer announced as larger than the size cap ({@code announced} -1: unknown). */
  void refuseOversize(long announced) throws FetchException {
    if (announced > limits.maxBytes()) {
      throw new FetchException(source, Kind.TOO_LARGE,
          "announced size of " + announced + " bytes exceeds the limit of " + limits.maxBytes());
    }
  }

  /**
   * Explains a failed operation of this fetch: the watchdog's verdict when it fired, a stall for a
   * socket timeout (sources set SO_TIMEOUT to the stall timeout), a truncation when a body ended
   * short, else an I/O error saying what was being done.
   */
  FetchException failure(IOException e, String doing) {
    Kind verdict = tripped;
    if (verdict == Kind.TIMEOUT) {
      return new FetchException(source, Kind.TIMEOUT,
          "the deadline of " + show(limits.deadline()) + " passed while " + doing + sizeSoFar(), e);
    }
    if (verdict == Kind.STALL || causedBy(e, SocketTimeoutException.class)) {
      return new FetchException(source, Kind.STALL,
          "nothing received for " + show(limits.stallTimeout()) + " while " + doing + sizeSoFar(), e);
    }
    if (reading && expected >= 0 && received < expected || e instanceof EOFException) {
      return new FetchException(source, Kind.TRUNCATED,
          "the transfer ended early" + sizeSoFar() + ": " + describe(e), e);
    }
    if (e instanceof ZipException) {
      return new FetchException(source, Kind.PROTOCOL, "bad gzip data" + sizeSoFar() + ": " + describe(e), e);
    }
    return new FetchException(source, Kind.IO, doing + ": " + describe(e), e);
  }

  /** Whether the watchdog has fired (the deadline passed or a body stalled). */
  boolean tripped() {
    return tripped != null;
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(watchdog);
  }

  /** Whether {@code e} or one of its causes is a {@code type}: libraries wrap what the socket threw. */
  static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The message of an exception chain: the outermost one, with the root cause's when it adds
   * something (the JDK wraps "EOF reached while reading" in a bare "closed", and a refused
   * connection in a ConnectException without a message).
   */
  static String describe(Throwable e) {
    String outer = null;
    String root = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && !message.isBlank()) {
        outer = outer == null ? message : outer;
        root = message;
      }
    }
    if (outer == null) {
      return e.getClass().getSimpleName();
    }
    return outer.contains(root) ? outer : outer + " (" + root + ")";
  }

  /** A duration as an operator writes it: "300 ms", "30 s", "5 min". */
  static String show(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000 || ms % 1000 != 0) {
      return ms + " ms";
    }
    long s = ms / 1000;
    return s % 60 == 0 ? s / 60 + " min" : s + " s";
  }

  private String sizeSoFar() {
    if (received == 0 && !reading) {
      return "";
    }
    return expected >= 0
        ? ", after " + received + " of " + expected + " bytes"
        : ", after " + received + " bytes";
  }

  private void watch() {
    long stallNanos = limits.stallTimeout().toNanos();
    while (!closed) {
      long now = System.nanoTime();
      long wake = deadlineAt;
      Kind verdict = Kind.TIMEOUT;
      if (reading && lastArrival + stallNanos - wake < 0) {
        wake = lastArrival + stallNanos;
        verdict = Kind.STALL;
      }
      if (now - wake >= 0) {
        tripped = verdict;
        try {
          abort.close();
        } catch (IOException | RuntimeException ignored) {
          // the transfer is being abandoned; its own read reports the failure
        }
        return;
      }
      LockSupport.parkNanos(this, wake - now);
    }
  }

  /** Counts the bytes as they arrive (before decoding): for the stall timer, truncation and progress. */
  private final class Arrivals extends FilterInputStream {
    private long reported;

    Arrivals(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        arrived(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        arrived(n);
      }
      return n;
    }

    private void arrived(int n) {
      lastArrival = System.nanoTime();
      long total = received + n;
      received = total;
      if (total - reported >= PROGRESS_STEP) {
        reported = total;
        progress.bytes(total, expected);
      }
    }
  }
}
