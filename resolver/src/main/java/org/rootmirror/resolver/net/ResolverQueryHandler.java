package org.rootmirror.resolver.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.InstantSource;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.Resolver;
import org.rootmirror.sync.server.QueryHandler;
import org.rootmirror.sync.server.ResponseSink;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.server.limit.LimitedLog;
import org.rootmirror.sync.server.net.Addresses;
import org.rootmirror.sync.server.query.Query;
import org.rootmirror.sync.server.xfr.AddressAcl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Answers stubs from a {@link Resolver}. The pipeline, cheapest rejection first (Hickory's
 * order): nothing for responses and runts (no loops); REFUSED for clients outside the ACL;
 * NOTIMP for opcodes other than QUERY; FORMERR for what cannot be read, for a question count
 * other than one and for records in the answer or authority section; BADVERS for EDNS versions
 * above 0 (RFC 6891 section 6.1.3); REFUSED for classes other than IN and for AXFR and IXFR (a
 * resolver holds no zone, as Unbound answers); FORMERR for meta-types (RFC 6895 section 3.1, as
 * Unbound answers). Then the cache, on the listener thread; only a
 * miss costs a virtual thread, which resolves and sends the answer when done.
 *
 * <p>RD clear (RFC 1035 section 4.3.1: recursion not desired): answered from the cache only, as
 * Unbound does; a miss is REFUSED with Extended DNS Error 20 "Not Authoritative" rather than the
 * upward referral Unbound builds from its delegation cache, which the {@link Resolver} contract
 * does not expose.
 *
 * <p>At most {@code maxInFlight} resolutions run at once, so that their memory is bounded (each
 * one's by {@code IterativeResolver.Limits.receivedBytes}); nothing waits in a queue. A miss
 * beyond that, over UDP or TCP, is answered at once with SERVFAIL and Extended DNS Error 0
 * "Other" saying the resolver is busy, and counted as overloaded: the client learns why (a
 * dropped query looks like a network fault and is sent again into the same load), and the
 * operator sees the load shed in the metrics. Only clients the ACL allows get the reply, so it
 * amplifies nothing; cache hits are answered as before.
 *
 * <p>ANY over UDP is not resolved: the answer is empty with TC set, so a client that wants it asks
 * again over TCP, where ANY is resolved as any type. RFC 8482 section 4.4 lets a server answer ANY
 * differently by transport; this is what Unbound's {@code deny-any} is for (its empty NOTIMP
 * answer costs no resolution and amplifies nothing), and Knot's {@code disable-any} answer (empty,
 * TC), which unlike NOTIMP leaves real clients a way to their answer. A forged flood of ANY
 * questions so draws replies no larger than the questions, and no query upstream.
 *
 * <p>No exception escapes for any packet: a failure (a bug a client could repeat at will) gets
 * SERVFAIL with Extended DNS Error 0, and one line among at most a few a minute in the log,
 * without its stack trace (at DEBUG only).
 */
