package org.rootmirror.sync.server.fuzz;

import java.io.IOException;
import java.util.List;
import org.rootmirror.sync.server.Transport;
import org.xbill.DNS.Message;

/**
 * What a server may send back to any packet, judged from the packet's bytes alone (not from the
 * server's own reading of them): nothing to a packet shorter than a header or with QR set (RFC
 * 1035 section 4.1.1); over UDP one reply at most, of at most 512 bytes without EDNS or the
 * client's advertised size with it (RFC 6891 section 6.2.5: at least 512, at most what the server
 * caps it to); over TCP at most 65,535 bytes a message (RFC 1035 section 4.2.2); and every reply a
 * message dnsjava parses, QR set, with the query's ID and opcode.
 */
public final class ReplyCheck {
  public static final int HEADER = 12;
  public static final int CLASSIC_UDP = 512;
  private static final int MAX_TCP = 65535;
  private static final int TYPE_OPT = 41;

  private ReplyCheck() {}

  /**
   * @param serverMaxUdp the largest UDP reply the server sends whatever the client asks
   * @param answered whether a query the server can read at all (a header, QR clear) must get a reply
   * @return what is wrong, or null
   */
  public static String check(byte[] query, Transport transport, List<byte[]> replies, int serverMaxUdp, boolean answered) {
    boolean noReply = query.length < HEADER || (query[2] & 0x80) != 0;
    if (noReply) {
      return replies.isEmpty() ? null : replies.size() + " replies to a packet that must get none (runt or QR set)";
    }
    if (transport == Transport.UDP && replies.size() > 1) {
      return replies.size() + " replies over UDP";
    }
    if (answered && replies.isEmpty()) {
      return "no reply";
    }
    int limit = transport == Transport.UDP ? clientUdpLimit(query, serverMaxUdp) : MAX_TCP;
    for (byte[] reply : replies) {
      if (reply.length > limit) {
        return "a " + reply.length + "-byte reply over " + transport + " to a client allowing " + limit;
      }
      Message m;
      try {
        m = new Message(reply);
      } catch (IOException | RuntimeException e) {
        return "a reply dnsjava cannot parse (" + e + "): " + Hex.of(reply);
      }
      if (!m.getHeader().getFlag(org.xbill.DNS.Flags.QR)) {
        return "a reply without QR";
      }
      int id = (query[0] & 0xFF) << 8 | query[1] & 0xFF;
      if (m.getHeader().getID() != id) {
        return "a reply with ID " + m.getHeader().getID() + " to a query with ID " + id;
      }
      int opcode = query[2] >>> 3 & 0xF;
      if (m.getHeader().getOpcode() != opcode) {
        return "a reply with opcode " + m.getHeader().getOpcode() + " to a query with opcode " + opcode;
      }
    }
    return null;
  }

  /**
   * The size a UDP reply may take: the payload of the one OPT record in the additional section
   * (owned by the root), at least 512 and at most {@code serverMax}; 512 when there is none, when
   * there are several, or when the message cannot be read that far.
   */
  public static int clientUdpLimit(byte[] q, int serverMax) {
    int qd = u16(q, 4);
    int records = u16(q, 6) + u16(q, 8);
    int additional = u16(q, 10);
    int p = HEADER;
    for (int i = 0; i < qd && p >= 0; i++) {
      p = skipName(q, p);
      p = p < 0 || p + 4 > q.length ? -1 : p + 4;
    }
    for (int i = 0; i < records && p >= 0; i++) {
      p = skipRecord(q, p);
    }
    int payload = -1;
    for (int i = 0; i < additional && p >= 0; i++) {
      int end = skipRecord(q, p);
      if (end >= 0 && q[p] == 0 && u16(q, p + 1) == TYPE_OPT) {
        if (payload >= 0) {
          return CLASSIC_UDP; // RFC 6891 section 6.1.1: more than one OPT is FORMERR
        }
        payload = u16(q, p + 3);
      }
      p = end;
    }
    if (p < 0 || payload < 0) {
      return CLASSIC_UDP;
    }
    return Math.min(Math.max(payload, CLASSIC_UDP), serverMax);
  }

  private static int skipRecord(byte[] q, int p) {
    int nameEnd = skipName(q, p);
    if (nameEnd < 0 || nameEnd + 10 > q.length) {
      return -1;
    }
    int end = nameEnd + 10 + u16(q, nameEnd + 8);
    return end > q.length ? -1 : end;
  }

  /** After the name at {@code p}: labels of at most 63 bytes, ending in the root or a pointer. */
  private static int skipName(byte[] q, int p) {
    while (p < q.length) {
      int label = q[p] & 0xFF;
      if (label == 0) {
        return p + 1;
      }
      if ((label & 0xC0) == 0xC0) {
        return p + 2 <= q.length ? p + 2 : -1;
      }
      if (label > 63) {
        return -1;
      }
      p += label + 1;
    }
    return -1;
  }

  private static int u16(byte[] q, int p) {
    return (q[p] & 0xFF) << 8 | q[p + 1] & 0xFF;
  }
}
