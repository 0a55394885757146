package org.rootmirror.resolver.net;

import org.rootmirror.resolver.Question;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;
import org.xbill.DNS.WireParseException;

/**
 * The parts of a stub's query the front end acts on, read in place from its bytes: the header
 * (RFC 1035 section 4.1.1), the one question, and the OPT record (RFC 6891 section 6.1). Names
 * are checked here and decoded only for the question, when it is asked for.
 */
final class ClientQuery {
  static final int HEADER = 12;
  /** RFC 1035 section 2.3.4. */
  private static final int MAX_NAME = 255;
  private static final int MAX_LABEL = 63;
  private static final int TYPE_OPT = 41;

  /** The query's bytes, owned by this object (copied out of the listener's buffer). */
  final byte[] msg;
  final int opcode;
  final int qdcount;
  /** Whether the rest of the message could be read; when not, nothing below it is meaningful. */
  boolean wellFormed;
  /** Records in the answer or authority section, which a query does not carry (RFC 1035 section 4.1). */
  boolean unexpectedRecords;
  /** Where the question ends in {@link #msg}; -1 without one. The name starts at {@link #HEADER}. */
  int questionEnd = -1;
  int qtype;
  int qclass;
  boolean edns;
  int ednsVersion;
  int udpPayload;
  boolean dnssecOk;

  private ClientQuery(byte[] msg) {
    this.msg = msg;
    this.opcode = (msg[2] >>> 3) & 0xF;
    this.qdcount = u16(4);
  }

  /** Reads {@code msg}, at least {@link #HEADER} bytes long. */
  static ClientQuery parse(byte[] msg) {
    ClientQuery q = new ClientQuery(msg);
    q.wellFormed = q.read();
    return q;
  }

  int id() {
    return u16(0);
  }

  boolean recursionDesired() {
    return (msg[2] & 0x01) != 0;
  }

  /** RFC 6840 section 5.7: AD in a query asks for AD in the answer, as DO does. */
  boolean authenticData() {
    return (msg[3] & 0x20) != 0;
  }

  /** RFC 4035 section 3.2.2. */
  boolean checkingDisabled() {
    return (msg[3] & 0x10) != 0;
  }

  boolean hasQuestion() {
    return questionEnd > 0;
  }

  /** The question as asked, the name's case kept. */
  Question question() {
    DNSInput in = new DNSInput(msg);
    in.jump(HEADER);
    try {
      return new Question(new Name(in), qtype, qclass);
    } catch (WireParseException e) {
      throw new IllegalStateException("a checked name did not decode", e);
    }
  }

  private boolean read() {
    int p = HEADER;
    if (qdcount > 1) {
      return false;
    }
    if (qdcount == 1) {
      int nameEnd = skipName(p, false);
      if (nameEnd < 0 || nameEnd + 4 > msg.length) {
        return false;
      }
      qtype = u16(nameEnd);
      qclass = u16(nameEnd + 2);
      questionEnd = nameEnd + 4;
      p = questionEnd;
    }
    int answers = u16(6);
    int authority = u16(8);
    unexpectedRecords = answers != 0 || authority != 0;
    int additional = u16(10);
    for (int i = 0; i < answers + authority + additional; i++) {
      int owner = p;
      int nameEnd = skipName(p, true);
      if (nameEnd < 0 || nameEnd + 10 > msg.length) {
        return false;
      }
      int rdataEnd = nameEnd + 10 + u16(nameEnd + 8);
      if (rdataEnd > msg.length) {
        return false;
      }
      if (i >= answers + authority && u16(nameEnd) == TYPE_OPT) {
        // RFC 6891 section 6.1.1: one OPT, owned by the root
        if (edns || nameEnd != owner + 1) {
          return false;
        }
        edns = true;
        udpPayload = u16(nameEnd + 2);
        ednsVersion = msg[nameEnd + 5] & 0xFF;
        dnssecOk = (msg[nameEnd + 6] & 0x80) != 0;
      }
      p = rdataEnd;
    }
    return true;
  }

  /**
   * The offset after the name at {@code p}, or -1 when it is malformed. A question name cannot be
   * compressed (nothing precedes it to point at); a later name may end with a pointer, which is
   * stepped over, not followed.
   */
  private int skipName(int p, boolean pointerAllowed) {
    int length = 0;
    while (p < msg.length) {
      int label = msg[p] & 0xFF;
      if (label == 0) {
        return length + 1 <= MAX_NAME ? p + 1 : -1;
      }
      if ((label & 0xC0) == 0xC0) {
        return pointerAllowed && p + 2 <= msg.length ? p + 2 : -1;
      }
      if (label > MAX_LABEL) {
        return -1; // RFC 6891 section 5: extended label types are not used
      }
      length += label + 1;
      p += label + 1;
    }
    return -1;
  }

  private int u16(int p) {
    return ((msg[p] & 0xFF) << 8) | (msg[p + 1] & 0xFF);
  }
}
