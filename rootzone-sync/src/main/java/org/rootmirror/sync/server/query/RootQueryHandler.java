package org.rootmirror.sync.server.query;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.rootmirror.sync.server.QueryHandler;
import org.rootmirror.sync.server.ResponseSink;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.server.answer.Answer;
import org.rootmirror.sync.server.answer.AnswerTable;
import org.rootmirror.sync.server.answer.EncodedSections;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Answers queries as a root server would, from the answer table of the published snapshot. The
 * pipeline, cheapest rejection first (Hickory's order): nothing for responses and runts; NOTIFY
 * to the transfer handler; NOTIMP for other opcodes; FORMERR for what cannot be read; BADVERS
 * for EDNS versions above 0; FORMERR for a malformed cookie; a server cookie alone for a query
 * with a cookie and no question; AXFR and IXFR to the transfer handler; FORMERR for records in
 * the answer or authority section; SERVFAIL to everything else while no zone is published;
 * REFUSED for classes other than IN except the configured CHAOS names; then the answer.
 */
public final class RootQueryHandler implements QueryHandler {
  private static final Logger log = LoggerFactory.getLogger(RootQueryHandler.class);
  /** RFC 1035 section 4.2.1: UDP messages without EDNS. */
  private static final int CLASSIC_UDP = 512;
  /** RFC 1035 section 4.2.2: a TCP message's two-byte length. */
  private static final int MAX_TCP = 65535;

  private final PublishedZone published;
  private final ServerOptions options;
  private final QueryHandler transfers;
  private final ChaosAnswers chaos;
  private final ResponseWriter writer;
  private final AtomicReference<AnswerTable> table = new AtomicReference<>();
  /** The snapshot the current table was built from; guarded by {@code this}. */
  private ZoneSnapshot builtFrom;

  /**
   * @param transfers answers AXFR and IXFR queries and NOTIFY messages, or null to refuse
   *     transfers and answer NOTIFY with NOTIMP
   */
  public RootQueryHandler(PublishedZone published, ServerOptions options, QueryHandler transfers) {
    this.published = published;
    this.options = options;
    this.transfers = transfers;
    this.chaos = new ChaosAnswers(options);
    this.writer = new ResponseWriter(new ServerCookies(options.cookieSecret(), options.clock()), options.maxUdpPayload());
    published.onChange(change -> refresh());
    refresh();
  }

  /** The table answers come from, or empty while no zone is published. */
  public Optional<AnswerTable> table() {
    return Optional.ofNullable(table.get());
  }

  /**
   * Builds the table for whatever is published now. Listeners may run on several threads and in
   * any order, so each one builds from the current snapshot, not from the one it was told about.
   */
  private synchronized void refresh() {
    ZoneSnapshot snapshot = published.current().orElse(null);
    if (snapshot == builtFrom) {
      return;
    }
    if (snapshot == null) {
      table.set(null);
      builtFrom = null;
      return;
    }
    long start = System.nanoTime(); // only to log the time taken
    try {
      table.set(AnswerTable.build(snapshot));
      log.info("answering from serial {}: tables built in {} ms", snapshot.serial(), (System.nanoTime() - start) / 1_000_000);
    } catch (RuntimeException e) {
      table.set(null); // answer SERVFAIL rather than from an older zone or a half-built table
      log.error("cannot build answer tables for serial {}; answering SERVFAIL", snapshot.serial(), e);
    }
    builtFrom = snapshot;
  }

  @Override
  public void handle(ByteBuffer query, Transport transport, InetSocketAddress client, ResponseSink out) throws IOException {
    int length = query.remaining();
    int position = query.position();
    // RFC 1035 section 4.1.1: no header, or QR set (a response): never answered, so no loops
    if (length < ResponseWriter.HEADER || (query.get(position + 2) & 0x80) != 0) {
      return;
    }
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
    AnswerTable answers = table.get();
    if (answers == null) {
      out.send(writer.write(q, null, Rcode.SERVFAIL, false, limit, address)); // resolvers fail over (RFC 8806 section 4)
      return;
    }
    if (q.qclass != DClass.IN) {
      out.send(chaos(q, limit, address));
      return;
    }
    Answer answer = answers.lookup(msg, q.qname, q.qtype);
    EncodedSections sections = answer.prepared(q.dnssecOk).wire();
    out.send(writer.write(q, sections, answer.rcode(), answer.authoritative(), limit, address));
  }

  /** CHAOS TXT (or ANY) for a configured name; REFUSED for everything else outside class IN. */
  private ByteBuffer chaos(Query q, int limit, InetAddress address) {
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
