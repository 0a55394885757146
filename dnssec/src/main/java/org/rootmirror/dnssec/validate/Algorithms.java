package org.rootmirror.dnssec.validate;

import org.xbill.DNS.DNSSEC.Algorithm;

/**
 * The DNSSEC signing algorithms rootmirror validates: those RFC 8624 says to implement, less the
 * SHA-1 ones. 8 RSASHA256, 10 RSASHA512, 13 ECDSAP256SHA256, 14 ECDSAP384SHA384, 15 ED25519, 16 ED448.
 */
public final class Algorithms {
  private Algorithms() {}

  public static boolean supported(int algorithm) {
    return switch (algorithm) {
      case Algorithm.RSASHA256, Algorithm.RSASHA512, Algorithm.ECDSAP256SHA256, Algorithm.ECDSAP384SHA384,
          Algorithm.ED25519, Algorithm.ED448 -> true;
      default -> false;
    };
  }
}
