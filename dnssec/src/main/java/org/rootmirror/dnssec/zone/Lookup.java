package org.rootmirror.dnssec.zone;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;

/**
 * What one zone says to one question (RFC 1034 section 4.3.2, with RFC 4035 section 3.1 for the
 * DNSSEC records), as RRsets for the three sections of a response. RRsets carry their RRSIGs only
 * when the question was asked with DO; without DO no RRSIG, NSEC or NSEC3 appears anywhere.
 *
 * <p>CNAME and DNAME chains are followed inside the zone (RFC 1034 section 4.3.2 step 3a, RFC
 * 6672 section 3.2): the answer section then holds the chain, and the case is the one reached at
 * its end (for example a {@link NameError} whose answer section holds the CNAMEs, RFC 6604).
 */
public sealed interface Lookup permits Lookup.Answer, Lookup.Referral, Lookup.NoData, Lookup.NameError {
  List<RRset> answer();

  List<RRset> authority();

  List<RRset> additional();

  /** NXDOMAIN for a name error, NOERROR otherwise. */
  default int rcode() {
    return this instanceof NameError ? Rcode.NXDOMAIN : Rcode.NOERROR;
  }

  /** Whether the AA bit is set: for everything but a referral (RFC 1034 section 4.3.2 step 3b). */
  default boolean authoritative() {
    return !(this instanceof Referral);
  }

  /**
   * Data of the type asked (possibly at the end of a CNAME/DNAME chain, possibly synthesised
   * from a wildcard, in which case the authority section holds, with DO, the NSEC or NSEC3 that
   * proves no closer match exists, RFC 4035 section 3.1.3.3). Also a CNAME chain that leaves the
   * zone: the answer section then ends with the CNAME whose target is elsewhere.
   */
  record Answer(List<RRset> answer, List<RRset> authority, List<RRset> additional) implements Lookup {
    public Answer {
      answer = List.copyOf(answer);
      authority = List.copyOf(authority);
      additional = List.copyOf(additional);
    }
  }

  /**
   * A name at or below a zone cut: the cut's NS RRset in the authority section and glue for NS
   * names at or below the cut in the additional section; with DO also the DS RRset, or the NSEC /
   * NSEC3 that proves there is none (RFC 4035 section 3.1.4). A DS question for the cut itself is
   * not a referral: it is answered from this (parent) side.
   */
  record Referral(Name cut, List<RRset> answer, List<RRset> authority, List<RRset> additional) implements Lookup {
    public Referral {
      answer = List.copyOf(answer);
      authority = List.copyOf(authority);
      additional = List.copyOf(additional);
    }
  }

  /**
   * The name exists (possibly as an empty non-terminal, or through a wildcard) but has no data of
   * the type asked: the SOA in the authority section (RFC 2308 section 2.2), with DO the proof
   * (RFC 4035 section 3.1.3.1 and 3.1.3.4; RFC 5155 section 7.2.3 to 7.2.5).
   */
  record NoData(List<RRset> answer, List<RRset> authority, List<RRset> additional) implements Lookup {
    public NoData {
      answer = List.copyOf(answer);
      authority = List.copyOf(authority);
      additional = List.copyOf(additional);
    }
  }

  /**
   * No such name: the SOA in the authority section (RFC 2308 section 2.1); with DO the NSEC
   * records covering the name and the wildcard (RFC 4035 section 3.1.3.2), or the NSEC3 closest
   * encloser proof (RFC 5155 section 7.2.2).
   */
  record NameError(List<RRset> answer, List<RRset> authority, List<RRset> additional) implements Lookup {
    public NameError {
      answer = List.copyOf(answer);
      authority = List.copyOf(authority);
      additional = List.copyOf(additional);
    }
  }
}
