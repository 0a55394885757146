package org.rootmirror.sync.server.query;

import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;
import org.xbill.DNS.WireParseException;

/**
 * The parts of a query a server acts on, read in place from its bytes: the header (RFC 1035
 * section 4.1.1), the one question, and the OPT record (RFC 6891 section 6.1) with its COOKIE
 * option (RFC 7873 section 4). Names are checked, not decoded. The mirror's handlers read the
 * fields directly on their hot path; other servers (the resolver's front end) use the accessors.
 */
public final class Query {
  /** RFC 1035 section 2.3.4. */
  private static final int MAX_NAME = 255;
  private static final int MAX_LABEL = 63;
  private static final int TYPE_OPT = 41;
  private static final int OPTION_COOKIE = 10;

  final byte[] msg;
  final int start;
  final int end;
  final int opcode;
  final int qdcount;
  /** Whether the rest of the message could be read; when not, nothing below it is meaningful. */
  boolean wellFormed;
  /** Records in the answer or authority section, which a query does not carry (RFC 1035 section 4.1). */
  boolean unexpectedRecords;
  /** Question name offset in {@link #msg}, its wire length, and where the question ends; -1 without one. */
  int qname = -1;
  int qnameLength;
  int questionEnd = -1;
  int qtype;
  int qclass;
  boolean edns;
  int ednsVersion;
  int udpPayload;
  boolean dnssecOk;
  /** Offset of the client cookie in {@link #msg}, or -1. */
  int cookie = -1;
  /** A COOKIE option whose length is not that of a client cookie, alone or with a server cookie. */
  boolean badCookie;

  private Query(byte[] msg, int start, int end) {
    this.msg = msg;
    this.start = start;
    this.end = end;
    this.opcode = (msg[start + 2] >>> 3) & 0xF;
    this.qdcount = u16(start + 4);
  }

  /** Reads the query at {@code msg[start..start+length)}, at least 12 bytes long. */
  public static Query parse(byte[] msg, int start, int length) {
    Query q = new Query(msg, start, start + length);
    q.wellFormed = q.read();
    return q;
  }

  /** The header of the query at {@code msg[start]} alone: no question, no OPT record. */
  static Query headerOnly(byte[] msg, int start) {
    return new Query(msg, start, start + 12);
  }

  public int id() {
    return u16(start);
  }

  public int opcode() {
    return opcode;
  }

  public boolean recursionDesired() {
    return (msg[start + 2] & 0x01) != 0;
  }

  /** RFC 4035 section 3.1.6: the response copies CD. */
  public boolean checkingDisabled() {
    return (msg[start + 3] & 0x10) != 0;
  }

  /** RFC 6840 section 5.7: AD in a query asks for AD in the answer, as DO does. */
  public boolean authenticData() {
    return (msg[start + 3] & 0x20) != 0;
  }

  /** Whether the whole message could be read; when not, nothing below the header is meaningful. */
  public boolean wellFormed() {
    return wellFormed;
  }

  /** Records in the answer or authority section, which a query does not carry (RFC 1035 section 4.1). */
  public boolean unexpectedRecords() {
    return unexpectedRecords;
  }

  public boolean hasQuestion() {
    return questionEnd > 0;
  }

  /** The question's name as asked, its case kept (RFC 1035 section 7.3: the response copies it). */
  public Name qname() {
    DNSInput in = new DNSInput(msg);
    in.jump(qname);
    try {
      return new Name(in);
    } catch (WireParseException e) {
      throw new IllegalStateException("a checked name did not decode", e);
    }
  }

  /** The question name's wire length. */
  public int qnameLength() {
    return qnameLength;
  }

  /** The question section's wire length: name, type and class. */
  public int questionLength() {
    return questionEnd - qname;
  }

  /** Copies the question byte for byte (the name's case kept) to {@code out} at {@code at}. */
  public void copyQuestion(byte[] out, int at) {
    System.arraycopy(msg, qname, out, at, questionEnd - qname);
  }

