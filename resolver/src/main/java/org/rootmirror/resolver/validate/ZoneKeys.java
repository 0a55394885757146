package org.rootmirror.resolver.validate;

import java.util.ArrayList;
import java.util.List;
import org.rootmirror.dnssec.anchor.TrustAnchor;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.rootmirror.resolver.validate.RRsetValidator.Outcome;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Key fetching (RFC 4035 section 5.2): the trusted DNSKEYs of a signer zone, asked through the keys
 * resolver so that they are validated once and cached; and the judgement of a DNSKEY RRset against
 * the DS of its zone or the trust anchors, never against the keys it is itself.
 */
final class ZoneKeys {
  /** The keys of a signer zone: trusted keys, a proven-insecure zone, or a failure. */
  sealed interface Keys {}

  record Trusted(List<DNSKEYRecord> keys) implements Keys {}

  record Insecure() implements Keys {}

  record Failed(Verdict verdict) implements Keys {}

  private final Check check;

  ZoneKeys(Check check) {
    this.check = check;
  }

  /** The trusted keys of {@code signer}, fetched through the keys resolver. */
  Keys of(Name signer) {
    Question q = new Question(signer, Type.DNSKEY, check.question.dclass());
    if (check.ctx.active.contains(q)) {
      return new Failed(check.loop("DNSKEY of " + signer));
    }
    Resolution r = check.fetch(q);
    if (r.rcode() == Rcode.SERVFAIL) {
      return new Failed(check.nested(r, ExtendedErrorCodeOption.DNSKEY_MISSING, "no valid DNSKEY for " + signer));
    }
    if (r.status() == SecurityStatus.INSECURE) {
      return new Insecure();
    }
    if (r.status() != SecurityStatus.SECURE) {
      return new Failed(Verdict.bogus(ExtendedErrorCodeOption.DNSKEY_MISSING,
          "the DNSKEY of " + signer + " is " + r.status()));
    }
    List<DNSKEYRecord> found = new ArrayList<>();
    for (RRset set : r.answer()) {
      if (set.getType() == Type.DNSKEY && set.getName().equals(signer)) {
        for (Record rec : set.rrs(false)) {
          found.add((DNSKEYRecord) rec);
        }
      }
    }
    if (found.isEmpty()) {
      return new Failed(Verdict.bogus(ExtendedErrorCodeOption.DNSKEY_MISSING,
          "DNSKEY missing: " + signer + " signs data but has no DNSKEY RRset"));
    }
    return new Trusted(found);
  }

  /**
   * A DNSKEY question's own answer (RFC 4035 section 5.2): trusted through the DS of the zone,
   * or the trust anchors, never through the keys being asked for.
   */
  Verdict keyset(RRset dnskeys) {
    Name zone = dnskeys.getName();
    return switch (check.chain.cut(zone)) {
      case ChainOfTrust.SignedCut signed -> {
        Verdict v = fromDs(dnskeys, signed.ds());
        if (zone.equals(Name.root) && v.equals(Verdict.SECURE)) {
          check.services.rootKeys().accept(dnskeys); // RFC 5011: the root's keys, validated from the anchors
        }
        yield v;
      }
      case ChainOfTrust.UnsignedCut u -> Verdict.INSECURE;
      case ChainOfTrust.CutFailed failed -> failed.verdict();
      case ChainOfTrust.NotACut n -> Verdict.bogus(ExtendedErrorCodeOption.DNSKEY_MISSING,
          "DNSKEY at " + zone + ", which is not a zone cut: no DS and no delegation");
      case ChainOfTrust.NoSuchName n -> Verdict.bogus(ExtendedErrorCodeOption.DNSKEY_MISSING,
          "DNSKEY at " + zone + ", a name its parent zone says does not exist");
    };
  }

  private Verdict fromDs(RRset dnskeys, List<DSRecord> ds) {
    Name zone = dnskeys.getName();
    Outcome outcome = check.services.rrsets().validateKeys(dnskeys, ds, check.now, check.ctx.budget);
    return switch (outcome) {
      case RRsetValidator.Secure s -> Verdict.SECURE;
      // RFC 4035 section 5.2: no DS with a supported algorithm is as no DS at all
      case RRsetValidator.Insecure i -> Verdict.INSECURE;
      case RRsetValidator.Bogus b -> Verdict.bogus(
          dsMatchesAKey(dnskeys, ds) ? check.bogusCode(dnskeys, zone) : ExtendedErrorCodeOption.DNSKEY_MISSING,
          "DNSKEY of " + zone + ": " + b.reason());
      case RRsetValidator.TooExpensive t -> check.limit(t.reason());
    };
  }

  /** Whether a DS names a zone key of the set: if not, the failure is a missing DNSKEY (EDE 9). */
  private static boolean dsMatchesAKey(RRset dnskeys, List<DSRecord> ds) {
    for (Record r : dnskeys.rrs(false)) {
      if (r instanceof DNSKEYRecord key && (key.getFlags() & DNSKEYRecord.Flags.ZONE_KEY) != 0
          && (key.getFlags() & DNSKEYRecord.Flags.REVOKE) == 0) {
        for (DSRecord d : ds) {
          if (TrustAnchor.supportedDigest(d.getDigestID()) && TrustAnchor.of(d).matches(key)) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
