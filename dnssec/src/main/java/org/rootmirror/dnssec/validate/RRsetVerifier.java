package org.rootmirror.dnssec.validate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/**
 * Checks the RRSIGs of one RRset against a set of keys at a given time (RFC 4035 section 5.3),
 * with {@link Signatures} doing the cryptography. Pure and thread-safe.
 */
final class RRsetVerifier {
  private final Name signer;
  private final Map<Integer, List<DNSKEYRecord>> keysByTag;
  private final Instant time;

  RRsetVerifier(Name signer, Collection<DNSKEYRecord> keys, Instant time) {
    this.signer = signer;
    this.keysByTag = keys.stream().collect(Collectors.groupingBy(DNSKEYRecord::getFootprint));
    this.time = time;
  }

  /** One signature that failed, and why. */
  record Failure(int keyTag, Reason reason, String detail) {
    @Override
    public String toString() {
      return "key " + keyTag + ": " + reason.label() + (detail.isEmpty() ? "" : " " + detail);
    }
  }

  /** The signature that verified (null if none) and the failures of those tried before it. */
  record Outcome(RRSIGRecord verified, List<Failure> failures) {
    boolean ok() {
      return verified != null;
    }
  }

  /** Tries the RRset's signatures in turn and stops at the first that verifies. */
  Outcome verify(RRset rrset) {
    List<Failure> failures = new ArrayList<>(1);
    for (RRSIGRecord sig : rrset.sigs()) {
      Failure f = check(rrset, sig);
      if (f == null) {
        return new Outcome(sig, failures);
      }
      failures.add(f);
    }
    return new Outcome(null, failures);
  }

  /** Null when {@code sig} verifies {@code rrset} with one of the keys, else why not. */
  Failure check(RRset rrset, RRSIGRecord sig) {
    int tag = sig.getFootprint();
    if (!Algorithms.supported(sig.getAlgorithm())) {
      return new Failure(tag, Reason.UNSUPPORTED_ALGORITHM, "algorithm " + sig.getAlgorithm());
    }
    if (!sig.getSigner().equals(signer)) {
      return new Failure(tag, Reason.BAD_RRSIG_FIELDS, "signer " + sig.getSigner() + ", expected " + signer);
    }
    // RFC 4034 section 3.1.3: the labels field counts the owner's labels less root and wildcard
    Name owner = sig.getName();
    int labels = owner.labels() - 1 - (owner.isWild() ? 1 : 0);
    if (sig.getLabels() != labels) {
      return new Failure(tag, Reason.BAD_RRSIG_FIELDS, "labels " + sig.getLabels() + ", owner has " + labels);
    }
    List<DNSKEYRecord> candidates = keysByTag.getOrDefault(tag, List.of());
    Failure last = new Failure(tag, Reason.NO_MATCHING_KEY, "algorithm " + sig.getAlgorithm());
    for (DNSKEYRecord key : candidates) {
      if (key.getAlgorithm() != sig.getAlgorithm()) {
        continue;
      }
      switch (Signatures.verify(rrset, sig, key, time)) {
        case VERIFIED -> {
          return null;
        }
        case EXPIRED -> {
          return new Failure(tag, Reason.EXPIRED, "at " + sig.getExpire() + ", validating at " + time);
        }
        case NOT_YET_VALID -> {
          return new Failure(tag, Reason.NOT_YET_VALID, "until " + sig.getTimeSigned() + ", validating at " + time);
        }
        // a key tag collision can make the first candidate the wrong key: keep trying
        case BAD_SIGNATURE, KEY_MISMATCH -> last = new Failure(tag, Reason.BAD_SIGNATURE, "");
      }
    }
    return last;
  }
}
