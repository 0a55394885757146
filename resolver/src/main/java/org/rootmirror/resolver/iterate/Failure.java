package org.rootmirror.resolver.iterate;

/** Why a resolution ends in SERVFAIL, as an RFC 8914 code and text. */
final class Failure extends Exception {
  final int ede;
  /** Whether some server did reply (with an error or lame), rather than none at all. */
  final boolean answered;

  Failure(int ede, String message) {
    this(ede, message, false);
  }

  Failure(int ede, String message, boolean answered) {
    super(message, null, false, false);
    this.ede = ede;
    this.answered = answered;
  }
}
