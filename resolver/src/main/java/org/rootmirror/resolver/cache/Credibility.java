package org.rootmirror.resolver.cache;

/**
 * Where cached data came from, ranked after RFC 2181 section 5.4.1 (lowest first): data from a
 * lower rank never replaces live data of a higher rank.
 *
 * <p>A simplification of the RFC's list: the resolver only caches data from authoritative
 * servers, so "answer section of an authoritative answer", "authority section of an authoritative
 * answer", "authority section" (of a referral) and "additional section" remain.
 */
public enum Credibility {
  /** The additional section, for example glue addresses. */
  ADDITIONAL,
  /** The authority section, for example the NS RRset of a referral. */
  AUTHORITY,
  /**
   * The authority section of an authoritative answer: a zone's own NS RRset as its servers give
   * it, which outranks the parent's copy in a referral.
   */
  AUTHORITATIVE_AUTHORITY,
  /** The answer section of an authoritative answer. */
  ANSWER;

  /** Whether data of this rank may replace live data of rank {@code other}. */
  public boolean mayReplace(Credibility other) {
    return compareTo(other) >= 0;
  }
}
