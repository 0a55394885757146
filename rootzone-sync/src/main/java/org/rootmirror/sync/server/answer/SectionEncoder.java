package org.rootmirror.sync.server.answer;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * Encodes records into {@link EncodedSections} at build time, compressing names (RFC 1035
 * section 4.1.4) against the question name and earlier records, and recording where each
 * pointer went. Only owner names and the names in NS and SOA data are compressed: RFC 3597
 * section 4 forbids compression in the data of newer types, and the root zone has no other
 * RFC 1035 types.
 */
final class SectionEncoder {
  /** Highest offset a pointer may name, leaving room for a question name up to 255 bytes longer. */
  private static final int MAX_TARGET = 0x3FFF - 255;
  /** Header and the question's type and class around the question name (RFC 1035 section 4.1). */
  private static final int HEADER = 12;

  private final Map<Name, Integer> names = new HashMap<>();
  private final int encodingNameLength;
  private final int base;
  private byte[] buf = new byte[1024];
  private int pos;
  private int[] pointers = new int[32];
  private int pointerCount;

  private SectionEncoder(Name question) {
    encodingNameLength = question.length();
    base = HEADER + encodingNameLength + 4;
    for (int i = 0; i < question.labels() - 1; i++) {
      Name suffix = i == 0 ? question : new Name(question, i);
      names.put(suffix, HEADER + encodingNameLength - suffix.length());
    }
  }

  /**
   * Encodes the sections of a response to a question for {@code question}: the answer and
   * authority records, the additional records that must all fit, then the optional additional
   * RRsets (each a unit that is sent whole or not at all).
   */
  static EncodedSections encode(Name question, List<Record> answer, List<Record> authority,
      List<Record> requiredAdditional, List<? extends Collection<Record>> optionalAdditional) {
    SectionEncoder e = new SectionEncoder(question);
    answer.forEach(e::write);
    authority.forEach(e::write);
    requiredAdditional.forEach(e::write);
    int requiredLength = e.pos;
    int[] ends = new int[optionalAdditional.size()];
    int[] counts = new int[optionalAdditional.size()];
    int count = 0;
    for (int i = 0; i < ends.length; i++) {
      Collection<Record> unit = optionalAdditional.get(i);
      unit.forEach(e::write);
      count += unit.size();
      ends[i] = e.pos;
      counts[i] = count;
    }
    return new EncodedSections(Arrays.copyOf(e.buf, e.pos), e.encodingNameLength, answer.size(), authority.size(),
        requiredLength, requiredAdditional.size(), ends, counts, Arrays.copyOf(e.pointers, e.pointerCount));
  }

  private void write(Record r) {
    writeName(r.getName());
    u16(r.getType());
    u16(r.getDClass());
    u32(r.getTTL());
    int lengthAt = pos;
    u16(0);
    switch (r) {
      case NSRecord ns -> writeName(ns.getTarget());
      case SOARecord soa -> {
        writeName(soa.getHost());
        writeName(soa.getAdmin());
        u32(soa.getSerial());
        u32(soa.getRefresh());
        u32(soa.getRetry());
        u32(soa.getExpire());
        u32(soa.getMinimum());
      }
      default -> {
        // the record uncompressed, names in their case as read; its data follows owner, type, class, TTL, length
        byte[] wire = r.toWire(Section.ANSWER);
        int start = r.getName().length() + 10;
        bytes(wire, start, wire.length - start);
      }
    }
    int length = pos - lengthAt - 2;
    buf[lengthAt] = (byte) (length >>> 8);
    buf[lengthAt + 1] = (byte) length;
  }

  private void writeName(Name name) {
    byte[] wire = name.toWire();
    int at = 0;
    for (int i = 0; i < name.labels() - 1; i++) {
      Name suffix = i == 0 ? name : new Name(name, i);
      Integer target = names.get(suffix);
      if (target != null) {
        ensure(2);
        pointers = pointerCount == pointers.length ? Arrays.copyOf(pointers, pointerCount * 2) : pointers;
        pointers[pointerCount++] = pos;
        u16(0xC000 | target);
        return;
      }
      if (base + pos <= MAX_TARGET) {
        names.put(suffix, base + pos);
      }
      int labelLength = wire[at] + 1;
      bytes(wire, at, labelLength);
      at += labelLength;
    }
    ensure(1);
    buf[pos++] = 0;
  }

  private void u16(int v) {
    ensure(2);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  private void u32(long v) {
    ensure(4);
    buf[pos++] = (byte) (v >>> 24);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  private void bytes(byte[] src, int from, int length) {
    ensure(length);
    System.arraycopy(src, from, buf, pos, length);
    pos += length;
  }

  private void ensure(int more) {
    if (pos + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
    }
  }
}
