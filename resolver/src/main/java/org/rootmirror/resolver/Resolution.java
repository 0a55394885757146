package org.rootmirror.resolver;

import java.util.List;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;

/**
 * The outcome of resolving one question: the RCODE, the answer section (a CNAME/DNAME chain
 * included) and the authority section (SOA and denial proofs for negative answers), each RRset
 * with its RRSIGs; its DNSSEC status (RFC 4033 section 5); and, for a SERVFAIL, why, as an
 * Extended DNS Error (RFC 8914). The front end strips RRSIG/NSEC/NSEC3 for clients without DO.
 *
 * @param error null unless the resolver has something to say (always set with a SERVFAIL)
 */
public record Resolution(int rcode, List<RRset> answer, List<RRset> authority, SecurityStatus status, ExtendedErrorCodeOption error) {
  public Resolution {
    answer = List.copyOf(answer);
    authority = List.copyOf(authority);
  }

  /** A SERVFAIL with an Extended DNS Error (RFC 8914 section 4 names the codes). */
  public static Resolution servfail(int edeCode, String text) {
    return new Resolution(Rcode.SERVFAIL, List.of(), List.of(), SecurityStatus.INDETERMINATE, new ExtendedErrorCodeOption(edeCode, text));
  }

  /** The same data with another security status. */
  public Resolution withStatus(SecurityStatus newStatus) {
    return new Resolution(rcode, answer, authority, newStatus, error);
  }
}
