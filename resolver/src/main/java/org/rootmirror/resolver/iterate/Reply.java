package org.rootmirror.resolver.iterate;

import java.util.List;
import org.rootmirror.dnssec.zone.Lookup;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/** A response reduced to what may be believed (after {@link Bailiwick}), as RRsets. */
record Reply(int rcode, boolean authoritative, List<RRset> answer, List<RRset> authority, List<RRset> additional) {
  /** A lookup in the local root copy as a reply. */
  static Reply of(Lookup lookup) {
    return new Reply(lookup.rcode(), lookup.authoritative(), lookup.answer(), lookup.authority(), lookup.additional());
  }

  boolean hasAuthority(int type) {
    return authority.stream().anyMatch(s -> s.getType() == type);
  }

  /** Denial records (RFC 4035 section 3.1.3, RFC 5155 section 7.2) in the authority section. */
  boolean hasProof() {
    return authority.stream().anyMatch(s -> proof(s.getType()));
  }

  /** Denial records: kept for the validator (negative answers, and wildcard expansions, RFC 4035 section 5.3.4). */
  static boolean proof(int type) {
    return type == Type.NSEC || type == Type.NSEC3;
  }
}
