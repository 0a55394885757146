package org.rootmirror.sync.server.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Well-formed queries with every field drawn at random, the seeds that {@link Mutations} start
 * from: a name the server knows (or a random label above one, or random labels alone), any type,
 * mostly class IN, and in most queries an OPT record (RFC 6891 section 6.1.2) with a random
 * payload size, DO bit and options (cookies of the lengths RFC 7873 section 4 allows, NSID,
 * client subnet, padding, unknown codes).
 */
final class QueryShapes {
  /** A query and where its parts are: the question name ends at {@code qnameEnd}; the OPT record starts at {@code optAt}, or -1. */
  record Shape(byte[] wire, int qnameEnd, int optAt) {}

  static final int TYPE_OPT = 41;
  private static final int[] TYPES = {1, 2, 5, 6, 12, 15, 16, 28, 33, 39, 43, 46, 47, 48, 50, 51, 52, 59, 63, 64, 65, 257,
      255, 252, 251, 250, 249, 253, 254, 41, 0, 65535, 99, 32768};
  private static final int[] CLASSES = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 3, 4, 254, 255, 0, 2, 65535};
  private static final int[] PAYLOADS = {0, 1, 511, 512, 513, 1024, 1232, 1400, 1452, 4096, 65535};
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";

  private final List<byte[][]> names = new ArrayList<>();

  /** @param names names the server under test knows, such as {@code "com."} or {@code "version.bind."} */
  QueryShapes(List<String> names) {
    for (String name : names) {
      this.names.add(labels(name));
    }
    this.names.add(new byte[0][]);
  }

  /** A query with a random ID, RD usually set, one question and, mostly, an OPT record. */
  Shape query(SplittableRandom r) {
    return query(r, name(r), type(r), dclass(r), r.nextInt(10) < 7);
  }

  Shape query(SplittableRandom r, byte[][] qname, int qtype, int qclass, boolean edns) {
    Wire w = new Wire();
    header(w, r, 1, 0, 0, edns ? 1 : 0);
    w.name(qname);
    int qnameEnd = w.length();
    w.u16(qtype).u16(qclass);
    int optAt = -1;
    if (edns) {
      optAt = w.length();
      opt(w, r, optionsRdata(r));
    }
    return new Shape(w.toArray(), qnameEnd, optAt);
  }

  /** A header: random ID, opcode QUERY, RD mostly set, CD and AD now and then (RFC 1035 section 4.1.1). */
  static void header(Wire w, SplittableRandom r, int qd, int an, int ns, int ar) {
    int flags = r.nextInt(10) < 8 ? 0x0100 : 0;
    if (r.nextInt(10) == 0) {
      flags |= 0x0010; // CD
    }
    if (r.nextInt(10) == 0) {
      flags |= 0x0020; // AD
    }
    w.u16(r.nextInt(0x10000)).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
  }

  /** An OPT record owned by the root: payload size, extended RCODE 0, version 0, DO at random. */
  static void opt(Wire w, SplittableRandom r, byte[] rdata) {
    int payload = r.nextInt(5) == 0 ? r.nextInt(0x10000) : PAYLOADS[r.nextInt(PAYLOADS.length)];
    long ttl = r.nextBoolean() ? 0x8000 : 0; // DO
    w.u8(0).u16(TYPE_OPT).u16(payload).u32(ttl).u16(rdata.length).bytes(rdata);
  }

  /** Zero to three EDNS options (RFC 6891 section 6.1.2), each well-formed. */
  static byte[] optionsRdata(SplittableRandom r) {
    Wire w = new Wire();
    int count = r.nextInt(4);
    for (int i = 0; i < count; i++) {
      switch (r.nextInt(7)) {
        case 0 -> option(w, 10, random(r, 8)); // COOKIE, client only
        case 1 -> option(w, 10, random(r, 16 + r.nextInt(25))); // COOKIE, client and server
        case 2 -> option(w, 3, new byte[0]); // NSID
        case 3 -> option(w, 8, new byte[] {0, 1, 24, 0, (byte) 192, 0, 2}); // client subnet 192.0.2.0/24
        case 4 -> option(w, 12, new byte[r.nextInt(128)]); // padding
        case 5 -> option(w, 11, new byte[0]); // TCP keepalive
        default -> option(w, 0xFDE9 + r.nextInt(20), random(r, r.nextInt(40))); // local or unknown
      }
    }
    return w.toArray();
  }

  static void option(Wire w, int code, byte[] data) {
    w.u16(code).u16(data.length).bytes(data);
  }

  byte[][] name(SplittableRandom r) {
    byte[][] known = names.get(r.nextInt(names.size()));
    byte[][] name = switch (r.nextInt(8)) {
      case 0, 1, 2 -> known;
      case 3, 4 -> concat(randomLabels(r, 1 + r.nextInt(2)), known);
      case 5, 6 -> longUnder(r, known);
      default -> randomLabels(r, 1 + r.nextInt(4));
    };
    return r.nextInt(4) == 0 ? mixCase(r, name) : name;
  }

  int type(SplittableRandom r) {
    return r.nextInt(6) == 0 ? r.nextInt(0x10000) : TYPES[r.nextInt(TYPES.length)];
  }

  static int dclass(SplittableRandom r) {
    return r.nextInt(20) == 0 ? r.nextInt(0x10000) : CLASSES[r.nextInt(CLASSES.length)];
  }

  /** Random labels above {@code known} up to a name of 240 to 255 bytes (RFC 1035 section 2.3.4): the longest names a zone may answer for. */
  private static byte[][] longUnder(SplittableRandom r, byte[][] known) {
    int length = 1;
    for (byte[] label : known) {
      length += label.length + 1;
    }
    int target = 240 + r.nextInt(16);
    List<byte[]> labels = new ArrayList<>();
    while (target - length >= 2) {
      int size = Math.min(63, target - length - 1);
      size = r.nextBoolean() ? size : 1 + r.nextInt(size);
      labels.add(r.nextInt(3) == 0 ? random(r, size) : letters(r, size));
      length += size + 1;
    }
    return concat(labels.toArray(new byte[0][]), known);
  }

  private static byte[] letters(SplittableRandom r, int length) {
    byte[] label = new byte[length];
    for (int j = 0; j < length; j++) {
      label[j] = (byte) LETTERS.charAt(r.nextInt(LETTERS.length()));
    }
    return label;
  }

  /** Labels of letters, digits and hyphens, now and then of any byte at all, or 63 long (RFC 1035 section 2.3.4). */
  static byte[][] randomLabels(SplittableRandom r, int count) {
    byte[][] labels = new byte[count][];
    for (int i = 0; i < count; i++) {
      int length = r.nextInt(12) == 0 ? 63 : 1 + r.nextInt(20);
      if (r.nextInt(8) == 0) {
        labels[i] = random(r, length);
      } else {
        labels[i] = letters(r, length);
      }
    }
    return labels;
  }

  static byte[] random(SplittableRandom r, int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) r.nextInt(256);
    }
    return b;
  }

  static byte[][] labels(String name) {
    if (name.equals(".")) {
      return new byte[0][];
    }
    String[] parts = (name.endsWith(".") ? name.substring(0, name.length() - 1) : name).split("\\.");
    byte[][] labels = new byte[parts.length][];
    for (int i = 0; i < parts.length; i++) {
      labels[i] = parts[i].getBytes(StandardCharsets.US_ASCII);
    }
    return labels;
  }

  static byte[][] concat(byte[][] a, byte[][] b) {
    byte[][] out = new byte[a.length + b.length][];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** The same name with letters in random case (RFC 4343: case does not matter, but is kept). */
  private static byte[][] mixCase(SplittableRandom r, byte[][] name) {
    byte[][] out = new byte[name.length][];
    for (int i = 0; i < name.length; i++) {
      out[i] = name[i].clone();
      for (int j = 0; j < out[i].length; j++) {
        byte b = out[i][j];
        if (Character.isLetter(b) && b < 128 && r.nextBoolean()) {
          out[i][j] = (byte) (b ^ 0x20);
        }
      }
    }
    return out;
  }
}
