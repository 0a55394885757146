package org.rootmirror.resolver.cache;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * What a cached answer costs in heap, estimated from what it holds: the wire size of every record
 * plus a fixed overhead per record, per RRset and per entry for the Java objects around the bytes
 * (dnsjava's record and name objects, the RRset's lists, Caffeine's node, the key). The overheads
 * are measured, not guessed: docs/BENCHMARKS.md ("issue 12: memory") gives the heap taken per
 * entry next to this estimate. Erring high is safe (the cache holds a little less than it could);
 * erring low would let it grow past its bound.
 */
final class EntryBytes {
  /** Per record besides its wire form: the record object, its owner {@link Name} and RDATA objects. */
  static final int RECORD = 112;
  /** Per RRset: the RRset and its two lists. */
  static final int RRSET = 72;
  /**
   * Per cache entry: Caffeine's node (with expiry and frequency links), the key and its canonical
   * name, the entry with its counters, the answer object.
   */
  static final int ENTRY = 240;

  private EntryBytes() {}

  /**
   * The heap {@code answer} takes in the cache, counting its records twice: once as stored and
   * once as last served (the copy with the TTL of the current second, which an entry keeps once
   * it has been hit).
   */
  static int of(CachedAnswer answer) {
    return (int) Math.min(Integer.MAX_VALUE, ENTRY + 2 * rrsets(answer.rrsets()));
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
    return RECORD + rr.toWire(Section.ANSWER).length;
  }
}
