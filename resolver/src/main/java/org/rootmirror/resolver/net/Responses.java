package org.rootmirror.resolver.net;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.rootmirror.sync.server.answer.EncodedSections;
import org.rootmirror.sync.server.query.Query;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Writes the response to a stub: the header bits a recursive server sets (RFC 1035 section
 * 4.1.1, RFC 4035 section 3.2), the question copied byte for byte (the client's case kept), the
 * resolution's records filtered for the client's DO bit (RFC 4035 section 3.2.1) and encoded
 * with the mirror's {@link EncodedSections}, and an OPT record only when the query had one (RFC
 * 6891 section 7), carrying any Extended DNS Error (RFC 8914). Pure: bytes in, bytes out.
 */
final class Responses {
  /** Our EDNS buffer size: 1232 avoids IP fragmentation on any path (DNS Flag Day 2020). */
  static final int EDNS_BUFFER = 1232;
  /** RFC 1035 section 4.2.1: UDP messages without EDNS. */
  static final int CLASSIC_UDP = 512;
  /** RFC 1035 section 4.2.2: a TCP message's two-byte length. */
  static final int MAX_TCP = 0xffff;
  private static final int HEADER = 12;
  /** An OPT record without options: root owner, type, class, TTL, RDLENGTH (RFC 6891 section 6.1.2). */
  private static final int OPT_FIXED = 11;
  private static final int OPTION_EDE = 15;

  private Responses() {}

  /** The query's question, its name's case kept. */
  static Question question(Query q) {
    return new Question(q.qname(), q.qtype(), q.qclass());
  }

  /** RFC 6891 section 6.2.5: the smaller of the client's buffer (at least 512) and ours. */
  static int udpLimit(Query q) {
    return q.edns() ? Math.min(Math.max(q.udpPayload(), CLASSIC_UDP), EDNS_BUFFER) : CLASSIC_UDP;
  }

  /** The sections of {@code resolution} encoded for {@code q}'s DO bit. */
  static EncodedSections sections(Query q, Question question, Resolution resolution) {
    boolean dnssec = q.dnssecOk();
    List<Record> answer = new ArrayList<>();
    for (RRset set : resolution.answer()) {
      add(answer, set, dnssec, question.type());
    }
    List<Record> authority = new ArrayList<>();
    for (RRset set : resolution.authority()) {
      add(authority, set, dnssec, -1);
    }
    return EncodedSections.of(question.name(), answer, authority, List.of(), List.of());
  }

  /**
   * One RRset with its signatures for a DO client; without DO (RFC 4035 section 3.2.1) no RRSIG,
   * NSEC or NSEC3 unless the question asked for that type.
   */
  private static void add(List<Record> section, RRset set, boolean dnssec, int qtype) {
    int type = set.getType();
    if (!dnssec && (type == Type.NSEC || type == Type.NSEC3) && type != qtype) {
      return;
    }
    section.addAll(set.rrs(false));
    if (dnssec || qtype == Type.RRSIG) {
      section.addAll(set.sigs());
    }
  }

  /**
   * RFC 4035 section 3.2.3: AD only when every RRset is authentic, which SECURE says; RFC 6840
   * section 5.8: only for a client that showed it understands it, with DO or AD. Never with CD:
   * by CD the client takes on the authentication itself (RFC 4035 section 3.2.2), so the answer
   * carries no verdict of ours, as Knot Resolver answers and the Deckard scenarios expect. The
   * data is still validated (bogus data is not cached); Unbound would set AD here.
   */
  static boolean authenticData(Query q, boolean secure, int rcode) {
    return secure && !q.checkingDisabled() && (q.dnssecOk() || q.authenticData())
        && (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN);
  }

  /** The answer to {@code q} from {@code resolution}, at most {@code limit} bytes. */
  static ByteBuffer answer(Query q, Question question, Resolution resolution, int limit) {
    int rcode = resolution.rcode();
    boolean ad = authenticData(q, resolution.status() == SecurityStatus.SECURE, rcode);
    return write(q, sections(q, question, resolution), rcode, ad, resolution.error(), limit);
  }

  /**
   * A response without data: the question if it could be read, and the OPT record if asked. At
   * most 512 bytes, so that it fits any client over UDP: only a long Extended DNS Error text could
   * make it larger, and that is cut.
   */
  static ByteBuffer error(Query q, int rcode, ExtendedErrorCodeOption error) {
    return write(q, null, rcode, false, error, CLASSIC_UDP);
  }

