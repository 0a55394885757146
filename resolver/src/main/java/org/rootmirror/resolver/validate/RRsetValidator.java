package org.rootmirror.resolver.validate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.rootmirror.dnssec.anchor.TrustAnchor;
import org.rootmirror.dnssec.validate.Algorithms;
import org.rootmirror.dnssec.validate.Signatures;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * Signature checks for the resolver (RFC 4035 section 5.2 and 5.3): a DNSKEY RRset against the
 * DS that names it, and any RRset against keys already trusted. Pure: no network, no cache; the
 * caller supplies the time.
 *
 * <p>Bounded against validation denial of service (KeyTrap, CVE-2023-50387): a zone can publish
 * many keys with one key tag and many signatures, so that a naive validator tries every key with
 * every signature. As Unbound's fix does, this class caps the keys tried per signature and the
 * verifications per RRset (answering bogus past the cap), and charges every verification to a
 * per-resolution {@link ValidationBudget} (answering {@link TooExpensive} when it is spent).
 */
public final class RRsetValidator {
  /**
   * 8 verifications per RRset: an honest RRset has one signature per algorithm and, during a
   * rollover, per key, so two or three verifications suffice; 8 leaves room for tag collisions
   * among honest keys while bounding an attacker's RRset to 8 verifications.
   */
  public static final int DEFAULT_VERIFICATIONS_PER_RRSET = 8;

  /**
   * 4 keys tried per signature: two keys of one zone share a tag with probability about 1/65536
   * per pair, so honest zones need one or two; more is a sign of forged collisions.
   */
  public static final int DEFAULT_KEYS_PER_SIGNATURE = 4;

  private final int verificationsPerRRset;
  private final int keysPerSignature;
  private final AtomicLong verifications = new AtomicLong();

  /** A validator with the default limits. */
  public RRsetValidator() {
    this(DEFAULT_VERIFICATIONS_PER_RRSET, DEFAULT_KEYS_PER_SIGNATURE);
  }

  public RRsetValidator(int verificationsPerRRset, int keysPerSignature) {
    if (verificationsPerRRset < 1 || keysPerSignature < 1) {
      throw new IllegalArgumentException(
          "limits must be positive: " + verificationsPerRRset + " per RRset, " + keysPerSignature + " keys per signature");
    }
    this.verificationsPerRRset = verificationsPerRRset;
    this.keysPerSignature = keysPerSignature;
  }

  /** The result of a check; the reasons are fit for an Extended DNS Error text (RFC 8914). */
  public sealed interface Outcome permits Secure, Bogus, Insecure, TooExpensive {
    default boolean secure() {
      return this instanceof Secure;
    }
  }

  /** Verified: {@code keys} are the keys now trusted (or the one that signed), good until {@code expires}. */
  public record Secure(List<DNSKEYRecord> keys, Instant expires) implements Outcome {
    public Secure {
      keys = List.copyOf(keys);
      Objects.requireNonNull(expires);
    }
  }

  /** Should have verified and did not (RFC 4035 section 4.3). */
  public record Bogus(String reason) implements Outcome {
    public Bogus {
      Objects.requireNonNull(reason);
    }
  }

  /** Cannot be validated and need not be: no DS the resolver can use (RFC 4035 section 5.2). */
  public record Insecure(String reason) implements Outcome {
    public Insecure {
      Objects.requireNonNull(reason);
    }
  }

  /** The resolution's {@link ValidationBudget} is spent; the resolver answers SERVFAIL. */
  public record TooExpensive(String reason) implements Outcome {
    public TooExpensive {
      Objects.requireNonNull(reason);
    }
  }

  /** {@link #validateKeys(RRset, List, Instant, ValidationBudget)} with a fresh per-resolution budget. */
  public Outcome validateKeys(RRset dnskeys, List<DSRecord> trustedDs, Instant now) {
    return validateKeys(dnskeys, trustedDs, now, ValidationBudget.perResolution());
  }

  /**
   * Whether the DNSKEY RRset {@code dnskeys} is secure given the trusted DS set of its zone (RFC
   * 4035 section 5.2): a zone key (flag bit 7), not revoked (RFC 5011), that a DS of digest type 1,
   * 2 or 4 names (SHA-1 only when no stronger DS is there, RFC 4509 section 3), signed the RRset with an RRSIG valid at {@code now}. Secure lists every zone key
   * of the set that is not revoked and has a supported algorithm. DS records with unsupported
   * algorithms or digests are ignored; when none remains, the zone is Insecure.
   */
  public Outcome validateKeys(RRset dnskeys, List<DSRecord> trustedDs, Instant now, ValidationBudget budget) {
    Name zone = dnskeys.getName();
    if (dnskeys.getType() != Type.DNSKEY) {
      return new Bogus("expected a DNSKEY RRset, got " + Type.string(dnskeys.getType()) + " at " + zone);
    }
    List<DSRecord> supported = trustedDs.stream()
        .filter(ds -> ds.getName().equals(zone))
        .filter(ds -> Algorithms.supported(ds.getAlgorithm()) && TrustAnchor.supportedDigest(ds.getDigestID()))
        .toList();
    // RFC 4509 section 3: with a SHA-256 (or SHA-384) DS present, SHA-1 ones are ignored, so that
    // a weak digest cannot stand in for a strong one; Unbound does the same
    boolean strong = supported.stream().anyMatch(ds -> ds.getDigestID() != DNSSEC.Digest.SHA1);
    List<TrustAnchor> usable = supported.stream()
        .filter(ds -> !strong || ds.getDigestID() != DNSSEC.Digest.SHA1)
        .map(TrustAnchor::of)
        .toList();
    if (usable.isEmpty()) {
      return new Insecure(trustedDs.isEmpty()
          ? "no DS for " + zone
          : "no DS for " + zone + " with a supported algorithm and digest type");
    }
    List<DNSKEYRecord> entry = new ArrayList<>();
    boolean revokedMatch = false;
    for (var r : dnskeys.rrs(false)) {
      if (r instanceof DNSKEYRecord key && usable.stream().anyMatch(a -> a.matches(key))) {
        if (revoked(key)) {
          revokedMatch = true;
        } else if (zoneKey(key)) {
          entry.add(key);
        }
      }
    }
    if (entry.isEmpty()) {
      return new Bogus(revokedMatch
          ? "the DNSKEY of " + zone + " that the DS names is revoked"
          : "no zone key of " + zone + " matches its DS");
    }
    Outcome outcome = verify(dnskeys, entry, zone, now, budget);
    if (outcome instanceof Secure secure) {
      List<DNSKEYRecord> trusted = dnskeys.rrs(false).stream()
          .filter(DNSKEYRecord.class::isInstance)
          .map(DNSKEYRecord.class::cast)
          .filter(k -> zoneKey(k) && !revoked(k) && Algorithms.supported(k.getAlgorithm()))
          .toList();
      return new Secure(trusted, secure.expires());
    }
    return outcome;
  }

