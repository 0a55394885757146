package org.rootmirror.sync.server.fuzz;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.rootmirror.sync.server.fuzz.QueryShapes.Shape;

/**
 * The ways a query goes wrong, each from a well-formed {@link Shape}: cut short, bits flipped,
 * label lengths out of range (RFC 1035 section 2.3.4, RFC 6891 section 5), compression pointers
 * that loop or point forward or outside the message (RFC 1035 section 4.1.4), section counts that
 * lie, OPT records malformed or in the wrong section (RFC 6891 section 6.1.1), the QR bit set,
 * other opcodes and flags, and messages of every size from 0 to 65535 bytes.
 */
final class Mutations {
  static final int MAX_MESSAGE = 65535;

  private Mutations() {}

  static byte[] truncated(SplittableRandom r, Shape s) {
    int length = r.nextInt(4) == 0 ? r.nextInt(s.wire().length) : 12 + r.nextInt(s.wire().length - 12);
    return Arrays.copyOf(s.wire(), length);
  }

  static byte[] bitFlips(SplittableRandom r, byte[] wire) {
    byte[] out = wire.clone();
    int flips = 1 + r.nextInt(8);
    for (int i = 0; i < flips; i++) {
      int at = r.nextInt(out.length);
      out[at] ^= (byte) (1 << r.nextInt(8));
    }
    return out;
  }

  static byte[] junkBytes(SplittableRandom r, byte[] wire) {
    byte[] out = wire.clone();
    int count = 1 + r.nextInt(4);
    for (int i = 0; i < count; i++) {
      out[r.nextInt(out.length)] = (byte) r.nextInt(256);
    }
    return out;
  }

  /** One label length of the question name made 64 to 255 (extended and reserved label types), or longer than what follows. */
  static byte[] badLabel(SplittableRandom r, Shape s) {
    byte[] out = s.wire().clone();
    int labels = 0;
    for (int p = 12; p < s.qnameEnd() - 1; p += (out[p] & 0xFF) + 1) {
      labels++;
    }
    int pick = labels == 0 ? 0 : r.nextInt(labels + 1);
    int p = 12;
    for (int i = 0; i < pick && p < s.qnameEnd() - 1; i++) {
      p += (out[p] & 0xFF) + 1;
    }
    out[p] = (byte) switch (r.nextInt(3)) {
      case 0 -> 64 + r.nextInt(192);
      case 1 -> 0x40 | r.nextInt(64); // RFC 6891 section 5: extended label type
      default -> Math.min(63, out.length - p + r.nextInt(10)); // runs past the end
    };
    return out;
  }

  /** A question or OPT owner name that points at itself, or two names that point at each other. */
  static byte[] pointerLoop(SplittableRandom r, QueryShapes shapes) {
    Wire w = new Wire();
    QueryShapes.header(w, r, 1, 0, 0, 1);
    switch (r.nextInt(4)) {
      case 0 -> w.pointer(12); // the question name is a pointer to itself
      case 1 -> w.u8(3).bytes(new byte[] {'c', 'o', 'm'}).pointer(12); // a label, then back to its start
      case 2 -> w.u8(1).u8('a').pointer(16).u8(1).u8('b').pointer(14); // two labels pointing at each other
      default -> w.name(shapes.name(r));
    }
    w.u16(1).u16(1);
    int owner = w.length();
    w.pointer(r.nextBoolean() ? owner : 12); // an OPT owner pointing at itself or at the question
    w.u16(QueryShapes.TYPE_OPT).u16(1232).u32(0).u16(0);
    return w.toArray();
  }

  /** A question name pointing forward (to a name in the additional section), past the end, or into the header. */
  static byte[] pointerForward(SplittableRandom r, QueryShapes shapes) {
    Wire w = new Wire();
    QueryShapes.header(w, r, 1, 0, 0, 1);
    int target = switch (r.nextInt(4)) {
      case 0 -> 12 + 2 + 4; // the owner of the record after the question
      case 1 -> 0x3FFF; // beyond any message
      case 2 -> r.nextInt(12); // into the header
      default -> 13 + r.nextInt(4); // into the middle of its own pointer and type
    };
    w.pointer(target).u16(r.nextBoolean() ? 1 : 2).u16(1);
    w.name(shapes.name(r)).u16(1).u16(1).u32(3600).u16(4).u32(0xC0000201L);
    return w.toArray();
  }