  /**
   * An empty answer with TC set: ask again over TCP (RFC 1035 section 4.2.1), the question and the
   * OPT record if asked, no records; the size of the query.
   */
  static ByteBuffer tryTcp(Query q) {
    ByteBuffer response = write(q, null, Rcode.NOERROR, false, null, MAX_TCP);
    response.put(2, (byte) (response.get(2) | 0x02));
    return response;
  }

  /**
   * Writes a response to {@code q} with {@code sections} (or none), cut to {@code limit} bytes:
   * when the answer and authority do not fit whole, only the header with TC, the question and the
   * OPT record (RFC 2181 section 9: no partial RRsets; the client retries over TCP).
   */
  static ByteBuffer write(Query q, EncodedSections sections, int rcode, boolean ad, ExtendedErrorCodeOption error, int limit) {
    boolean readable = q.wellFormed();
    int question = readable && q.hasQuestion() ? q.questionLength() : 0;
    byte[] ede = readable && q.edns() && error != null ? extraText(error, limit - HEADER - question - OPT_FIXED - 6) : null;
    int opt = readable && q.edns() ? OPT_FIXED + (ede == null ? 0 : 6 + ede.length) : 0;
    int optional = sections == null ? 0 : sections.fit(limit - HEADER - question - opt);
    boolean truncated = optional < 0;
    int body = sections == null || truncated ? 0 : sections.length(optional);
    byte[] out = new byte[HEADER + question + body + opt];

    u16(out, 0, q.id());
    out[2] = (byte) (0x80 | (q.opcode() << 3) | (truncated ? 0x02 : 0) | (q.recursionDesired() ? 0x01 : 0)); // QR, opcode, TC, RD
    // RA; AD; CD copied (RFC 4035 section 3.1.6)
    out[3] = (byte) (0x80 | (ad && !truncated ? 0x20 : 0) | (q.checkingDisabled() ? 0x10 : 0) | (rcode & 0xF));
    out[5] = (byte) (question > 0 ? 1 : 0);
    if (body > 0) {
      u16(out, 6, sections.answerCount());
      u16(out, 8, sections.authorityCount());
    }
    u16(out, 10, (opt > 0 ? 1 : 0) + (body > 0 ? sections.additionalCount(optional) : 0));
    int p = HEADER;
    if (question > 0) {
      q.copyQuestion(out, p);
      p += question;
    }
    if (body > 0) {
      sections.copyTo(out, p, optional, q.qnameLength());
      p += body;
    }
    if (opt > 0) {
      // out[p] = 0: the root owns the OPT record
      u16(out, p + 1, 41);
      u16(out, p + 3, EDNS_BUFFER);
      out[p + 5] = (byte) (rcode >>> 4); // RCODEs above 15 put their upper bits here; version 0
      out[p + 7] = (byte) (q.dnssecOk() ? 0x80 : 0); // DO copied (RFC 3225 section 3)
      if (ede != null) {
        u16(out, p + 9, 6 + ede.length);
        u16(out, p + 11, OPTION_EDE);
        u16(out, p + 13, 2 + ede.length);
        u16(out, p + 15, error.getErrorCode());
        System.arraycopy(ede, 0, out, p + 17, ede.length);
      }
    }
    return ByteBuffer.wrap(out);
  }

  /**
   * The EXTRA-TEXT of {@code error} (RFC 8914 section 2), cut to {@code room} bytes at a character
   * boundary. The text may name the question, which the client chooses: a 255-byte name printed
   * with escapes, twice, would otherwise take a SERVFAIL past the client's UDP size (a 793-byte
   * reply to a client allowing 512, found by the fuzz test of issue 12). The text is optional
   * ("MAY be zero length"), the INFO-CODE is what counts.
   */
  private static byte[] extraText(ExtendedErrorCodeOption error, int room) {
    byte[] text = error.getText() == null ? new byte[0] : error.getText().getBytes(StandardCharsets.UTF_8);
    if (text.length <= room) {
      return text;
    }
    int cut = Math.max(room, 0);
    while (cut > 0 && (text[cut] & 0xC0) == 0x80) {
      cut--; // not inside a UTF-8 sequence
    }
    return java.util.Arrays.copyOf(text, cut);
  }

  private static void u16(byte[] out, int p, int v) {
    out[p] = (byte) (v >>> 8);
    out[p + 1] = (byte) v;
  }
}
