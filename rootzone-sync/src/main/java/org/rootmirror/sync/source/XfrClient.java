package org.rootmirror.sync.source;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.rootmirror.sync.server.net.Addresses;
import org.rootmirror.sync.source.FetchException.Kind;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Serial;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;
import org.xbill.DNS.ZoneTransferException;
import org.xbill.DNS.ZoneTransferIn;

/**
 * The DNS side of the AXFR and IXFR sources: where the primary is, what SOA serial it has, and a
 * zone transfer run within a fetch's {@link Limits}, its failures named by {@link Kind}.
 *
 * <p>The {@link Limits}: the connect timeout bounds the wait for the SOA answer (UDP has no
 * connection; a retry over TCP is included), the stall timeout the time without a record during
 * the transfer (connecting included), the deadline the whole fetch (SOA query, transfer, and an
 * AXFR after differences that did not fit), the size cap the zone text as it is received.
 *
 * <p>dnsjava's {@link ZoneTransferIn} has one timeout, for the whole transfer. The stall timeout is
 * kept by a watchdog that interrupts the transferring thread when no record has arrived for that
 * long (dnsjava hands over records a message at a time, so the stall is measured in messages):
 * the interrupt wakes the selector dnsjava waits in, which then gives up and closes the
 * connection. The transfer itself runs on the caller's thread.
 */
