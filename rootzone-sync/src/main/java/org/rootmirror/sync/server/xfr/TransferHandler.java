package org.rootmirror.sync.server.xfr;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import org.rootmirror.sync.server.QueryHandler;
import org.rootmirror.sync.server.ResponseSink;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.server.xfr.TransferPlan.Edns;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.rootmirror.sync.store.ZoneStore;
import org.rootmirror.sync.server.limit.LimitedLog;
import org.rootmirror.sync.server.net.Addresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Serial;
import org.xbill.DNS.Type;

/**
 * Answers zone transfer queries (AXFR, IXFR) and NOTIFY: the server's handler for both.
 *
 * <p>The query handler hands over every AXFR and IXFR query and every NOTIFY (passed on to a {@link
 * NotifyReceiver}). Checks go cheapest first and say no before any work: no reply to a response;
 * FORMERR for what does not decode; REFUSED for a client outside the ACL, for another class, and
 * for AXFR over UDP; NOTAUTH for a zone other than the root; SERVFAIL while no valid zone is
 * published. What is sent comes from {@link TransferPlans}: the published snapshot and the kept
 * versions, validated data only.
 *
 * <ul>
 *   <li>AXFR over TCP: the snapshot, SOA first and last, in messages of up to 16 KB (RFC 5936
 *       section 2.2), every one with the query's ID, the first with its question.
 *   <li>AXFR over UDP: REFUSED. RFC 5936 section 4.2 leaves AXFR over UDP undefined and names no
 *       rcode; REFUSED ("refuses to perform the specified operation for policy reasons", RFC 1035
 *       section 4.1.1) says it is this server's choice, not a malformed query (FORMERR) nor a
 *       kind of query it does not know (NOTIMP, NSD's answer).
 *   <li>IXFR (RFC 1995): the SOA alone when the client's serial is the current one or newer
 *       (section 2); the difference from the client's version when it is kept in the store, as one
 *       condensed sequence (sections 4 and 5); the whole zone, AXFR-style, otherwise (section 4).
 *       Over UDP, the same when it fits in one datagram, else the SOA alone, which tells the
 *       client to ask again over TCP (section 2). An IXFR query without the client's SOA in its
 *       authority section is FORMERR (section 3).
 * </ul>
 *
 * A query with an OPT record gets one in every reply (RFC 6891 section 6.1.1), BADVERS for a
 * version above 0 (section 6.1.3). TSIG is not supported: a signed query gets NOTAUTH.
 *
 * <p>What it logs is limited to a few lines a minute of each kind ({@link LimitedLog}), except a
 * transfer over TCP, whose client the handshake proves to be in the ACL: an IXFR over UDP from an
 * allowed prefix can be forged, and so can the queries that fail.
 */
public final class TransferHandler implements QueryHandler {
  private static final Logger log = LoggerFactory.getLogger(TransferHandler.class);
  private static final LimitedLog LOG = LimitedLog.of(log);
  private static final LimitedLog.Kind SENT_UDP = LOG.kind(Level.INFO, "IXFR answers sent over UDP");
  private static final LimitedLog.Kind FAILED = LOG.kind(Level.ERROR, "transfers answered SERVFAIL because encoding failed");

  private static final int HEADER = 12;
  /** The largest UDP reply to a query without EDNS (RFC 1035 section 4.2.1). */
  private static final int PLAIN_UDP = 512;

  private final PublishedZone published;
  private final AddressAcl allowed;
  private final NotifyReceiver notifies;
  private final TransferPlans plans;

  /**
   * @param published the zone to transfer: only what it publishes is ever sent
   * @param store the kept versions, for IXFR differences; null to answer every IXFR that is not
   *     current with the whole zone
   * @param allowed who may transfer, for example {@code AddressAcl.loopback().with(configured)}
   * @param notifies what to do with NOTIFY
   */
  public TransferHandler(PublishedZone published, ZoneStore store, AddressAcl allowed, NotifyReceiver notifies) {
    this.published = Objects.requireNonNull(published, "published");
    this.allowed = Objects.requireNonNull(allowed, "allowed");
    this.notifies = Objects.requireNonNull(notifies, "notifies");
    this.plans = new TransferPlans(store);
  }

