package org.rootmirror.dnssec.validate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.rootmirror.dnssec.anchor.TrustAnchor;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.dnssec.zone.Zone;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Check 1: the apex DNSKEY RRset must be signed by a key that a trust anchor in force names (RFC
 * 4035 section 5). A matching key that is merely present is not enough: it must have signed.
 * Yields the zone keys that may sign the rest of the zone.
 */
final class KeyTrust {
  final List<DNSKEYRecord> zoneKeys = new ArrayList<>();
  final List<Problem> problems = new ArrayList<>();
  Instant expiry;
  boolean trusted;
  int signaturesVerified;

  static KeyTrust check(Zone zone, TrustAnchors anchors, Instant time) {
    KeyTrust t = new KeyTrust();
    t.run(zone, anchors, time);
    return t;
  }

  private void run(Zone zone, TrustAnchors anchors, Instant time) {
    Name origin = zone.origin();
    RRset dnskeys = zone.rrset(origin, Type.DNSKEY);
    List<DNSKEYRecord> keys = new ArrayList<>();
    if (dnskeys != null) {
      for (Record r : dnskeys.rrs(false)) {
        keys.add((DNSKEYRecord) r);
      }
    }
    for (DNSKEYRecord k : keys) {
      if (isZoneKey(k) && Algorithms.supported(k.getAlgorithm())) {
        zoneKeys.add(k);
      }
    }
    if (zoneKeys.isEmpty()) {
      problems.add(Problem.error(origin, Type.DNSKEY, Reason.NO_ZONE_KEY,
          keys.isEmpty() ? "no DNSKEY RRset at the apex" : "keys " + tags(keys) + " are revoked, not zone keys, or of unsupported algorithms"));
      return;
    }
    List<TrustAnchor> inForce = anchors.validAt(time).stream().filter(a -> a.zone().equals(origin)).toList();
    if (inForce.isEmpty()) {
      problems.add(Problem.error(origin, Type.DNSKEY, Reason.NO_TRUST_ANCHOR,
          "validating at " + time + "; anchors: " + describe(anchors.all())));
      return;
    }
    List<DNSKEYRecord> anchored = zoneKeys.stream().filter(k -> inForce.stream().anyMatch(a -> a.matches(k))).toList();
    if (anchored.isEmpty()) {
      problems.add(Problem.error(origin, Type.DNSKEY, Reason.NO_TRUSTED_KEY,
          "anchors " + inForce.stream().map(a -> String.valueOf(a.keyTag())).collect(Collectors.joining(", "))
              + "; zone keys " + tags(zoneKeys)));
      return;
    }
    RRsetVerifier verifier = new RRsetVerifier(origin, anchored, time);
    List<String> why = new ArrayList<>();
    for (RRSIGRecord sig : dnskeys.sigs()) {
      if (anchored.stream().noneMatch(k -> k.getFootprint() == sig.getFootprint())) {
        continue; // signed by a key no anchor names: proves nothing
      }
      RRsetVerifier.Failure f = verifier.check(dnskeys, sig);
      if (f == null) {
        trusted = true;
        signaturesVerified++;
        expiry = expiry == null || sig.getExpire().isBefore(expiry) ? sig.getExpire() : expiry;
      } else {
        why.add(f.toString());
      }
    }
    if (!trusted) {
      problems.add(Problem.error(origin, Type.DNSKEY, anchored.get(0).getFootprint(), Reason.DNSKEY_NOT_SIGNED_BY_ANCHOR,
          why.isEmpty() ? "keys " + tags(anchored) + " match anchors but signed nothing" : String.join("; ", why)));
    }
  }

  /** RFC 4034 section 2.1.1: the Zone Key flag must be set; RFC 5011 section 7: a revoked key is not used. */
  private static boolean isZoneKey(DNSKEYRecord k) {
    return (k.getFlags() & DNSKEYRecord.Flags.ZONE_KEY) != 0
        && (k.getFlags() & DNSKEYRecord.Flags.REVOKE) == 0
        && k.getProtocol() == DNSKEYRecord.Protocol.DNSSEC;
  }

  private static String tags(List<DNSKEYRecord> keys) {
    return keys.stream().map(k -> String.valueOf(k.getFootprint())).collect(Collectors.joining(", "));
  }

  private static String describe(List<TrustAnchor> anchors) {
    return anchors.stream()
        .map(a -> a.keyTag() + " valid " + (a.validFrom().equals(Instant.MIN) ? "always" : "from " + a.validFrom())
            + (a.validUntil() == null ? "" : " until " + a.validUntil()))
        .collect(Collectors.joining(", "));
  }
}
