package org.rootmirror.sync.server.fuzz;

import java.util.Arrays;

/**
 * A growable byte array for writing DNS messages by hand (RFC 1035 section 4.1), so that the
 * fuzzer can write what no DNS library would: wrong counts, bad label lengths, stray pointers.
 */
final class Wire {
  private byte[] bytes = new byte[128];
  private int length;

  int length() {
    return length;
  }

  Wire u8(int v) {
    grow(1);
    bytes[length++] = (byte) v;
    return this;
  }

  Wire u16(int v) {
    return u8(v >>> 8).u8(v);
  }

  Wire u32(long v) {
    return u16((int) (v >>> 16)).u16((int) v);
  }

  Wire bytes(byte[] b) {
    grow(b.length);
    System.arraycopy(b, 0, bytes, length, b.length);
    length += b.length;
    return this;
  }

  /** Writes {@code labels} as length-prefixed labels and the root's zero byte, uncompressed. */
  Wire name(byte[][] labels) {
    for (byte[] label : labels) {
      u8(label.length).bytes(label);
    }
    return u8(0);
  }

  /** A compression pointer (RFC 1035 section 4.1.4) to {@code offset}. */
  Wire pointer(int offset) {
    return u16(0xC000 | (offset & 0x3FFF));
  }

  /** Overwrites the 16 bits at {@code at}, which must already be written. */
  Wire set16(int at, int v) {
    bytes[at] = (byte) (v >>> 8);
    bytes[at + 1] = (byte) v;
    return this;
  }

  byte[] toArray() {
    return Arrays.copyOf(bytes, length);
  }

  private void grow(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }
}
