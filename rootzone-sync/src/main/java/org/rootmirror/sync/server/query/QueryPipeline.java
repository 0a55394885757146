package org.rootmirror.sync.server.query;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.rootmirror.sync.server.QueryHandler;
import org.rootmirror.sync.server.ResponseSink;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.server.answer.EncodedSections;
import org.rootmirror.sync.server.limit.LimitedLog;
import org.rootmirror.sync.server.net.Addresses;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The steps every query takes before a zone is consulted, shared by the root handler and the
 * general zone handler. Cheapest rejection first (Hickory's order): nothing for responses and
 * runts; NOTIFY to the transfer handler; NOTIMP for other opcodes; FORMERR for what cannot be
 * read; BADVERS for EDNS versions above 0; FORMERR for a malformed cookie; a server cookie alone
 * for a query with a cookie and no question; AXFR and IXFR to the transfer handler (REFUSED
 * without one); FORMERR for records in the answer or authority section; then the handler's own
 * {@link Answerer}, with the size the response may take and the transport (RFC 8482 section 4.4:
 * ANY may be answered one way over UDP and another over TCP).
 *
 * <p>No exception escapes for any packet: a step that fails (a bug, but one a client could repeat
 * at will) gets the query a SERVFAIL, and one line in the log among at most a few a minute,
 * without its stack trace (at DEBUG only).
 */
final class QueryPipeline {
  private static final LimitedLog LOG = LimitedLog.of(LoggerFactory.getLogger(QueryPipeline.class));
  private static final LimitedLog.Kind FAILED = LOG.kind(Level.WARN, "queries answered SERVFAIL because answering failed");

  /** RFC 1035 section 4.2.1: UDP messages without EDNS. */
  private static final int CLASSIC_UDP = 512;
  /** RFC 1035 section 4.2.2: a TCP message's two-byte length. */
  private static final int MAX_TCP = 65535;

  /** The last step: a response to a well-formed QUERY with one question, at most {@code limit} bytes. */
  @FunctionalInterface
  interface Answerer {
    ByteBuffer answer(Query q, int limit, InetAddress client, Transport transport);
  }

  private final ServerOptions options;
  private final QueryHandler transfers;
  private final Answerer answerer;
  private final ChaosAnswers chaos;
  private final ResponseWriter writer;

  /**
   * @param transfers answers AXFR and IXFR queries and NOTIFY messages, or null to refuse
   *     transfers and answer NOTIFY with NOTIMP
   */
  QueryPipeline(ServerOptions options, QueryHandler transfers, Answerer answerer) {
    this.options = options;
    this.transfers = transfers;
    this.answerer = answerer;
    this.chaos = new ChaosAnswers(options);
    this.writer = new ResponseWriter(new ServerCookies(options.cookieSecret(), options.clock()), options.maxUdpPayload());
  }

  ResponseWriter writer() {
    return writer;
  }

  void handle(ByteBuffer query, Transport transport, InetSocketAddress client, ResponseSink out) throws IOException {
    int length = query.remaining();
    int position = query.position();
    // RFC 1035 section 4.1.1: no header, or QR set (a response): never answered, so no loops
    if (length < ResponseWriter.HEADER || (query.get(position + 2) & 0x80) != 0) {
      return;
    }
    try {
      answer(query, position, length, transport, client, out);
    } catch (RuntimeException e) {
      failed(e, query, position, length, transport, client, out);
    }
  }

  private void answer(ByteBuffer query, int position, int length, Transport transport, InetSocketAddress client, ResponseSink out)
      throws IOException {
    int opcode = (query.get(position + 2) >>> 3) & 0xF;
    if (opcode == Opcode.NOTIFY && transfers != null) {
      transfers.handle(query, transport, client, out); // RFC 1996
      return;
    }
    byte[] msg;
    int start;
    if (query.hasArray()) {
      msg = query.array();
      start = query.arrayOffset() + position;
    } else {
      msg = new byte[length];
      query.get(position, msg);
      start = 0;
    }
    Query q = Query.parse(msg, start, length);
    InetAddress address = client == null ? null : client.getAddress();
    int limit = transport == Transport.TCP ? MAX_TCP : udpLimit(q);

    if (opcode != Opcode.QUERY) {
      out.send(writer.write(q.wellFormed ? q : withoutQuestion(q), null, Rcode.NOTIMP, false, limit, address));
      return;
    }
    if (!q.wellFormed) {
      out.send(writer.write(withoutQuestion(q), null, Rcode.FORMERR, false, limit, address));
      return;
    }
    if (q.edns && q.ednsVersion > 0) {
      out.send(writer.write(q, null, Rcode.BADVERS, false, limit, address)); // RFC 6891 section 6.1.3
      return;
    }
    if (q.badCookie) {
      out.send(writer.write(q, null, Rcode.FORMERR, false, limit, address)); // RFC 7873 section 5.2.2
      return;
    }
    if (!q.hasQuestion()) {
      // RFC 7873 section 5.4: a query with no question and a cookie asks for a server cookie
      int rcode = q.cookie >= 0 ? Rcode.NOERROR : Rcode.FORMERR;
      out.send(writer.write(q, null, rcode, false, limit, address));
      return;
    }
    if (q.qtype == Type.AXFR || q.qtype == Type.IXFR) {
      if (transfers != null) {
        transfers.handle(query, transport, client, out);
      } else {
        out.send(writer.write(q, null, Rcode.REFUSED, false, limit, address));
      }
      return;
    }
    if (q.unexpectedRecords) {
      out.send(writer.write(q, null, Rcode.FORMERR, false, limit, address)); // RFC 1035 section 4.1: a query asks
      return;
    }
    out.send(answerer.answer(q, limit, address, transport));
  }

  /**
   * SERVFAIL for a query whose answer failed (RFC 1035 section 4.1.1: "unable to process this
   * query due to a problem with the name server"), written from the query's bytes again; when
   * even that fails, nothing is sent (the client retries or asks elsewhere).
   */
  private void failed(RuntimeException e, ByteBuffer query, int position, int length, Transport transport, InetSocketAddress client,
      ResponseSink out) throws IOException {
    writer.counters().failed();
    FAILED.failure(e, "answering a query from {} over {} failed; answered SERVFAIL", client == null ? "?" : Addresses.show(client),
        transport);
    ByteBuffer servfail;
    try {
      byte[] msg = new byte[length];
      query.get(position, msg);
      Query q = Query.parse(msg, 0, length);
      servfail = writer.write(q.wellFormed ? q : withoutQuestion(q), null, Rcode.SERVFAIL, false, CLASSIC_UDP,
          client == null ? null : client.getAddress());
    } catch (RuntimeException again) {
      return;
    }
    out.send(servfail);
  }

  /** CHAOS TXT (or ANY) for a configured name; REFUSED for everything else outside class IN. */
  ByteBuffer chaos(Query q, int limit, InetAddress address) {
    EncodedSections txt = q.qclass == DClass.CH && (q.qtype == Type.TXT || q.qtype == Type.ANY)
        ? chaos.lookup(q.msg, q.qname, q.qnameLength)
        : null;
    return txt == null
        ? writer.write(q, null, Rcode.REFUSED, false, limit, address)
        : writer.write(q, txt, Rcode.NOERROR, true, limit, address);
  }

  /** RFC 6891 section 6.2.5: the smaller of the client's buffer (at least 512) and the configured maximum. */
  private int udpLimit(Query q) {
    return q.edns ? Math.min(Math.max(q.udpPayload, CLASSIC_UDP), options.maxUdpPayload()) : CLASSIC_UDP;
  }

  /** The same query without its question or OPT record: what an error reply to an unreadable query carries. */
  private static Query withoutQuestion(Query q) {
    return Query.headerOnly(q.msg, q.start);
  }
}
