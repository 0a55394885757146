package org.rootmirror.resolver.cache;

import java.util.List;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * What a cached answer costs in heap, estimated from what it holds: the wire size of every record
 * plus a fixed overhead per record, per name in its RDATA, per RRset and per entry, for the Java
 * objects around the bytes (dnsjava's record, name and RDATA objects, the RRset's lists,
 * Caffeine's node, the key). The overheads are measured: docs/BENCHMARKS.md ("Issue 12: memory")
 * gives the heap taken per entry, for records parsed from the wire, next to this estimate, which
 * is at or above it for each kind of entry measured. Erring high is safe (the cache holds a little
 * less than it could); erring low would let it grow past its bound.
 */
final class EntryBytes {
  /** Per cache entry: Caffeine's node (expiry and frequency links), the key, the entry, its counters. */
  static final int ENTRY = 280;
  /** Per copy of an answer: the answer object and its list of RRsets. */
  static final int ANSWER = 40;
  /** Per RRset: the RRset and its two lists. */
  static final int RRSET = 88;
  /** Per record besides its wire form: the record object and its owner's name object. */
  static final int RECORD = 104;
  /** Per name in RDATA: the name object and its array. */
  static final int NAME = 64;
  /** Per other RDATA field held as an object (an address or key array, a list). */
  static final int FIELD = 32;

  private EntryBytes() {}

  /** An entry holding {@code answer} as stored. */
  static int stored(CachedAnswer answer) {
    return saturated(ENTRY + copy(answer));
  }

  /** One copy of {@code answer}'s records: what an entry adds once it keeps the copy it last served. */
  static int copy(CachedAnswer answer) {
    return saturated(ANSWER + rrsets(answer.rrsets()));
  }

  /** The heap the RRsets take, each with its RRSIGs. */
  static long rrsets(List<RRset> rrsets) {
    long bytes = 0;
    for (RRset set : rrsets) {
      bytes += rrset(set);
    }
    return bytes;
  }

  static long rrset(RRset set) {
    long bytes = RRSET;
    for (Record rr : set.rrs(false)) {
      bytes += record(rr);
    }
    for (Record sig : set.sigs()) {
      bytes += record(sig);
    }
    return bytes;
  }

  /** The record's uncompressed wire size (RFC 1035 section 4.1.3) and its objects. */
  static long record(Record rr) {
    long wire = rr.toWire(Section.ANSWER).length;
    return RECORD + wire + switch (rr) {
      // the signer's name, the two times, the signature array
      case RRSIGRecord s -> NAME + 3 * FIELD;
      // the next name, the type bitmap (a sorted set: an entry per type)
      case NSECRecord n -> NAME + FIELD + 48L * n.getTypes().length;
      case SOARecord s -> 2 * NAME + FIELD;
      case TXTRecord t -> FIELD + (long) FIELD * t.getStringsAsByteArrays().size();
      default -> rdataNames(rr.getType()) * NAME + FIELD;
    };
  }

  /** Names in the RDATA of the common types that hold one. */
  private static int rdataNames(int type) {
    return switch (type) {
      case Type.NS, Type.CNAME, Type.DNAME, Type.PTR, Type.MX, Type.SRV, Type.KX, Type.AFSDB, Type.RT -> 1;
      case Type.SVCB, Type.HTTPS, Type.NAPTR, Type.RP, Type.MINFO -> 2;
      default -> 0;
    };
  }

  private static int saturated(long bytes) {
    return (int) Math.min(Integer.MAX_VALUE, bytes);
  }
}
