package org.rootmirror.resolver.validate;

import java.util.ArrayList;
import java.util.List;
import org.rootmirror.dnssec.anchor.TrustAnchor;
import org.rootmirror.dnssec.validate.Algorithms;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Zone cuts along a chain of trust (RFC 4035 section 5.2): what the parent (or a trust anchor)
 * says about a child, and the walk down from the closest anchor that decides whether unsigned
 * data sits below a proven insecure delegation (RFC 4035 section 5.4) or is bogus.
 */
final class ChainOfTrust {
  /** The outcome of looking for a zone cut at a name: is there a DS, a proven absence, or no cut. */
  sealed interface Cut {}

  /** A DS RRset (or anchors) with at least one supported algorithm and digest type. */
  record SignedCut(List<DSRecord> ds) implements Cut {}

  record UnsignedCut(String how) implements Cut {}

  record NotACut() implements Cut {}

  /** NXDOMAIN for the DS question: nothing exists at or below the name. */
  record NoSuchName() implements Cut {}

  record CutFailed(Verdict verdict) implements Cut {}

  private final Check check;

  ChainOfTrust(Check check) {
    this.check = check;
  }

  /**
   * What the parent says about a cut at {@code child}: the trust anchors for a zone that has
   * them, nothing for a name no anchor covers, else the secure answer to a DS question.
   */
  Cut cut(Name child) {
    switch (check.services.points().closest(child, check.now)) {
      case TrustPoints.Unanchored u -> {
        return new UnsignedCut(u.why());
      }
      case TrustPoints.NoneInForce n -> {
        if (n.zone().equals(child)) {
          return new CutFailed(Verdict.bogus(ExtendedErrorCodeOption.DNSKEY_MISSING,
              "no trust anchor for " + child + " in force at " + check.now));
        }
      }
      case TrustPoints.Anchored a -> {
        if (a.zone().equals(child)) {
          return signed(child, a.ds(), "the trust anchors");
        }
      }
    }
    Question q = new Question(child, Type.DS, check.question.dclass());
    if (check.ctx.active.contains(q)) {
      return new CutFailed(check.loop("DS of " + child));
    }
    Resolution r = check.fetch(q);
    if (r.rcode() == Rcode.SERVFAIL) {
      return new CutFailed(check.nested(r, ExtendedErrorCodeOption.DNSSEC_BOGUS, "no valid DS answer for " + child));
    }
    if (r.status() == SecurityStatus.INSECURE) {
      return new UnsignedCut("the DS answer for " + child + " is insecure");
    }
    if (r.status() != SecurityStatus.SECURE) {
      return new CutFailed(Verdict.bogus(ExtendedErrorCodeOption.DNSSEC_BOGUS,
          "the DS answer for " + child + " is " + r.status()));
    }
    List<DSRecord> ds = records(r.answer(), Type.DS, DSRecord.class).stream()
        .filter(d -> d.getName().equals(child))
        .toList();
    if (!ds.isEmpty()) {
      return signed(child, ds, "its DS RRset");
    }
    if (r.rcode() == Rcode.NXDOMAIN) {
      return new NoSuchName();
    }
    if (!r.answer().isEmpty()) {
      return new NotACut(); // an alias (CNAME) cannot own NS
    }
    // A secure NODATA: a cut proven to have no DS, or a name inside the zone
    List<NSECRecord> nsecs = records(r.authority(), Type.NSEC, NSECRecord.class);
    if (NsecDenial.insecureDelegation(child, nsecs).proven()) {
      return new UnsignedCut("NSEC at " + child + " shows NS without DS");
    }
    List<NSEC3Record> nsec3s = records(r.authority(), Type.NSEC3, NSEC3Record.class);
    Name zone = Denials.proofZone(r.authority());
    if (!nsec3s.isEmpty() && zone != null) {
      return switch (check.services.nsec3().insecureDelegation(child, zone, nsec3s)) {
        case Nsec3Denial.Proven p -> new UnsignedCut("NSEC3 for " + child + " shows NS without DS");
        case Nsec3Denial.Insecure i -> new UnsignedCut(i.reason());
        case Nsec3Denial.TooExpensive t -> new CutFailed(check.limit(t.reason()));
        case Nsec3Denial.NotProven n -> new NotACut();
      };
    }
    return new NotACut();
  }

  /**
   * A DS set, from the parent or the anchors: signed if any record has an algorithm and digest
   * type this resolver validates; if none has, the child is insecure (RFC 4035 section 5.2, RFC
   * 6840 section 5.2), as if there were no DS at all. The unsupported ones are then ignored.
   */
  private static Cut signed(Name child, List<DSRecord> ds, String source) {
    boolean usable = ds.stream()
        .anyMatch(d -> Algorithms.supported(d.getAlgorithm()) && TrustAnchor.supportedDigest(d.getDigestID()));
    return usable ? new SignedCut(ds)
        : new UnsignedCut(source + " for " + child + " use only unsupported algorithms or digest types");
  }

  /**
   * Unsigned data (RFC 4035 section 5.2, 5.4): acceptable only below a proven insecure
   * delegation. Walks from the closest trust anchor down the ancestors of the name, asking for
   * DS at each: a secure DS is a signed cut, a secure proof of NS without DS an insecure one, a
   * NODATA without NS no cut. Reaching the name still in a signed zone makes the data bogus.
   */
  Verdict unsigned(Name owner, int type, int code, String text) {
    Name target = type == Type.DS && !owner.equals(Name.root) ? new Name(owner, 1) : owner;
    Name zone;
    switch (check.services.points().closest(target, check.now)) {
      case TrustPoints.Unanchored u -> {
        return Verdict.INSECURE;
      }
      case TrustPoints.NoneInForce n -> {
        return Verdict.bogus(ExtendedErrorCodeOption.DNSKEY_MISSING,
            "no trust anchor for " + n.zone() + " in force at " + check.now);
      }
      case TrustPoints.Anchored a -> {
        if (signed(a.zone(), a.ds(), "the trust anchors") instanceof UnsignedCut) {
          return Verdict.INSECURE;
        }
        zone = a.zone();
      }
    }
    int cuts = 0;
    for (int n = zone.labels() + 1; n <= target.labels(); n++) {
      Name name = new Name(target, target.labels() - n);
      switch (cut(name)) {
        case SignedCut s -> {
          zone = name;
          if (++cuts > ValidatingResolver.MAX_ZONE_DEPTH) {
            return Verdict.bogus(ExtendedErrorCodeOption.DNSSEC_BOGUS,
                "chain of trust for " + owner + " deeper than " + ValidatingResolver.MAX_ZONE_DEPTH + " zones");
          }
        }
        case UnsignedCut u -> {
          return Verdict.INSECURE;
        }
        case CutFailed f -> {
          return f.verdict();
        }
        case NotACut c -> {
        }
        case NoSuchName x -> {
          return Verdict.bogus(code, text + zone + " (" + name + " does not exist there)");
        }
      }
    }
    return Verdict.bogus(code, text + zone);
  }

  static <T extends Record> List<T> records(List<RRset> sets, int type, Class<T> cls) {
    List<T> out = new ArrayList<>();
    for (RRset set : sets) {
      if (set.getType() == type) {
        for (Record r : set.rrs(false)) {
          out.add(cls.cast(r));
        }
      }
    }
    return out;
  }
}
