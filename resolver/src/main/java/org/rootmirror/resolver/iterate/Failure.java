package org.rootmirror.resolver.iterate;

import java.util.List;
import org.xbill.DNS.RRset;

/** Why a resolution ends in SERVFAIL, as an RFC 8914 code and text. */
final class Failure extends Exception {
  final int ede;
  /** Whether some server did reply (with an error or lame), rather than none at all. */
  final boolean answered;
  /** The chain followed before a loop was found, shown to the client with the SERVFAIL. */
  final List<RRset> partial;

  Failure(int ede, String message) {
    this(ede, message, false);
  }

  Failure(int ede, String message, boolean answered) {
    this(ede, message, answered, List.of());
  }

  Failure(int ede, String message, boolean answered, List<RRset> partial) {
    super(message, null, false, false);
    this.ede = ede;
    this.answered = answered;
    this.partial = List.copyOf(partial);
  }
}
