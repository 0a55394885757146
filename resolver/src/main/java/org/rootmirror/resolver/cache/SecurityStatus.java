package org.rootmirror.resolver.cache;

/**
 * The DNSSEC security status of cached data, in the words of RFC 4033 section 5.
 *
 * <p>Defined here until the resolver's validation package owns it.
 */
public enum SecurityStatus {
  /** "An RRset for which the resolver is able to build a chain of signed DNSKEY and DS RRs
   * from a trusted security anchor to the RRset." */
  SECURE,
  /** "An RRset for which the resolver knows that it has no chain of signed DNSKEY and DS RRs
   * from any trusted starting point to the RRset." */
  INSECURE,
  /** "An RRset for which the resolver believes that it ought to be able to establish a chain of
   * trust but for which it is unable to do so." */
  BOGUS,
  /** "An RRset for which the resolver is not able to determine whether the RRset should be
   * signed", for example because no trust anchor covers it. */
  INDETERMINATE
}