public final class ResolverQueryHandler implements QueryHandler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ResolverQueryHandler.class);
  private static final LimitedLog LOG = LimitedLog.of(log);
  private static final LimitedLog.Kind RESOLUTION_FAILED = LOG.kind(Level.WARN, "resolutions that failed (answered SERVFAIL)");
  private static final LimitedLog.Kind FAILED = LOG.kind(Level.WARN, "queries answered SERVFAIL because answering failed");
  private static final long CLOSE_MILLIS = 300;
  /** RFC 1035 section 4.1.1: a message shorter than its header is not answered. */
  private static final int HEADER = 12;

  private final Resolver resolver;
  private final AddressAcl clients;
  private final int maxInFlight;
  private final Semaphore inFlight;
  private final ExecutorService resolutions;
  private final ResolverCounters counters = new ResolverCounters();
  private final EncodedHits hits;

  /**
   * @param clients who may query; others are REFUSED
   * @param maxInFlight the most resolutions running at once, over UDP and TCP together
   */
  public ResolverQueryHandler(Resolver resolver, AddressAcl clients, int maxInFlight) {
    this(resolver, clients, maxInFlight, InstantSource.system());
  }

  /**
   * @param time the resolver's clock: cache hits are encoded once per second of it, so it must be
   *     the clock the cache counts TTLs with
   */
  public ResolverQueryHandler(Resolver resolver, AddressAcl clients, int maxInFlight, InstantSource time) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("resolutions in flight must be at least 1: " + maxInFlight);
    }
    this.resolver = resolver;
    this.clients = clients;
    this.maxInFlight = maxInFlight;
    this.inFlight = new Semaphore(maxInFlight);
    this.hits = new EncodedHits(time);
    this.resolutions = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("rootmirror-resolve-", 0).factory());
  }

  public ResolverCounters counters() {
    return counters;
  }

  /** Resolutions running now. */
  public int inFlight() {
    return maxInFlight - inFlight.availablePermits();
  }

  @Override
  public void handle(ByteBuffer query, Transport transport, InetSocketAddress client, ResponseSink out) throws IOException {
    int length = query.remaining();
    int position = query.position();
    // RFC 1035 section 4.1.1: no header, or QR set (a response): never answered, so no loops
    if (length < HEADER || (query.get(position + 2) & 0x80) != 0) {
      return;
    }
    byte[] msg = new byte[length]; // ours to keep: the listener reuses its buffer
    query.get(position, msg);
    try {
      answer(msg, transport, client, out);
    } catch (RuntimeException e) {
      failed(e, msg, client, out);
    }
  }

  private void answer(byte[] msg, Transport transport, InetSocketAddress client, ResponseSink out) throws IOException {
    Query q = Query.parse(msg, 0, msg.length);
    if (client == null || !clients.allows(client.getAddress())) {
      send(out, q, Rcode.REFUSED, null);
      return;
    }
    if (q.opcode() != Opcode.QUERY) {
      send(out, q, Rcode.NOTIMP, null);
      return;
    }
    if (!q.wellFormed()) {
      send(out, q, Rcode.FORMERR, null);
      return;
    }
    if (q.edns() && q.ednsVersion() > 0) {
      send(out, q, Rcode.BADVERS, null);
      return;
    }
    if (!q.hasQuestion() || q.unexpectedRecords()) {
      send(out, q, Rcode.FORMERR, null);
      return;
    }
    if (q.qclass() != DClass.IN || q.qtype() == Type.AXFR || q.qtype() == Type.IXFR) {
      send(out, q, Rcode.REFUSED, null);
      return;
    }
    if (metaType(q.qtype())) {
      send(out, q, Rcode.FORMERR, null);
      return;
    }
    if (q.qtype() == Type.ANY && transport == Transport.UDP) {
      ByteBuffer response = Responses.tryTcp(q); // RFC 8482 section 4.4, see the class comment
      counters.responded(Rcode.NOERROR);
      out.send(response);
      return;
    }
    int limit = transport == Transport.TCP ? Responses.MAX_TCP : Responses.udpLimit(q);
    EncodedHits.Hit encoded = hits.get(q);
    if (encoded != null) {
      counters.cacheHit();
      send(out, q, encoded, limit);
      return;
    }
    Question question = Responses.question(q);
    boolean cd = q.checkingDisabled();
    Resolution hit = resolver.cached(question, cd);
    if (hit != null) {
      counters.cacheHit();
      encoded = hits.put(q, question, hit);
      if (encoded != null) {
        send(out, q, encoded, limit);
      } else {
        send(out, q, question, hit, limit);
      }
      return;
    }
    counters.cacheMiss();
    if (!q.recursionDesired()) {
      send(out, q, Rcode.REFUSED, new ExtendedErrorCodeOption(ExtendedErrorCodeOption.NOT_AUTHORITATIVE, "not cached, and recursion not desired"));
      return;
    }
    if (!inFlight.tryAcquire()) {
      counters.turnedAway();
      send(out, q, Rcode.SERVFAIL, new ExtendedErrorCodeOption(ExtendedErrorCodeOption.OTHER, "resolver busy: " + maxInFlight + " resolutions in flight"));
      return;
    }
    if (transport == Transport.TCP) {
      try { // TCP queries already run on their own virtual thread
        send(out, q, question, resolve(question, cd), limit);
      } finally {
        inFlight.release();
      }
      return;
    }
    ResponseSink later = out.detach();
    try {
      resolutions.execute(() -> {
        try {
          send(later, q, question, resolve(question, cd), limit);
        } catch (IOException e) {
          log.debug("answering {} for {}: {}", question, client, e.toString());
        } catch (RuntimeException e) {
          try {
            failed(e, msg, client, later);
          } catch (IOException | RuntimeException again) {
            log.debug("answering {} for {}: {}", question, client, again.toString());
          }
        } finally {
          inFlight.release();
        }
      });
    } catch (RejectedExecutionException e) {
      inFlight.release(); // closing: the query goes unanswered, as it would a moment later
    }
  }

  /**
   * Types that exist only in a message, never as data (RFC 6895 section 3.1: 128-255 are
   * meta-types or QTYPEs; OPT, TSIG and TKEY are meta-RRs), which no zone holds: FORMERR, as
   * Unbound 1.17 answers (its worker: OPT, TSIG, TKEY, MAILA, MAILB and 128-248). ANY (255), and
   * AXFR and IXFR (refused above) are real questions. Type 0 is not among them: Unbound resolves
   * it like an unknown type, and so does this resolver.
   */
  static boolean metaType(int qtype) {
    return qtype == Type.OPT || qtype == Type.TSIG || qtype == Type.TKEY || qtype == Type.MAILA || qtype == Type.MAILB
        || qtype >= 128 && qtype <= 248;
  }

  /** A resolver that throws has a bug; the client still gets an answer, and the log a line among at most a few a minute. */
  private Resolution resolve(Question question, boolean cd) {
    try {
      return resolver.resolve(question, cd);
    } catch (RuntimeException e) {
      counters.resolutionFailed();
      RESOLUTION_FAILED.failure(e, "resolving {} failed; answered SERVFAIL", question);
      return Resolution.servfail(ExtendedErrorCodeOption.OTHER, "internal error");
    }
  }

  /**
   * SERVFAIL for a query whose answering failed, written from its bytes again (RFC 1035 section
   * 4.1.1: "unable to process this query due to a problem with the name server"); when even that
   * fails, nothing is sent.
   */
  private void failed(RuntimeException e, byte[] msg, InetSocketAddress client, ResponseSink out) throws IOException {
    counters.resolutionFailed();
    FAILED.failure(e, "answering a query from {} failed; answered SERVFAIL", client == null ? "?" : Addresses.show(client));
    ByteBuffer servfail;
    try {
      servfail = Responses.error(Query.parse(msg, 0, msg.length), Rcode.SERVFAIL,
          new ExtendedErrorCodeOption(ExtendedErrorCodeOption.OTHER, "internal error"));
    } catch (RuntimeException again) {
      return;
    }
    counters.responded(Rcode.SERVFAIL);
    out.send(servfail);
  }

  private void send(ResponseSink out, Query q, Question question, Resolution resolution, int limit) throws IOException {
    ByteBuffer response = Responses.answer(q, question, resolution, limit);
    counters.responded(resolution.rcode()); // before the send, so a client that has its answer sees it counted
    out.send(response);
  }

  private void send(ResponseSink out, Query q, EncodedHits.Hit hit, int limit) throws IOException {
    int rcode = hit.rcode();
    ByteBuffer response = Responses.write(q, hit.sections(), rcode, Responses.authenticData(q, hit.secure(), rcode), null, limit);
    counters.responded(rcode);
    out.send(response);
  }

  private void send(ResponseSink out, Query q, int rcode, ExtendedErrorCodeOption error) throws IOException {
    ByteBuffer response = Responses.error(q, rcode, error);
    counters.responded(rcode);
    out.send(response);
  }

  /**
   * Stops starting resolutions and interrupts those running, then waits briefly for them to end.
   * No grace for them to finish: one waiting on a silent server would hold the stop for seconds,
   * and its client asks again (issue 11: stop within a second of SIGTERM).
   */
  @Override
  public void close() {
    resolutions.shutdownNow();
    try {
      if (!resolutions.awaitTermination(CLOSE_MILLIS, TimeUnit.MILLISECONDS)) {
        log.warn("{} resolutions still running after close (a resolver ignoring interrupts?)", inFlight());
      }
    } catch (InterruptedException e) {
      resolutions.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
