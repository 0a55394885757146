package org.rootmirror.sync.server.answer;

import java.util.Collection;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * A response's answer, authority and additional sections encoded in advance, so that answering
 * is a copy: the bytes, the record counts, and where the response may be cut short.
 *
 * <p>The sections were encoded to follow a question for one name (the <em>encoding name</em>,
 * for example {@code com.} for the referral to com), compressed against that name and against
 * each other. A question for a longer name that ends with the encoding name ({@code
 * www.example.com.}) moves every compression target by the same number of bytes, the difference
 * in length, because the encoding name is a suffix of the question name and everything else
 * follows the question: {@link #copyTo} adds that difference to each pointer, whose positions are
 * recorded. Pointers only point backwards, so any prefix that ends on a record boundary is a
 * valid message.
 *
 * <p>Where a response may be cut (RFC 2181 section 9: whole RRsets only): the answer, authority
 * and in-domain glue are required (RFC 9471 section 3: a referral without them is truncated);
 * the other additional RRsets are optional and sent while they fit, in order.
 */
public final class EncodedSections {
  private final byte[] body;
  private final int encodingNameLength;
  private final int answerCount;
  private final int authorityCount;
  private final int requiredLength;
  private final int requiredAdditional;
  private final int[] optionalEnds;
  private final int[] optionalCounts;
  private final int[] pointers;

  EncodedSections(byte[] body, int encodingNameLength, int answerCount, int authorityCount, int requiredLength,
      int requiredAdditional, int[] optionalEnds, int[] optionalCounts, int[] pointers) {
    this.body = body;
    this.encodingNameLength = encodingNameLength;
    this.answerCount = answerCount;
    this.authorityCount = authorityCount;
    this.requiredLength = requiredLength;
    this.requiredAdditional = requiredAdditional;
    this.optionalEnds = optionalEnds;
    this.optionalCounts = optionalCounts;
    this.pointers = pointers;
  }

  /**
   * The answer section {@code answer} encoded to follow a question for {@code question}, for
   * small answers made outside a table (CHAOS TXT).
   */
  public static EncodedSections of(Name question, List<Record> answer) {
    return SectionEncoder.encode(question, answer, List.of(), List.of(), List.of());
  }

  /**
   * The sections of one response encoded when it is asked for (a handler that does not
   * precompute), to follow a question for {@code question}: answer, authority and {@code
   * requiredAdditional} are sent whole or the response is truncated; each unit of {@code
   * optionalAdditional} (an RRset, RFC 2181 section 9) is sent while it fits, in order.
   */
  public static EncodedSections of(Name question, List<Record> answer, List<Record> authority,
      List<Record> requiredAdditional, List<? extends Collection<Record>> optionalAdditional) {
    return SectionEncoder.encode(question, answer, authority, requiredAdditional, optionalAdditional);
  }

  /**
   * How many optional additional RRsets fit in {@code room} bytes after the required sections,
   * or -1 when the required sections alone do not fit (the response must then be truncated).
   */
  public int fit(int room) {
    if (requiredLength > room) {
      return -1;
    }
    int optional = optionalEnds.length;
    while (optional > 0 && optionalEnds[optional - 1] > room) {
      optional--;
    }
    return optional;
  }

  /** The bytes sent with {@code optional} optional RRsets. */
  public int length(int optional) {
    return optional == 0 ? requiredLength : optionalEnds[optional - 1];
  }

  /** The whole encoding: every optional RRset included. */
  public int fullLength() {
    return body.length;
  }

  public int answerCount() {
    return answerCount;
  }

  public int authorityCount() {
    return authorityCount;
  }

  /** ARCOUNT with {@code optional} optional RRsets, not counting an OPT record. */
  public int additionalCount(int optional) {
    return requiredAdditional + (optional == 0 ? 0 : optionalCounts[optional - 1]);
  }

  /** The number of optional additional RRsets. */
  public int optionalRRsets() {
    return optionalEnds.length;
  }

  /** The wire length of the name these sections were encoded to follow. */
  public int encodingNameLength() {
    return encodingNameLength;
  }

  /**
   * Copies the sections, with {@code optional} optional RRsets, to {@code out} at {@code at},
   * which must directly follow a question whose name is {@code questionNameLength} bytes long and
   * ends with the encoding name (case aside) and which starts at offset 12.
   */
  public void copyTo(byte[] out, int at, int optional, int questionNameLength) {
    int length = length(optional);
    System.arraycopy(body, 0, out, at, length);
    int shift = questionNameLength - encodingNameLength;
    if (shift != 0) {
      for (int p : pointers) {
        if (p >= length) {
          break;
        }
        int target = (((out[at + p] & 0x3F) << 8) | (out[at + p + 1] & 0xFF)) + shift;
        out[at + p] = (byte) (0xC0 | (target >>> 8));
        out[at + p + 1] = (byte) target;
      }
    }
  }
}
