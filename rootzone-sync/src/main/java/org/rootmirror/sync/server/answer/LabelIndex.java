package org.rootmirror.sync.server.answer;

import java.util.List;

/**
 * Finds a top-level label among the zone's, case-insensitively (RFC 4343), straight from the
 * query's bytes: a hash probe for labels that exist, and for those that do not, where they fall
 * in canonical order (RFC 4034 section 6.1), which names the NSEC that covers them.
 */
final class LabelIndex {
  private final byte[][] labels;
  private final int[] slots;
  private final int mask;

  /** @param labels lower-case labels in canonical order, without their length byte */
  LabelIndex(List<byte[]> labels) {
    this.labels = labels.toArray(new byte[0][]);
    int size = Integer.highestOneBit(Math.max(4, this.labels.length * 3)) * 2;
    this.slots = new int[size];
    this.mask = size - 1;
    for (int i = 0; i < this.labels.length; i++) {
      byte[] label = this.labels[i];
      int slot = hash(label, 0, label.length) & mask;
      while (slots[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      slots[slot] = i + 1;
    }
  }

  int size() {
    return labels.length;
  }

  /**
   * The index of the label at {@code msg[offset..offset+length)}, or {@code -1 - gap} when it is
   * absent, where {@code gap} is how many labels sort before it: gap 0 lies between the apex and
   * the first label, gap {@code g} after label {@code g - 1}.
   */
  int find(byte[] msg, int offset, int length) {
    int slot = hash(msg, offset, length) & mask;
    for (int entry; (entry = slots[slot]) != 0; slot = (slot + 1) & mask) {
      byte[] label = labels[entry - 1];
      if (label.length == length && compare(msg, offset, length, label) == 0) {
        return entry - 1;
      }
    }
    int low = 0;
    int high = labels.length;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (compare(msg, offset, length, labels[mid]) > 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return -1 - low;
  }

  /** Canonical order of single labels: octets lower-cased and unsigned, a prefix first (RFC 4034 section 6.1). */
  static int compare(byte[] msg, int offset, int length, byte[] label) {
    int n = Math.min(length, label.length);
    for (int i = 0; i < n; i++) {
      int a = lower(msg[offset + i]);
      int b = label[i] & 0xFF;
      if (a != b) {
        return a - b;
      }
    }
    return length - label.length;
  }

  static int lower(byte b) {
    int c = b & 0xFF;
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
  }

  private static int hash(byte[] bytes, int offset, int length) {
    int h = 0;
    for (int i = 0; i < length; i++) {
      h = 31 * h + lower(bytes[offset + i]);
    }
    return h ^ (h >>> 16);
  }
}