  /** Section counts that do not match the sections: one to four counts set to 0 to 4 (RFC 1035 section 4.1.1). */
  static byte[] wrongCounts(SplittableRandom r, byte[] wire) {
    byte[] out = wire.clone();
    int changes = 1 + r.nextInt(4);
    for (int i = 0; i < changes; i++) {
      int at = 4 + 2 * r.nextInt(4);
      out[at] = 0;
      out[at + 1] = (byte) r.nextInt(5);
    }
    return out;
  }

  /** Counts far beyond what the message holds: 0xFFFF, or anything from 256 up. */
  static byte[] hugeCounts(SplittableRandom r, byte[] wire) {
    byte[] out = wire.clone();
    int changes = 1 + r.nextInt(4);
    for (int i = 0; i < changes; i++) {
      int at = 4 + 2 * r.nextInt(4);
      int v = r.nextBoolean() ? 0xFFFF : 256 + r.nextInt(0x10000 - 256);
      out[at] = (byte) (v >>> 8);
      out[at + 1] = (byte) v;
    }
    return out;
  }

  /** An OPT record wrong in one way (RFC 6891 sections 6.1.1 to 6.1.3, RFC 7873 section 5.2.2). */
  static byte[] badEdns(SplittableRandom r, QueryShapes shapes) {
    Wire w = new Wire();
    QueryShapes.header(w, r, 1, 0, 0, 1);
    w.name(shapes.name(r)).u16(shapes.type(r)).u16(1);
    int kind = r.nextInt(10);
    byte[] options = QueryShapes.optionsRdata(r);
    switch (kind) {
      case 0 -> { // an option longer than the RDATA holding it
        Wire o = new Wire();
        QueryShapes.option(o, 10, QueryShapes.random(r, 8));
        o.set16(2, 9 + r.nextInt(200));
        rawOpt(w, 1232, 0, o.toArray());
      }
      case 1 -> w.u8(0).u16(QueryShapes.TYPE_OPT).u16(1232).u32(0).u16(options.length + 1 + r.nextInt(500)).bytes(options); // RDLENGTH past the end
      case 2 -> rawOpt(w, 1232, 0, QueryShapes.random(r, 1 + r.nextInt(3))); // an option header cut short
      case 3 -> w.u8(1).u8('a').u8(0).u16(QueryShapes.TYPE_OPT).u16(4096).u32(0).u16(0); // owned by a., not the root
      case 4 -> { // two OPT records
        w.set16(10, 2);
        rawOpt(w, 4096, 0, options);
        rawOpt(w, 512, 0x8000, new byte[0]);
      }
      case 5 -> rawOpt(w, 4096, (long) (1 + r.nextInt(255)) << 16 | (r.nextBoolean() ? 0x8000 : 0), options); // version above 0
      case 6 -> { // a cookie of a length no client sends: 0 to 7, 9 to 15, or over 40
        int[] lengths = {0, 1, 7, 9, 15, 41, 64};
        Wire o = new Wire();
        QueryShapes.option(o, 10, QueryShapes.random(r, lengths[r.nextInt(lengths.length)]));
        rawOpt(w, 1232, 0, o.toArray());
      }
      case 7 -> { // two cookies
        Wire o = new Wire();
        QueryShapes.option(o, 10, QueryShapes.random(r, 8));
        QueryShapes.option(o, 10, QueryShapes.random(r, 8 + 8 * r.nextInt(3)));
        rawOpt(w, 1232, 0, o.toArray());
      }
      case 8 -> rawOpt(w, r.nextInt(512), (long) r.nextInt(256) << 24, options); // payload below 512, extended RCODE set in a query
      default -> rawOpt(w, 65535, 0x7FFF | 0x8000, options); // every Z bit set
    }
    return w.toArray();
  }

