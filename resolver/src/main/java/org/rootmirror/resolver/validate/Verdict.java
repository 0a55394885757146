package org.rootmirror.resolver.validate;

import org.xbill.DNS.ExtendedErrorCodeOption;

/**
 * What validation concluded about one part of an answer; BOGUS and LIMIT carry the Extended DNS
 * Error (RFC 8914) the client gets with its SERVFAIL.
 */
record Verdict(Kind kind, int code, String text) {
  /** Weakest last: a resolution is as strong as its weakest part (RFC 4035 section 5). */
  enum Kind { SECURE, INSECURE, BOGUS, LIMIT }

  static final Verdict SECURE = new Verdict(Kind.SECURE, -1, "");
  static final Verdict INSECURE = new Verdict(Kind.INSECURE, -1, "");

  static Verdict bogus(int code, String text) {
    return new Verdict(Kind.BOGUS, code, text);
  }

  /** The validation budget is spent (KeyTrap, CVE-2023-50387): a SERVFAIL, EDE 0 (Other). */
  static Verdict limit(String reason) {
    return new Verdict(Kind.LIMIT, ExtendedErrorCodeOption.OTHER, ValidatingResolver.LIMIT_TEXT + ": " + reason);
  }

  /** RFC 4035 section 5: the result is the weakest part, with LIMIT weakest of all. */
  Verdict and(Verdict other) {
    return other.kind.compareTo(kind) > 0 ? other : this;
  }

  boolean failed() {
    return kind == Kind.BOGUS || kind == Kind.LIMIT;
  }
}