  /** {@link #validate(RRset, List, Name, Instant, ValidationBudget)} with a fresh per-resolution budget. */
  public Outcome validate(RRset rrset, List<DNSKEYRecord> trustedKeys, Name signer, Instant now) {
    return validate(rrset, trustedKeys, signer, now, ValidationBudget.perResolution());
  }

  /**
   * Whether {@code rrset} is secure (RFC 4035 section 5.3): one RRSIG by {@code signer} verifies
   * with a trusted key of its tag and algorithm and is valid at {@code now}. Secure names the key
   * that verified and the signature's expiration.
   */
  public Outcome validate(RRset rrset, List<DNSKEYRecord> trustedKeys, Name signer, Instant now, ValidationBudget budget) {
    List<DNSKEYRecord> keys = trustedKeys.stream()
        .filter(k -> k.getName().equals(signer) && zoneKey(k) && !revoked(k))
        .toList();
    return verify(rrset, keys, signer, now, budget);
  }

  /** Verifications attempted by this validator since it was made; for tests and metrics. */
  public long verifications() {
    return verifications.get();
  }

  private Outcome verify(RRset rrset, List<DNSKEYRecord> keys, Name signer, Instant now, ValidationBudget budget) {
    String what = rrset.getName() + " " + Type.string(rrset.getType());
    Set<String> failures = new LinkedHashSet<>();
    int tried = 0;
    for (RRSIGRecord sig : rrset.sigs()) {
      if (!sig.getSigner().equals(signer) || sig.getTypeCovered() != rrset.getType()) {
        continue;
      }
      int tag = sig.getFootprint();
      if (!Algorithms.supported(sig.getAlgorithm())) {
        failures.add("RRSIG by key " + tag + " has unsupported algorithm " + sig.getAlgorithm());
        continue;
      }
      List<DNSKEYRecord> candidates = keys.stream()
          .filter(k -> k.getFootprint() == tag && k.getAlgorithm() == sig.getAlgorithm())
          .toList();
      if (candidates.isEmpty()) {
        failures.add("no key for tag " + tag);
        continue;
      }
      // RFC 4035 section 5.3.1: the validity window; checked before the costly verification
      if (now.isBefore(sig.getTimeSigned())) {
        failures.add("RRSIG by key " + tag + " not yet valid (inception " + sig.getTimeSigned() + ")");
        continue;
      }
      if (now.isAfter(sig.getExpire())) {
        failures.add("RRSIG by key " + tag + " expired (expiration " + sig.getExpire() + ")");
        continue;
      }
      if (candidates.size() > keysPerSignature) {
        failures.add(candidates.size() + " keys share tag " + tag + "; tried " + keysPerSignature);
        candidates = candidates.subList(0, keysPerSignature);
      }
      for (DNSKEYRecord key : candidates) {
        if (tried == verificationsPerRRset) {
          return new Bogus("gave up on " + what + " after " + tried + " signature verifications: "
              + String.join("; ", failures));
        }
        if (!budget.tryConsume()) {
          return new TooExpensive("validation budget of " + budget.limit() + " verifications spent at " + what);
        }
        tried++;
        verifications.incrementAndGet();
        if (Signatures.verify(rrset, sig, key, now) == Signatures.Result.VERIFIED) {
          return new Secure(List.of(key), sig.getExpire());
        }
        failures.add("bad signature by key " + tag);
        if (!budget.recordFailure()) {
          return new TooExpensive("validation budget of " + budget.failureLimit() + " failed verifications spent at " + what);
        }
      }
    }
    if (failures.isEmpty()) {
      return new Bogus("no signature by " + signer + " over " + what);
    }
    return new Bogus(what + ": " + String.join("; ", failures));
  }

  private static boolean zoneKey(DNSKEYRecord key) {
    return (key.getFlags() & DNSKEYRecord.Flags.ZONE_KEY) != 0;
  }

  private static boolean revoked(DNSKEYRecord key) {
    return (key.getFlags() & DNSKEYRecord.Flags.REVOKE) != 0;
  }
}