  /** An OPT record in the answer or authority section, or after another additional record, or OPT as the question's type. */
  static byte[] optMisplaced(SplittableRandom r, QueryShapes shapes) {
    Wire w = new Wire();
    int where = r.nextInt(4);
    QueryShapes.header(w, r, 1, where == 0 ? 1 : 0, where == 1 ? 1 : 0, where >= 2 ? (where == 2 ? 2 : 1) : 0);
    w.name(shapes.name(r)).u16(where == 3 ? QueryShapes.TYPE_OPT : shapes.type(r)).u16(1);
    if (where == 2) {
      w.name(shapes.name(r)).u16(1).u16(1).u32(60).u16(4).u32(0x7F000001L);
    }
    rawOpt(w, 1232 + r.nextInt(3000), r.nextBoolean() ? 0x8000 : 0, QueryShapes.optionsRdata(r));
    return w.toArray();
  }

  /** QR set: a response, which a server never answers (RFC 1035 section 4.1.1). */
  static byte[] response(SplittableRandom r, byte[] wire) {
    byte[] out = r.nextInt(4) == 0 ? junkBytes(r, wire) : wire.clone();
    out[2] |= (byte) 0x80;
    if (r.nextBoolean()) {
      out[3] = (byte) r.nextInt(256); // RA, AD, CD and any RCODE, as a response would have
    }
    return out;
  }

  /** Opcodes other than QUERY: IQUERY, STATUS, NOTIFY, UPDATE, DSO and the unassigned ones. */
  static byte[] opcode(SplittableRandom r, byte[] wire) {
    byte[] out = wire.clone();
    out[2] = (byte) ((out[2] & 0x87) | (1 + r.nextInt(15)) << 3);
    return out;
  }

  /** TC, AA, RA, Z, AD and CD and the RCODE field set at random in a query. */
  static byte[] flags(SplittableRandom r, byte[] wire) {
    byte[] out = wire.clone();
    out[2] = (byte) (out[2] & 0xF8 | r.nextInt(8) & 0x7); // AA, TC, RD
    out[3] = (byte) r.nextInt(256);
    return out;
  }

  /** Shorter than a header: nothing to answer. */
  static byte[] tiny(SplittableRandom r, byte[] wire) {
    return r.nextBoolean() ? QueryShapes.random(r, r.nextInt(12)) : Arrays.copyOf(wire, r.nextInt(12));
  }

  /** 65,535 bytes, the most a TCP message can be (RFC 1035 section 4.2.2): a query padded with junk, or a query with thousands of empty records. */
  static byte[] maxSize(SplittableRandom r, Shape s) {
    if (r.nextBoolean()) {
      byte[] out = Arrays.copyOf(s.wire(), MAX_MESSAGE);
      if (r.nextBoolean()) {
        for (int i = s.wire().length; i < out.length; i++) {
          out[i] = (byte) r.nextInt(256);
        }
      }
      return out;
    }
    Wire w = new Wire();
    int records = (MAX_MESSAGE - 12 - 5) / 11;
    QueryShapes.header(w, r, 1, 0, 0, records);
    w.u8(0).u16(r.nextBoolean() ? 1 : 2).u16(1);
    while (w.length() + 11 <= MAX_MESSAGE) {
      w.u8(0).u16(r.nextInt(4) == 0 ? QueryShapes.TYPE_OPT : 1).u16(1).u32(0).u16(0);
    }
    while (w.length() < MAX_MESSAGE) {
      w.u8(0);
    }
    return w.toArray();
  }

  /** Random bytes, with a header that asks (QR clear) half the time so they are not simply dropped. */
  static byte[] random(SplittableRandom r) {
    byte[] out = QueryShapes.random(r, 12 + r.nextInt(600));
    if (r.nextBoolean()) {
      out[2] &= 0x07;
      out[4] = 0;
      out[5] = 1;
    }
    return out;
  }

