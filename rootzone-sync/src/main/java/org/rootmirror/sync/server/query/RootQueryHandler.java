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
import org.xbill.DNS.Rcode;

/**
 * Answers queries as a root server would, from the answer table of the published snapshot. After
 * the checks of {@link QueryPipeline} (cheapest rejection first): SERVFAIL to everything while no
 * zone is published; REFUSED for classes other than IN except the configured CHAOS names; then
 * the answer (for ANY over UDP, RFC 8482's minimal one: see {@link AnswerTable#lookup(byte[], int,
 * int, boolean)}).
 */
public final class RootQueryHandler implements QueryHandler {
  private static final Logger log = LoggerFactory.getLogger(RootQueryHandler.class);

  private final PublishedZone published;
  private final QueryPipeline pipeline;
  private final AtomicReference<AnswerTable> table = new AtomicReference<>();
  /** The snapshot the current table was built from; guarded by {@code this}. */
  private ZoneSnapshot builtFrom;

  /**
   * @param transfers answers AXFR and IXFR queries and NOTIFY messages, or null to refuse
   *     transfers and answer NOTIFY with NOTIMP
   */
  public RootQueryHandler(PublishedZone published, ServerOptions options, QueryHandler transfers) {
    this.published = published;
    this.pipeline = new QueryPipeline(options, transfers, this::answer);
    published.onChange(change -> refresh());
    refresh();
  }

  /** The responses written so far, by RCODE. */
  public ResponseCounters counters() {
    return pipeline.writer().counters();
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
    pipeline.handle(query, transport, client, out);
  }

  /**
   * SERVFAIL while no zone is published, CHAOS outside class IN, else the table's precomputed
   * answer; ANY at the apex over UDP gets the SOA alone, over TCP every apex RRset (RFC 8482
   * sections 4.1 and 4.4).
   */
  private ByteBuffer answer(Query q, int limit, InetAddress address, Transport transport) {
    AnswerTable answers = table.get();
    if (answers == null) {
      // resolvers fail over (RFC 8806 section 4)
      return pipeline.writer().write(q, null, Rcode.SERVFAIL, false, limit, address);
    }
    if (q.qclass != DClass.IN) {
      return pipeline.chaos(q, limit, address);
    }
    Answer answer = answers.lookup(q.msg, q.qname, q.qtype, transport == Transport.UDP);
    EncodedSections sections = answer.prepared(q.dnssecOk).wire();
    return pipeline.writer().write(q, sections, answer.rcode(), answer.authoritative(), limit, address);
  }
}
