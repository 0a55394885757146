package org.rootmirror.dnssec.validate;

import org.xbill.DNS.DNSSEC.Algorithm;

/**
 * The DNSSEC signing algorithms rootmirror validates. Those RFC 8624 section 3.1 says a validator
 * MUST (or is RECOMMENDED to) implement: 5 RSASHA1 and 7 RSASHA1-NSEC3-SHA1 ("MUST" validate: many
 * zones were still signed with them), 8 RSASHA256, 10 RSASHA512, 13 ECDSAP256SHA256, 14
 * ECDSAP384SHA384, 15 ED25519, 16 ED448. And 3 DSA and 6 DSA-NSEC3-SHA1, which RFC 8624 section
 * 3.1 says MUST NOT be validated: this follows Unbound (1.17) and BIND (9.18) as shipped, which
 * still validate them, so that a zone signed with DSA and broken is bogus as there, not insecure.
 * dnsjava verifies them through the JDK's SHA1withDSA (tested against it in SignaturesTest). A
 * zone signed only with any other algorithm is insecure to the resolver (RFC 4035 section 5.2),
 * never bogus.
 */
public final class Algorithms {
  private Algorithms() {}

  public static boolean supported(int algorithm) {
    return switch (algorithm) {
      case Algorithm.DSA, Algorithm.DSA_NSEC3_SHA1, Algorithm.RSASHA1, Algorithm.RSA_NSEC3_SHA1, Algorithm.RSASHA256,
          Algorithm.RSASHA512, Algorithm.ECDSAP256SHA256, Algorithm.ECDSAP384SHA384, Algorithm.ED25519, Algorithm.ED448 -> true;
      default -> false;
    };
  }
}