  /** Names at the limits of RFC 1035 section 2.3.4: 255 bytes, 256 and more, 63- and 64-byte labels, 127 labels. */
  static byte[] nameLimits(SplittableRandom r, QueryShapes shapes) {
    byte[][] name = switch (r.nextInt(5)) {
      case 0 -> filled(4, 63, 61); // 4 * 64 - 2 + 1 = 255 bytes: the longest name
      case 1 -> filled(4, 63, 62 + r.nextInt(2)); // 256 or 257 bytes
      case 2 -> filled(127, 1, 1); // 127 one-byte labels: 255 bytes
      case 3 -> filled(128 + r.nextInt(100), 1, 1); // too many labels
      default -> filled(1, 63, 63 + r.nextInt(2)); // a 63- or 64-byte label (64 is an extended label type)
    };
    return shapes.query(r, name, shapes.type(r), QueryShapes.dclass(r), r.nextBoolean()).wire();
  }

  /** Records a query should not carry, or odd ones it may: answers, an IXFR's SOA, TSIG (RFC 8945), junk RDATA. */
  static byte[] extraRecords(SplittableRandom r, QueryShapes shapes) {
    int an = r.nextInt(3);
    int ns = r.nextInt(3);
    int ar = r.nextInt(3);
    Wire w = new Wire();
    QueryShapes.header(w, r, 1, an, ns, ar);
    w.name(shapes.name(r)).u16(shapes.type(r)).u16(1);
    for (int i = 0; i < an + ns + ar; i++) {
      if (r.nextBoolean()) {
        w.pointer(12); // compressed, to the question name
      } else {
        w.name(shapes.name(r));
      }
      int type = switch (r.nextInt(4)) {
        case 0 -> 6; // SOA
        case 1 -> 250; // TSIG
        case 2 -> 24; // SIG, as SIG(0) uses it
        default -> shapes.type(r);
      };
      byte[] rdata = QueryShapes.random(r, r.nextInt(60));
      w.u16(type).u16(r.nextInt(10) == 0 ? 255 : 1).u32(r.nextInt()).u16(rdata.length).bytes(rdata);
    }
    return w.toArray();
  }

  /** AXFR, IXFR with the client's SOA (RFC 1995 section 3) and NOTIFY with the SOA (RFC 1996 section 3.7). */
  static byte[] transfer(SplittableRandom r) {
    Wire w = new Wire();
    int kind = r.nextInt(3);
    QueryShapes.header(w, r, 1, kind == 2 ? 1 : 0, kind == 1 ? 1 : 0, 0);
    if (kind == 2) {
      w.set16(2, 4 << 11 | 0x0400); // NOTIFY, AA
    }
    w.u8(0).u16(kind == 0 ? 252 : kind == 1 ? 251 : 6).u16(r.nextInt(10) == 0 ? 3 : 1);
    if (kind > 0) {
      long serial = r.nextBoolean() ? 2026073102L + r.nextInt(5) - 2 : r.nextLong() & 0xFFFFFFFFL;
      Wire rdata = new Wire().u8(0).u8(0).u32(serial).u32(1800).u32(900).u32(604800).u32(86400);
      w.u8(0).u16(6).u16(1).u32(86400).u16(rdata.length()).bytes(rdata.toArray());
    }
    return w.toArray();
  }

  /** The start of one query joined to the end of another. */
  static byte[] splice(SplittableRandom r, byte[] a, byte[] b) {
    int cut = r.nextInt(a.length + 1);
    int from = r.nextInt(b.length + 1);
    byte[] out = Arrays.copyOf(a, cut + b.length - from);
    System.arraycopy(b, from, out, cut, b.length - from);
    return out;
  }

  private static void rawOpt(Wire w, int payload, long ttl, byte[] rdata) {
    w.u8(0).u16(QueryShapes.TYPE_OPT).u16(payload).u32(ttl).u16(rdata.length).bytes(rdata);
  }

  /** {@code count} labels of {@code length} bytes, the last of {@code last} bytes. */
  private static byte[][] filled(int count, int length, int last) {
    byte[][] labels = new byte[count][];
    for (int i = 0; i < count; i++) {
      labels[i] = new byte[i == count - 1 ? last : length];
      Arrays.fill(labels[i], (byte) 'x');
    }
    return labels;
  }
}
