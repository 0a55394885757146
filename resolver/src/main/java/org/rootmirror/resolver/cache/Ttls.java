package org.rootmirror.resolver.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Copies of records and RRsets with another TTL (dnsjava keeps its TTL setter private). */
public final class Ttls {
  private Ttls() {}

  /** {@code rrset} with every record and signature at {@code ttl}; itself when they all are already. */
  public static RRset withTtl(RRset rrset, long ttl) {
    if (rrset.getTTL() == ttl && allHaveTtl(rrset, ttl)) {
      return rrset;
    }
    var copy = new RRset();
    for (Record rr : rrset.rrs(false)) {
      copy.addRR(withTtl(rr, ttl));
    }
    for (RRSIGRecord sig : rrset.sigs()) {
      copy.addRR((RRSIGRecord) withTtl(sig, ttl));
    }
    return copy;
  }

  private static boolean allHaveTtl(RRset rrset, long ttl) {
    for (Record rr : rrset.rrs(false)) {
      if (rr.getTTL() != ttl) {
        return false;
      }
    }
    for (Record sig : rrset.sigs()) {
      if (sig.getTTL() != ttl) {
        return false;
      }
    }
    return true;
  }

  /** Rewrites the TTL field of the uncompressed wire form, which keeps the RDATA's case. */
  static Record withTtl(Record rr, long ttl) {
    byte[] wire = rr.toWire(Section.ANSWER);
    int at = rr.getName().length() + 4; // owner, type, class, then the TTL (RFC 1035 section 4.1.3)
    wire[at] = (byte) (ttl >>> 24);
    wire[at + 1] = (byte) (ttl >>> 16);
    wire[at + 2] = (byte) (ttl >>> 8);
    wire[at + 3] = (byte) ttl;
    try {
      return Record.fromWire(wire, Section.ANSWER);
    } catch (IOException e) {
      throw new UncheckedIOException("re-reading a record dnsjava wrote: " + rr, e);
    }
  }
}