  /** The question name's wire form in lower case (RFC 4034 section 6.2), as a lookup key. */
  public byte[] canonicalQname() {
    byte[] name = new byte[qnameLength];
    for (int i = 0; i < qnameLength; i++) {
      byte b = msg[qname + i];
      // label length bytes are at most 63, below 'A': only letters change
      name[i] = b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
    }
    return name;
  }

  public int qtype() {
    return qtype;
  }

  public int qclass() {
    return qclass;
  }

  public boolean edns() {
    return edns;
  }

  public int ednsVersion() {
    return ednsVersion;
  }

  public int udpPayload() {
    return udpPayload;
  }

  public boolean dnssecOk() {
    return dnssecOk;
  }

  private boolean read() {
    int p = start + 12;
    if (qdcount > 1) {
      return false;
    }
    if (qdcount == 1) {
      int nameEnd = skipName(p, false);
      if (nameEnd < 0 || nameEnd + 4 > end) {
        return false;
      }
      qname = p;
      qnameLength = nameEnd - p;
      qtype = u16(nameEnd);
      qclass = u16(nameEnd + 2);
      questionEnd = nameEnd + 4;
      p = questionEnd;
    }
    int answers = u16(start + 6);
    int authority = u16(start + 8);
    unexpectedRecords = answers != 0 || authority != 0;
    for (int i = 0; i < answers + authority; i++) {
      p = skipRecord(p);
      if (p < 0) {
        return false;
      }
    }
    int additional = u16(start + 10);
    for (int i = 0; i < additional; i++) {
      int nameEnd = skipName(p, true);
      if (nameEnd < 0 || nameEnd + 10 > end) {
        return false;
      }
      int rdataEnd = nameEnd + 10 + u16(nameEnd + 8);
      if (rdataEnd > end) {
        return false;
      }
      if (u16(nameEnd) == TYPE_OPT && !readOpt(p, nameEnd, rdataEnd)) {
        return false;
      }
      p = rdataEnd;
    }
    return true;
  }

  /** RFC 6891 section 6.1.1: one OPT, owned by the root. */
  private boolean readOpt(int owner, int nameEnd, int rdataEnd) {
    if (edns || nameEnd != owner + 1) {
      return false;
    }
    edns = true;
    udpPayload = u16(nameEnd + 2);
    ednsVersion = msg[nameEnd + 5] & 0xFF;
    dnssecOk = (msg[nameEnd + 6] & 0x80) != 0;
    for (int p = nameEnd + 10; p < rdataEnd; ) {
      if (p + 4 > rdataEnd) {
        return false;
      }
      int code = u16(p);
      int length = u16(p + 2);
      if (p + 4 + length > rdataEnd) {
        return false;
      }
      if (code == OPTION_COOKIE && cookie < 0 && !badCookie) {
        // RFC 7873 section 5.2.2: a client cookie (8) alone, or with a server cookie of 8 to 32 bytes
        if (length == 8 || (length >= 16 && length <= 40)) {
          cookie = p + 4;
        } else {
          badCookie = true;
        }
      }
      p += 4 + length;
    }
    return true;
  }

  private int skipRecord(int p) {
    int nameEnd = skipName(p, true);
    if (nameEnd < 0 || nameEnd + 10 > end) {
      return -1;
    }
    int rdataEnd = nameEnd + 10 + u16(nameEnd + 8);
    return rdataEnd > end ? -1 : rdataEnd;
  }

  /**
   * The offset after the name at {@code p}, or -1 when it is malformed. A question name cannot be
   * compressed (nothing precedes it to point at); a later name may end with a pointer, which is
   * not followed, only stepped over.
   */
  private int skipName(int p, boolean pointerAllowed) {
    int length = 0;
    while (p < end) {
      int label = msg[p] & 0xFF;
      if (label == 0) {
        return length + 1 <= MAX_NAME ? p + 1 : -1;
      }
      if ((label & 0xC0) == 0xC0) {
        return pointerAllowed && p + 2 <= end ? p + 2 : -1;
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
