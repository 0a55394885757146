package org.rootmirror.sync.server.xfr;

import java.nio.ByteBuffer;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** The one-message replies of transfers and NOTIFY: errors, and the NOTIFY acknowledgement. */
final class Replies {
  /** The UDP payload size this server says it takes (RFC 6891 section 6.2.5; the DNS flag day 2020 value). */
  static final int EDNS_PAYLOAD = 1232;

  private Replies() {}

  /**
   * An error for {@code query}: its ID, opcode, RD bit and question, QR set, AA clear (RFC 5936
   * section 2.2.1 allows it with an error), and an OPT record when the query had one, carrying the
   * upper bits of an extended rcode such as BADVERS (RFC 6891 section 6.1.3).
   */
  static ByteBuffer error(Message query, int rcode) {
    Message reply = header(query, rcode);
    Record question = query.getQuestion();
    if (question != null) {
      reply.addRecord(question, Section.QUESTION);
    }
    return wire(reply);
  }

  /** FORMERR for a query that could not be decoded past its header: its ID and opcode, nothing else. */
  static ByteBuffer formatError(byte[] query) {
    Message reply = new Message(((query[0] & 0xFF) << 8) | (query[1] & 0xFF));
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setOpcode((query[2] >>> 3) & 0xF);
    reply.getHeader().setRcode(Rcode.FORMERR);
    return wire(reply);
  }

  /**
   * The acknowledgement of a NOTIFY (RFC 1996 section 3.7, and its example in section 4): the same
   * ID, opcode and question, QR and AA set, nothing in the answer section.
   */
  static ByteBuffer notifyAcknowledged(Message query) {
    Message reply = header(query, Rcode.NOERROR);
    reply.getHeader().setFlag(Flags.AA);
    reply.addRecord(query.getQuestion(), Section.QUESTION);
    return wire(reply);
  }

  private static Message header(Message query, int rcode) {
    Message reply = new Message(query.getHeader().getID());
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setOpcode(query.getHeader().getOpcode());
    if (query.getHeader().getFlag(Flags.RD)) {
      reply.getHeader().setFlag(Flags.RD);
    }
    reply.getHeader().setRcode(rcode & 0xF);
    OPTRecord opt = query.getOPT();
    if (opt != null) {
      int flags = (opt.getFlags() & ExtendedFlags.DO) != 0 ? ExtendedFlags.DO : 0;
      reply.addRecord(new OPTRecord(EDNS_PAYLOAD, rcode >>> 4, 0, flags), Section.ADDITIONAL);
    }
    return reply;
  }

  private static ByteBuffer wire(Message reply) {
    return ByteBuffer.wrap(reply.toWire());
  }
}
