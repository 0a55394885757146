package org.rootmirror.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import org.rootmirror.dnssec.anchor.AnchorSignature;
import org.rootmirror.dnssec.anchor.TrustAnchor;
import org.rootmirror.dnssec.anchor.TrustAnchors;

/**
 * IANA's root-anchors.xml whose detached signature holds (RFC 9718 section 3), and what
 * {@code anchor verify} and {@code anchor update} share to get there: the CA file, the files
 * named on the command line, the check, and how an anchor is shown.
 */
record SignedAnchors(AnchorSignature.Verified signature, TrustAnchors anchors) {
  /**
   * Checks {@code p7s} over the exact bytes {@code xml} at {@code time}, then parses the XML.
   *
   * @throws AnchorSignature.Invalid naming the check that failed
   * @throws IllegalArgumentException when the signed XML is not a root-anchors file
   */
  static SignedAnchors check(AnchorSignature verifier, byte[] xml, byte[] p7s, Instant time, String source)
      throws AnchorSignature.Invalid {
    AnchorSignature.Verified verified = verifier.verify(xml, p7s, time);
    // parsed only once the signature holds: until then the XML is untrusted input
    return new SignedAnchors(verified, TrustAnchors.parseXml(xml, source));
  }

  /** The verifier for {@code --ca FILE}, or the ICANN Root CA built in when it is null. */
  static AnchorSignature verifier(Path ca) throws UsageError {
    if (ca == null) {
      return AnchorSignature.icannRootCa();
    }
    try {
      return AnchorSignature.trusting(read("--ca", ca));
    } catch (IllegalArgumentException e) {
      throw new UsageError("--ca " + ca + ": " + e.getMessage());
    }
  }

  /** The bytes of the file given to {@code option}. */
  static byte[] read(String option, Path file) throws UsageError {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new UsageError(option + " " + file + ": no such file");
    } catch (IOException e) {
      throw new UsageError(option + " " + file + ": cannot read: " + e);
    }
  }

  /** "signed by O=ICANN,CN=dnssec@iana.org,E=dnssec@iana.org on 2011-06-30T20:04:34Z". */
  String signedBy() {
    return "signed by " + signature.signerName() + signature.signingTime().map(t -> " on " + t).orElse("");
  }

  /** ". key tag 19036 algorithm 8 valid from 2010-07-15T00:00:00Z[ until ...]". */
  static String describe(TrustAnchor a) {
    return a.zone() + " key tag " + a.keyTag() + " algorithm " + a.algorithm() + " " + validity(a);
  }

  /** "valid from 2010-07-15T00:00:00Z[ until ...]". */
  static String validity(TrustAnchor a) {
    return "valid from " + a.validFrom() + (a.validUntil() == null ? "" : " until " + a.validUntil());
  }

  /** A file named on the command line that cannot be read, or a CA file that is not one. */
  static final class UsageError extends Exception {
    UsageError(String message) {
      super(message);
    }
  }
}
