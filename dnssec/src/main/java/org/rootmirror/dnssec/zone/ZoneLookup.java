package org.rootmirror.dnssec.zone;

import org.xbill.DNS.Name;

/**
 * Answers questions from one immutable {@link Zone} the way an authoritative server does (RFC
 * 1034 section 4.3.2, RFC 4592 wildcards, RFC 6672 DNAME, RFC 4035 section 3.1 and RFC 5155
 * section 7.2 for DNSSEC). Pure: no I/O, no clock; safe to share between threads. Indexes built
 * in the constructor (NSEC3 hashes when the zone has an NSEC3PARAM).
 */
public final class ZoneLookup {
  private final Zone zone;

  public ZoneLookup(Zone zone) {
    this.zone = zone;
  }

  public Zone zone() {
    return zone;
  }

  /**
   * What the zone says to {@code qname}/{@code qtype} (class IN).
   *
   * @param dnssecOk whether the question set DO: include RRSIGs and denial proofs
   * @throws IllegalArgumentException when {@code qname} is not at or below the zone's origin
   */
  public Lookup lookup(Name qname, int qtype, boolean dnssecOk) {
    throw new UnsupportedOperationException("not written yet");
  }
}
