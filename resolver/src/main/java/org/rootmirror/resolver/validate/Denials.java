package org.rootmirror.resolver.validate;

import java.util.ArrayList;
import java.util.List;
import org.rootmirror.resolver.validate.Verdict.Kind;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Denial of existence (RFC 4035 section 5.4, RFC 5155 section 8): NXDOMAIN and NODATA proven by
 * the signed NSEC/NSEC3 records of the authority section, and the proof that a wildcard answer's
 * name does not exist itself (RFC 4035 section 5.3.4).
 */
final class Denials {
  /** The validated NSEC and NSEC3 records of a zone in the authority section, and their verdict. */
  private record Proofs(Verdict verdict, List<NSECRecord> nsecs, List<NSEC3Record> nsec3s) {}

  private final Check check;

  Denials(Check check) {
    this.check = check;
  }

  /**
   * A negative answer (RFC 4035 section 5.4): the SOA and the NSEC/NSEC3 RRsets validated, then
   * what they prove about {@code last}, the end of the chain.
   */
  Verdict denial(Name last) {
    int qtype = check.question.type();
    if (check.services.points().closestFor(last, qtype, check.now) instanceof TrustPoints.Unanchored) {
      return Verdict.INSECURE; // RFC 4033 section 3, RFC 7646: nothing to check the proofs against
    }
    boolean nxdomain = check.received.rcode() == Rcode.NXDOMAIN;
    String denied = nxdomain ? last + " does not exist" : last + " has no " + Type.string(qtype);
    List<RRset> authority = check.received.authority();
    boolean anyProof = authority.stream().anyMatch(s -> s.getType() == Type.NSEC || s.getType() == Type.NSEC3);
    if (!anyProof) {
      return check.chain.unsigned(last, qtype, ExtendedErrorCodeOption.NSEC_MISSING,
          "NSEC missing: nothing proves that " + denied + " in signed zone ");
    }
    Verdict verdict = Verdict.SECURE;
    for (RRset set : authority) {
      if (set.getType() == Type.SOA) {
        verdict = verdict.and(check.rrset(set));
        if (verdict.failed()) {
          return verdict;
        }
      }
    }
    Name zone = proofZone(authority);
    Proofs proofs = proofs(zone);
    verdict = verdict.and(proofs.verdict);
    if (verdict.kind() != Kind.SECURE) {
      return verdict; // failed, or an insecure zone whose unsigned proofs prove nothing
    }
    if (!proofs.nsecs.isEmpty()) {
      NsecDenial.Result r = nxdomain
          ? NsecDenial.nameError(last, zone, proofs.nsecs)
          : NsecDenial.noData(last, qtype, proofs.nsecs);
      return r instanceof NsecDenial.NotProven np
          ? Verdict.bogus(ExtendedErrorCodeOption.NSEC_MISSING,
              "NSEC missing: nothing proves that " + denied + ": " + np.reason())
          : Verdict.SECURE;
    }
    Nsec3Denial.Result r = nxdomain
        ? check.services.nsec3().nameError(last, zone, proofs.nsec3s)
        : check.services.nsec3().noData(last, qtype, zone, proofs.nsec3s);
    return nsec3(r, denied);
  }

  /**
   * RFC 4035 section 5.3.4: a secure RRset whose RRSIG labels field is below its owner's label
   * count was expanded from a wildcard; it is secure only with a proof that the owner does not
   * exist, from the signer zone's NSEC or NSEC3 in the authority section. Those records stay in
   * the resolution's authority section, so that a client with DO gets them (RFC 4035 section
   * 3.1.3.3).
   */
  Verdict wildcard(RRset set, Name signer) {
    Name owner = set.getName();
    int ownerLabels = owner.labels() - 1 - (owner.isWild() ? 1 : 0);
    int labels = set.sigs().stream()
        .filter(s -> s.getSigner().equals(signer) && s.getTypeCovered() == set.getType())
        .mapToInt(RRSIGRecord::getLabels)
        .min().orElse(ownerLabels);
    if (labels >= ownerLabels) {
      return Verdict.SECURE;
    }
    Name encloser = new Name(owner, owner.labels() - 1 - labels);
    Proofs proofs = proofs(signer);
    if (proofs.verdict.kind() != Kind.SECURE) {
      return proofs.verdict.kind() == Kind.INSECURE
          ? bogusWildcard(owner, "its NSEC/NSEC3 records are not signed")
          : proofs.verdict;
    }
    if (!proofs.nsecs.isEmpty()) {
      NsecDenial.Result r = NsecDenial.wildcardAnswer(owner, encloser, proofs.nsecs);
      return r instanceof NsecDenial.NotProven np ? bogusWildcard(owner, np.reason()) : Verdict.SECURE;
    }
    if (!proofs.nsec3s.isEmpty()) {
      return nsec3(check.services.nsec3().wildcardAnswer(owner, encloser, signer, proofs.nsec3s),
          "wildcard answer " + owner);
    }
    return bogusWildcard(owner, "no NSEC or NSEC3 shows that no closer match exists");
  }

  private static Verdict bogusWildcard(Name owner, String reason) {
    return Verdict.bogus(ExtendedErrorCodeOption.NSEC_MISSING,
        "wildcard answer " + owner + " without proof that it does not exist: " + reason);
  }

  private Verdict nsec3(Nsec3Denial.Result result, String what) {
    return switch (result) {
      case Nsec3Denial.Proven p -> Verdict.SECURE;
      // RFC 9276 section 3.2 (iterations), RFC 5155 section 6 (opt-out): no proof either way
      case Nsec3Denial.Insecure i -> Verdict.INSECURE;
      case Nsec3Denial.NotProven n -> Verdict.bogus(ExtendedErrorCodeOption.NSEC_MISSING,
          "NSEC3 missing: nothing proves that " + what + ": " + n.reason());
      case Nsec3Denial.TooExpensive t -> check.limit(t.reason());
    };
  }

  /** The validated NSEC and NSEC3 records of the authority section that belong to {@code zone}. */
  private Proofs proofs(Name zone) {
    Verdict verdict = Verdict.SECURE;
    List<NSECRecord> nsecs = new ArrayList<>();
    List<NSEC3Record> nsec3s = new ArrayList<>();
    for (RRset set : check.received.authority()) {
      if ((set.getType() != Type.NSEC && set.getType() != Type.NSEC3)
          || (zone != null && !set.getName().subdomain(zone))) {
        continue;
      }
      verdict = verdict.and(check.rrset(set));
      if (verdict.failed()) {
        return new Proofs(verdict, List.of(), List.of());
      }
      for (Record r : set.rrs(false)) {
        if (r instanceof NSECRecord nsec) {
          nsecs.add(nsec);
        } else if (r instanceof NSEC3Record nsec3) {
          nsec3s.add(nsec3);
        }
      }
    }
    return new Proofs(verdict, nsecs, nsec3s);
  }

  /** The zone a negative answer comes from: its SOA's owner, else the signer of its proofs. */
  static Name proofZone(List<RRset> authority) {
    for (RRset set : authority) {
      if (set.getType() == Type.SOA) {
        return set.getName();
      }
    }
    for (RRset set : authority) {
      if ((set.getType() == Type.NSEC || set.getType() == Type.NSEC3) && !set.sigs().isEmpty()) {
        return set.sigs().get(0).getSigner();
      }
    }
    return null;
  }
}
