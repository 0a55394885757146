package org.rootmirror.resolver.net;

import java.nio.ByteBuffer;
import java.util.List;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.rootmirror.sync.server.query.Query;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Writes the response to a stub: the header bits a recursive server sets (RFC 1035 section
 * 4.1.1, RFC 4035 section 3.2), the question as asked, the resolution's records filtered for
 * the client's DO bit (RFC 4035 section 3.2.1), and an OPT record only when the query had one
 * (RFC 6891 section 7), carrying any Extended DNS Error (RFC 8914). Pure: bytes in, bytes out.
 */
final class Responses {
  /** Our EDNS buffer size: 1232 avoids IP fragmentation on any path (DNS Flag Day 2020). */
  static final int EDNS_BUFFER = 1232;
  /** RFC 1035 section 4.2.1: UDP messages without EDNS. */
  static final int CLASSIC_UDP = 512;
  /** RFC 1035 section 4.2.2: a TCP message's two-byte length. */
  static final int MAX_TCP = 0xffff;

  private Responses() {}

  /** RFC 6891 section 6.2.5: the smaller of the client's buffer (at least 512) and ours. */
  /** The query's question, its name's case kept. */
  static Question question(Query q) {
    return new Question(q.qname(), q.qtype(), q.qclass());
  }

  static int udpLimit(Query q) {
    return q.edns() ? Math.min(Math.max(q.udpPayload(), CLASSIC_UDP), EDNS_BUFFER) : CLASSIC_UDP;
  }

  /**
   * The answer to {@code q} from {@code resolution}, at most {@code limit} bytes: when the answer
   * and authority do not fit whole, only the header with TC, the question and the OPT record
   * (RFC 2181 section 9: no partial RRsets; the client retries over TCP).
   */
  static ByteBuffer answer(Query q, Question question, Resolution resolution, int limit) {
    boolean dnssec = q.dnssecOk();
    int rcode = resolution.rcode();
    // RFC 4035 section 3.2.3: AD only when every RRset is authentic, which SECURE says; RFC 6840
    // section 5.7: only for a client that showed it understands it, with DO or AD. CD does not
    // matter: a SECURE resolution was validated whatever CD asked.
    boolean ad = resolution.status() == SecurityStatus.SECURE && (dnssec || q.authenticData())
        && (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN);
    Message m = header(q, question, rcode, ad);
    for (RRset set : resolution.answer()) {
      add(m, set, Section.ANSWER, dnssec, question.type());
    }
    for (RRset set : resolution.authority()) {
      add(m, set, Section.AUTHORITY, dnssec, -1);
    }
    addOpt(m, q, rcode, resolution.error());
    byte[] wire = m.toWire();
    if (wire.length <= limit) {
      return ByteBuffer.wrap(wire);
    }
    Message truncated = header(q, question, rcode, false);
    truncated.getHeader().setFlag(Flags.TC);
    addOpt(truncated, q, rcode, resolution.error());
    return ByteBuffer.wrap(truncated.toWire());
  }

  /** A response without data: the question if it could be read, and the OPT record if asked. */
  static ByteBuffer error(Query q, int rcode, ExtendedErrorCodeOption error) {
    Message m = header(q, q.wellFormed() && q.hasQuestion() ? question(q) : null, rcode, false);
    if (q.wellFormed()) {
      addOpt(m, q, rcode, error);
    }
    return ByteBuffer.wrap(m.toWire());
  }

  private static Message header(Query q, Question question, int rcode, boolean ad) {
    Message m = new Message(q.id());
    Header h = m.getHeader();
    h.setOpcode(q.opcode());
    h.setFlag(Flags.QR);
    h.setFlag(Flags.RA);
    if (q.recursionDesired()) {
      h.setFlag(Flags.RD);
    }
    if (q.checkingDisabled()) {
      h.setFlag(Flags.CD); // RFC 4035 section 3.1.6: copied
    }
    if (ad) {
      h.setFlag(Flags.AD);
    }
    h.setRcode(rcode & 0xF);
    if (question != null) {
      m.addRecord(Record.newRecord(question.name(), question.type(), question.dclass()), Section.QUESTION);
    }
    return m;
  }

  /**
   * One RRset with its signatures for a DO client; without DO (RFC 4035 section 3.2.1) no RRSIG,
   * NSEC or NSEC3 unless the question asked for that type.
   */
  private static void add(Message m, RRset set, int section, boolean dnssec, int qtype) {
    int type = set.getType();
    if (!dnssec && (type == Type.NSEC || type == Type.NSEC3) && type != qtype) {
      return;
    }
    for (Record rr : set.rrs(false)) {
      m.addRecord(rr, section);
    }
    if (dnssec || qtype == Type.RRSIG) {
      for (RRSIGRecord sig : set.sigs()) {
        m.addRecord(sig, section);
      }
    }
  }

  /** RFC 6891 section 7: an OPT only in reply to one; RCODEs above 15 put their upper bits in it. */
  private static void addOpt(Message m, Query q, int rcode, ExtendedErrorCodeOption error) {
    if (!q.edns()) {
      return;
    }
    int flags = q.dnssecOk() ? ExtendedFlags.DO : 0; // RFC 3225 section 3: DO copied
    m.addRecord(new OPTRecord(EDNS_BUFFER, rcode >>> 4, 0, flags, error == null ? List.of() : List.of(error)), Section.ADDITIONAL);
  }
}
