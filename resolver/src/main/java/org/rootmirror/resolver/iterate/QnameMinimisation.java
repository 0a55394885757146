package org.rootmirror.resolver.iterate;

/**
 * How much of the query name the iterator shows each zone's servers (RFC 9156); Unbound's
 * qname-minimisation and qname-minimisation-strict.
 */
public enum QnameMinimisation {
  /**
   * Minimised, but a minimised question that fails (no answer, an error RCODE) or that gets an
   * NXDOMAIN without a signed denial is asked again with the whole name, since some servers get
   * empty non-terminals wrong (RFC 9156 section 2.3). Unbound's default.
   */
  RELAXED,
  /** Minimised, and never the whole name before the zone that holds it: no fallback. */
  STRICT,
  /** The whole question at every zone cut, as before RFC 7816. */
  OFF
}
