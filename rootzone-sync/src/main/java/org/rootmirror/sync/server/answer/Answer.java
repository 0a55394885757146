package org.rootmirror.sync.server.answer;

import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;

/**
 * What the zone says to one question (RFC 1034 section 4.3.2), precomputed: each case holds the
 * response prepared without DNSSEC records and with them, for queries that set DO (RFC 3225,
 * RFC 4035 section 3.2).
 */
public sealed interface Answer permits Answer.Authoritative, Answer.Referral, Answer.NoData, Answer.NameError {
  /** The response without DNSSEC records. */
  Prepared plain();

  /** The response with RRSIGs and NSEC proofs, for a query with the DO bit. */
  Prepared dnssec();

  /** The prepared response for a query with or without the DO bit. */
  default Prepared prepared(boolean dnssecOk) {
    return dnssecOk ? dnssec() : plain();
  }

  /** The response's RCODE: NXDOMAIN for a name error, NOERROR otherwise. */
  int rcode();

  /** Whether the AA bit is set: for everything but referrals (RFC 1034 section 4.3.2 step 3b). */
  boolean authoritative();

  /** Data the zone holds with authority: the apex RRsets, or a DS RRset from the parent side (RFC 4035 section 3.1.4.1). */
  record Authoritative(Name name, int type, Prepared plain, Prepared dnssec) implements Answer {
    public int rcode() {
      return Rcode.NOERROR;
    }

    public boolean authoritative() {
      return true;
    }
  }

  /**
   * A name at or below a delegation: its NS RRset in the authority section and glue in the
   * additional section; with DO also its DS RRset, or the NSEC that proves there is none (RFC
   * 4035 section 3.1.4).
   */
  record Referral(Name cut, Prepared plain, Prepared dnssec) implements Answer {
    public int rcode() {
      return Rcode.NOERROR;
    }

    public boolean authoritative() {
      return false;
    }
  }

  /**
   * The name exists but has no data of the type asked: the SOA in the authority section (RFC
   * 2308 section 2.2); with DO the NSEC of the name (RFC 4035 section 3.1.3.1).
   */
  record NoData(Name name, Prepared plain, Prepared dnssec) implements Answer {
    public int rcode() {
      return Rcode.NOERROR;
    }

    public boolean authoritative() {
      return true;
    }
  }

  /**
   * No such name: the SOA in the authority section (RFC 2308 section 2.1); with DO the NSEC that
   * covers the name and the NSEC that covers the wildcard at the closest encloser (RFC 4035
   * section 3.1.3.2), one record when the same NSEC covers both.
   *
   * @param covering the owner of the NSEC whose span holds the name
   */
  record NameError(Name covering, Prepared plain, Prepared dnssec) implements Answer {
    public int rcode() {
      return Rcode.NXDOMAIN;
    }

    public boolean authoritative() {
      return true;
    }
  }
}
