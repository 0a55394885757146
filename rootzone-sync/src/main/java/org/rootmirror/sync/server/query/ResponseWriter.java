package org.rootmirror.sync.server.query;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.rootmirror.sync.server.answer.EncodedSections;

/**
 * Writes one response: the header, the question copied byte for byte from the query (so the
 * name keeps the client's case), precomputed sections cut to the size allowed, then the OPT
 * record (RFC 6891 section 6.1.2) with the client's cookie and a server cookie (RFC 7873 section
 * 5.2). Each response is a new array of its exact size: a sink may keep it after {@code send}.
 */
final class ResponseWriter {
  static final int HEADER = 12;
  /** An OPT record without options: root owner, type, class, TTL, RDLENGTH (RFC 6891 section 6.1.2). */
  private static final int OPT_FIXED = 11;
  private static final int OPTION_COOKIE = 10;
  /** The option header and both cookies. */
  private static final int COOKIE_OPTION = 4 + ServerCookies.CLIENT_LENGTH + ServerCookies.SERVER_LENGTH;

  private final ServerCookies cookies;
  private final int advertisedPayload;
  private final ResponseCounters counters = new ResponseCounters();

  ResponseWriter(ServerCookies cookies, int advertisedPayload) {
    this.cookies = cookies;
    this.advertisedPayload = advertisedPayload;
  }

  /** Every response written, by RCODE. */
  ResponseCounters counters() {
    return counters;
  }

  /**
   * A response to {@code q} carrying {@code sections} (or none), cut to {@code limit} bytes:
   * optional additional RRsets are left out while they do not fit, and when the required
   * sections do not fit the response is only the header with TC set, the question and the OPT
   * record (RFC 2181 section 9, RFC 1035 section 4.2.1).
   *
   * @param rcode the full RCODE: values above 15 put their upper eight bits in the OPT record
   *     (RFC 6891 section 6.1.3), so they need an EDNS query
   */
  ByteBuffer write(Query q, EncodedSections sections, int rcode, boolean authoritative, int limit, InetAddress client) {
    int question = q.hasQuestion() ? q.questionEnd - q.qname : 0;
    int opt = q.edns ? OPT_FIXED + (q.cookie >= 0 ? COOKIE_OPTION : 0) : 0;
    int optional = sections == null ? 0 : sections.fit(limit - HEADER - question - opt);
    boolean truncated = optional < 0;
    int body = sections == null || truncated ? 0 : sections.length(optional);
    byte[] out = new byte[HEADER + question + body + opt];

    out[0] = q.msg[q.start];
    out[1] = q.msg[q.start + 1];
    out[2] = (byte) (0x80 | (q.opcode << 3) | (authoritative ? 0x04 : 0) | (truncated ? 0x02 : 0)
        | (q.recursionDesired() ? 0x01 : 0)); // QR, opcode, AA, TC, RD; RA stays clear
    out[3] = (byte) ((q.checkingDisabled() ? 0x10 : 0) | (rcode & 0xF)); // AD clear, CD copied
    out[5] = (byte) (question > 0 ? 1 : 0);
    int additional = q.edns ? 1 : 0;
    if (body > 0) {
      u16(out, 6, sections.answerCount());
      u16(out, 8, sections.authorityCount());
      additional += sections.additionalCount(optional);
    }
    u16(out, 10, additional);
    int p = HEADER;
    if (question > 0) {
      System.arraycopy(q.msg, q.qname, out, p, question);
      p += question;
    }
    if (body > 0) {
      sections.copyTo(out, p, optional, q.qnameLength);
      p += body;
    }
    if (q.edns) {
      writeOpt(q, rcode, out, p, client);
    }
    // every response passes here once; bench/query-handler: the same ns/query with and without it, no allocation
    counters.responded(rcode);
    return ByteBuffer.wrap(out);
  }

  private void writeOpt(Query q, int rcode, byte[] out, int p, InetAddress client) {
    // out[p] = 0: the root owns the OPT record
    u16(out, p + 1, 41);
    u16(out, p + 3, advertisedPayload);
    out[p + 5] = (byte) (rcode >>> 4); // extended RCODE; version 0 at p + 6
    out[p + 7] = (byte) (q.dnssecOk ? 0x80 : 0); // DO copied (RFC 3225 section 3)
    if (q.cookie >= 0) {
      u16(out, p + 9, COOKIE_OPTION);
      u16(out, p + 11, OPTION_COOKIE);
      u16(out, p + 13, ServerCookies.CLIENT_LENGTH + ServerCookies.SERVER_LENGTH);
      System.arraycopy(q.msg, q.cookie, out, p + 15, ServerCookies.CLIENT_LENGTH);
      cookies.write(q.msg, q.cookie, client, out, p + 15 + ServerCookies.CLIENT_LENGTH);
    }
  }

  private static void u16(byte[] out, int p, int v) {
    out[p] = (byte) (v >>> 8);
    out[p + 1] = (byte) v;
  }
}