  @Override
  public void handle(ByteBuffer query, Transport transport, InetSocketAddress client, ResponseSink out) throws IOException {
    if (query.remaining() < HEADER) {
      return;
    }
    byte[] wire = new byte[query.remaining()];
    query.duplicate().get(wire);
    if ((wire[2] & 0x80) != 0) {
      return; // QR set: a response is never answered (RFC 1035 section 4.1.1)
    }
    Message m;
    try {
      m = new Message(wire);
    } catch (IOException e) {
      out.send(Replies.formatError(wire));
      return;
    }
    int opcode = m.getHeader().getOpcode();
    if (opcode == Opcode.NOTIFY) {
      notifies.handle(m, client, out);
      return;
    }
    if (opcode != Opcode.QUERY) {
      out.send(Replies.error(m, Rcode.NOTIMP));
      return;
    }
    Record question = m.getQuestion();
    if (question == null || m.getHeader().getCount(Section.QUESTION) != 1) {
      out.send(Replies.error(m, Rcode.FORMERR));
      return;
    }
    int type = question.getType();
    if (type != Type.AXFR && type != Type.IXFR) {
      out.send(Replies.error(m, Rcode.REFUSED)); // not a transfer: the query handler should have kept it
      return;
    }
    if (!allowed.allows(client.getAddress())) {
      // debug: over UDP the source may be forged, and a flood must not flood the log too
      log.debug("{} of {} from {} refused: not in the transfer ACL", Type.string(type), question.getName(), client);
      out.send(Replies.error(m, Rcode.REFUSED));
      return;
    }
    if (question.getDClass() != DClass.IN) {
      out.send(Replies.error(m, Rcode.REFUSED));
      return;
    }
    if (!question.getName().equals(Name.root)) {
      out.send(Replies.error(m, Rcode.NOTAUTH)); // not a zone served here, as NSD answers
      return;
    }
    OPTRecord opt = m.getOPT();
    if (opt != null && opt.getVersion() > 0) {
      out.send(Replies.error(m, Rcode.BADVERS));
      return;
    }
    if (m.getTSIG() != null) {
      // RFC 8945 section 5.2.1: a key this server does not know is NOTAUTH (the TSIG record with
      // error BADKEY that should go with it is left out: no TSIG support at all)
      out.send(Replies.error(m, Rcode.NOTAUTH));
      return;
    }
    if (type == Type.AXFR && transport == Transport.UDP) {
      out.send(Replies.error(m, Rcode.REFUSED)); // RFC 5936 section 4.2, see the class comment
      return;
    }
    Optional<ZoneSnapshot> current = published.current();
    if (current.isEmpty()) {
      out.send(Replies.error(m, Rcode.SERVFAIL)); // never synced, or expired: nothing valid to send
      return;
    }
    ZoneSnapshot snapshot = current.get();
    Edns edns = opt == null ? null : new Edns((opt.getFlags() & ExtendedFlags.DO) != 0);
    TransferPlan plan;
    String what;
    try {
      if (type == Type.AXFR) {
        plan = plans.axfr(snapshot);
        what = "whole zone";
      } else {
        SOARecord held = clientSoa(m);
        if (held == null) {
          out.send(Replies.error(m, Rcode.FORMERR));
          return;
        }
        Choice choice = ixfr(snapshot, held.getSerial(), transport, opt, edns);
        plan = choice.plan();
        what = choice.what();
      }
    } catch (RuntimeException e) {
      FAILED.failure(e, "cannot encode the transfer of serial {}", snapshot.serial());
      out.send(Replies.error(m, Rcode.SERVFAIL));
      return;
    }
    String format = "{} to {} over {}: serial {}, {}, {} records in {} messages";
    Object[] args = {Type.string(type), Addresses.show(client), transport, snapshot.serial(), what, plan.recordCount(), plan.messageCount()};
    if (transport == Transport.TCP) {
      log.info(format, args);
    } else {
      SENT_UDP.log(format, args);
    }
    plan.send(m.getHeader().getID(), m.getHeader().getFlag(Flags.RD), type, edns, out);
  }

  private record Choice(TransferPlan plan, String what) {}

  private Choice ixfr(ZoneSnapshot snapshot, long held, Transport transport, OPTRecord opt, Edns edns) {
    Choice choice;
    if (Serial.compare(held, snapshot.zone().soa().getSerial()) >= 0) {
      choice = new Choice(plans.soa(snapshot), "client at " + held + " is current");
    } else {
      choice = plans.ixfr(snapshot, held)
          .map(p -> new Choice(p, "difference from " + held))
          .orElseGet(() -> new Choice(plans.axfr(snapshot), "whole zone (serial " + held + " is not kept)"));
    }
    if (transport == Transport.UDP) {
      int limit = opt == null ? PLAIN_UDP : Math.clamp(opt.getPayloadSize(), PLAIN_UDP, Replies.EDNS_PAYLOAD);
      if (!choice.plan().fitsOneMessage(limit, edns)) {
        choice = new Choice(plans.soa(snapshot), choice.what() + " does not fit in UDP: the SOA alone, ask over TCP");
      }
    }
    return choice;
  }

  /** The client's SOA for the root, from the IXFR query's authority section (RFC 1995 section 3), or null. */
  private static SOARecord clientSoa(Message query) {
    for (Record r : query.getSection(Section.AUTHORITY)) {
      if (r instanceof SOARecord soa && soa.getName().equals(Name.root)) {
        return soa;
      }
    }
    return null;
  }
}