final class XfrClient {
  static final int DEFAULT_PORT = 53;

  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "rootmirror-xfr-watchdog");
    t.setDaemon(true);
    return t;
  });

  private final URI uri;
  private final Name zone;
  private final String host;
  private final int port;

  private XfrClient(URI uri, Name zone, String host, int port) {
    this.uri = uri;
    this.zone = zone;
    this.host = host;
    this.port = port;
  }

  /**
   * A client for {@code scheme://host[:port]}; the host may be a bracketed IPv6 literal.
   *
   * @throws IllegalArgumentException when the URI is not of that form
   */
  static XfrClient of(URI uri, String scheme, Name zone) {
    if (!scheme.equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException(uri + ": not a " + scheme + ":// URI");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException(uri + ": no host; expected " + scheme + "://host[:port]");
    }
    String path = uri.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(uri + ": expected " + scheme + "://host[:port] and nothing more");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (!zone.isAbsolute()) {
      throw new IllegalArgumentException("the zone name must be absolute: " + zone);
    }
    return new XfrClient(uri, zone, host, uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort());
  }

  URI uri() {
    return uri;
  }

  Name zone() {
    return zone;
  }

  String host() {
    return host;
  }

  int port() {
    return port;
  }

  /** The primary's address, looked up anew for every fetch (host names may move). */
  InetSocketAddress resolve() throws FetchException {
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new FetchException(uri, Kind.CONNECT, "unknown host " + host, e);
    }
  }

  /**
   * The serial of the primary's SOA: a query over UDP, retried over TCP when the answer is
   * truncated (RFC 7766 section 5), waiting at most the connect timeout for the answer.
   */
  long primarySerial(InetSocketAddress primary, Limits limits, Deadline deadline) throws FetchException {
    SimpleResolver resolver = new SimpleResolver(primary);
    resolver.setTimeout(deadline.atMost(limits.connectTimeout()));
    Message response;
    try {
      response = resolver.send(Message.newQuery(Record.newRecord(zone, Type.SOA, DClass.IN)));
    } catch (IOException e) {
      // dnsjava's own timeout is a plain IOException "Timed out while trying to resolve ./SOA, id=..."
      if (e instanceof SocketTimeoutException || String.valueOf(e.getMessage()).startsWith("Timed out")) {
        throw new FetchException(uri, Kind.TIMEOUT, "no answer from " + address(primary) + " to the SOA query within "
            + seconds(resolver.getTimeout()), e);
      }
      throw failure("SOA query", e);
    }
    int rcode = response.getRcode();
    if (rcode == Rcode.REFUSED || rcode == Rcode.NOTAUTH) {
      throw new FetchException(uri, Kind.REFUSED, "the SOA query for " + zone + " was answered " + Rcode.string(rcode));
    }
    if (rcode != Rcode.NOERROR) {
      throw new FetchException(uri, Kind.PROTOCOL, "the SOA query for " + zone + " was answered " + Rcode.string(rcode));
    }
    for (Record r : response.getSection(Section.ANSWER)) {
      if (r instanceof SOARecord soa && soa.getName().equals(zone)) {
        return soa.getSerial();
      }
    }
    throw new FetchException(uri, Kind.PROTOCOL, "the answer to the SOA query has no SOA for " + zone);
  }

  /**
   * Word that the primary's serial is not newer than the one held (RFC 1982 section 3.2), or null
   * when it is newer or nothing is held.
   */
  static FetchResult.Unchanged unchanged(long primary, long held) {
    if (held < 0 || Serial.compare(primary, held) > 0) {
      return null;
    }
    return new FetchResult.Unchanged("serial " + primary + " is not newer than " + held);
  }

  /** Runs an AXFR and returns the zone as text; {@code how} opens the result's detail. */
  FetchResult.Fetched axfr(InetSocketAddress primary, FetchContext context, Deadline deadline, String how)
      throws FetchException {
    XfrCollector collector = new XfrCollector(zone, context.limits().maxBytes(), context.progress());
    run(ZoneTransferIn.newAXFR(zone, primary, null), collector, context.limits(), deadline);
    if (!collector.isAxfr()) {
      throw new FetchException(uri, Kind.PROTOCOL, "the AXFR did not answer with a zone");
    }
    return fetched(collector.text(), how + "AXFR from " + address(primary) + ": serial " + collector.serial()
        + ", " + collector.records() + " records");
  }

  /** Runs {@code transfer}, feeding {@code collector}, within the stall timeout, the remaining deadline and the size cap. */
  void run(ZoneTransferIn transfer, XfrCollector collector, Limits limits, Deadline deadline) throws FetchException {
    Duration remaining = deadline.remaining();
    if (remaining.isZero()) {
      throw new FetchException(uri, Kind.TIMEOUT, "the deadline of " + seconds(deadline.total()) + " passed before the transfer");
    }
    transfer.setTimeout(remaining);
    // dnsjava connects within the transfer's one timeout; the watchdog counts the stall timeout from
    // the start, so connecting and the first answer must come within it as well
    Watchdog watchdog = new Watchdog(Thread.currentThread(), limits, deadline);
    collector.onRecord(watchdog::progress);
    long period = Math.clamp(Math.min(limits.stallTimeout().toMillis(), remaining.toMillis()) / 10, 5, 1000);
    ScheduledFuture<?> check = WATCHDOG.scheduleAtFixedRate(watchdog::check, period, period, TimeUnit.MILLISECONDS);
    try {
      transfer.run(collector);
    } catch (XfrCollector.TooLarge e) {
      throw new FetchException(uri, Kind.TOO_LARGE, e.getMessage(), e);
    } catch (ZoneTransferException e) {
      throw rejected(e);
    } catch (IOException e) {
      if (watchdog.fired() != null) {
        throw watchdog.failure(uri, e);
      }
      if (Thread.currentThread().isInterrupted()) {
        // someone else's interrupt (a shutdown) also ends dnsjava's wait; it is no timeout
        throw new FetchException(uri, Kind.IO, "transfer: interrupted", e);
      }
      throw failure("transfer", e);
    } finally {
      check.cancel(false);
      watchdog.stop();
    }
  }

  FetchResult.Fetched fetched(byte[] text, String detail) {
    return new FetchResult.Fetched(text, null, null, text.length, detail);
  }

  private FetchException rejected(ZoneTransferException e) {
    String message = String.valueOf(e.getMessage());
    // ZoneTransferIn reports an error rcode by its name alone
    if (message.equals(Rcode.string(Rcode.REFUSED)) || message.equals(Rcode.string(Rcode.NOTAUTH))) {
      return new FetchException(uri, Kind.REFUSED, "the transfer of " + zone + " was answered " + message, e);
    }
    return new FetchException(uri, Kind.PROTOCOL, "transfer: " + message, e);
  }

  private FetchException failure(String what, IOException e) {
    if (ConnectFailure.is(e)) {
      return new FetchException(uri, Kind.CONNECT, what + ": " + ConnectFailure.describe(uri.getAuthority(), e), e);
    }
    if (e instanceof SocketTimeoutException) {
      return new FetchException(uri, Kind.TIMEOUT, what + ": not finished within the deadline", e);
    }
    if (e instanceof EOFException) {
      return new FetchException(uri, Kind.TRUNCATED, what + ": the connection closed before the transfer ended", e);
    }
    if (e instanceof WireParseException) {
      return new FetchException(uri, Kind.PROTOCOL, what + ": malformed message: " + describe(e), e);
    }
    return new FetchException(uri, Kind.IO, what + ": " + describe(e), e);
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  static String address(InetSocketAddress a) {
    return Addresses.show(a);
  }

  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0
        ? d.toSeconds() + " s"
        : String.format(Locale.ROOT, "%.3f s", d.toMillis() / 1000.0);
  }

  /** The end of a fetch's time: the deadline counts from the start of the fetch. */
  record Deadline(long startNanos, Duration total) {
    static Deadline start(Limits limits) {
      return new Deadline(System.nanoTime(), limits.deadline());
    }

    Duration remaining() {
      Duration left = total.minusNanos(System.nanoTime() - startNanos);
      return left.isNegative() ? Duration.ZERO : left;
    }

    boolean passed() {
      return remaining().isZero();
    }

    /** {@code limit}, or less when less time remains; never zero, which dnsjava reads as "no wait". */
    Duration atMost(Duration limit) {
      Duration left = remaining();
      Duration d = left.compareTo(limit) < 0 ? left : limit;
      return d.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : d;
    }
  }

  /**
   * Interrupts the transferring thread when no record has come for the stall timeout (counted from
   * the start of the transfer until the first one), or the deadline has passed.
   */
  private static final class Watchdog {
    enum Reason { STALL, DEADLINE }

    private final Thread thread;
    private final Limits limits;
    private final Deadline deadline;
    private volatile long lastNanos = System.nanoTime();
    private volatile boolean started;
    private Reason fired;
    private boolean stopped;

    Watchdog(Thread thread, Limits limits, Deadline deadline) {
      this.thread = thread;
      this.limits = limits;
      this.deadline = deadline;
    }

    void progress() {
      started = true;
      lastNanos = System.nanoTime();
    }

    synchronized void check() {
      if (stopped || fired != null) {
        return;
      }
      long quiet = System.nanoTime() - lastNanos;
      Reason reason = deadline.passed() ? Reason.DEADLINE
          : quiet >= limits.stallTimeout().toNanos() ? Reason.STALL : null;
      if (reason != null) {
        fired = reason;
        thread.interrupt();
      }
    }

    synchronized Reason fired() {
      return fired;
    }

    /** Stops watching and clears the interrupt this watchdog made, if it made one. */
    void stop() {
      boolean clear;
      synchronized (this) {
        stopped = true;
        clear = fired != null;
      }
      if (clear) {
        Thread.interrupted();
      }
    }

    FetchException failure(URI uri, IOException cause) {
      return switch (fired()) {
        case DEADLINE -> new FetchException(uri, Kind.TIMEOUT,
            "the transfer did not finish within the deadline of " + seconds(deadline.total()), cause);
        case STALL -> new FetchException(uri, Kind.STALL, started
            ? "no data for " + seconds(limits.stallTimeout())
            : "no answer to the transfer request within " + seconds(limits.stallTimeout()), cause);
      };
    }
  }
}
