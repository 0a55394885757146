package org.rootmirror.resolver.validate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rootmirror.dnssec.anchor.TrustAnchor;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;

/**
 * Where a chain of trust for a name starts: the closest enclosing trust anchor (RFC 4033 section
 * 3, "trust anchor"; Unbound takes the closest anchor above the name too), unless a negative trust
 * anchor (RFC 7646) is closer, or no anchor encloses the name at all: then the name is insecure.
 */
final class TrustPoints {
  /** The start of a chain of trust for a name. */
  sealed interface Point {}

  /** Anchors for {@code zone} in force now, as DS records (a key anchor is the DS of itself). */
  record Anchored(Name zone, List<DSRecord> ds) implements Point {}

  /** Anchors for {@code zone} exist but none is in force now: bogus, the operator must act. */
  record NoneInForce(Name zone) implements Point {}

  /** No anchor above the name, or a negative trust anchor closer than any: insecure. */
  record Unanchored(String why) implements Point {}

  private final Map<Name, List<TrustAnchor>> anchors = new HashMap<>();
  private final Set<Name> insecure;

  TrustPoints(ValidationConfig config) {
    for (TrustAnchor anchor : config.anchors().all()) {
      anchors.computeIfAbsent(anchor.zone(), z -> new ArrayList<>()).add(anchor);
    }
    this.insecure = config.insecureDomains();
  }

  /** Whether there is any anchor at all. */
  boolean any() {
    return !anchors.isEmpty();
  }

  /** The start of the chain for data owned by {@code name}, at {@code now}. */
  Point closest(Name name, Instant now) {
    for (Name n = name; ; n = new Name(n, 1)) {
      // RFC 7646 section 2.1: a negative trust anchor wins over a positive one at the same name
      if (insecure.contains(n)) {
        return new Unanchored(n + " is a negative trust anchor (domain-insecure)");
      }
      List<TrustAnchor> here = anchors.get(n);
      if (here != null) {
        List<DSRecord> ds = here.stream().filter(a -> a.validAt(now)).map(TrustPoints::ds).toList();
        return ds.isEmpty() ? new NoneInForce(n) : new Anchored(n, ds);
      }
      if (n.equals(Name.root)) {
        return new Unanchored("no trust anchor at or above " + name);
      }
    }
  }

  /**
   * The start of the chain for an RRset: a DS RRset lives in the parent zone (RFC 4035 section
   * 5.2), so its chain is that of the parent's name.
   */
  Point closestFor(Name owner, int type, Instant now) {
    boolean parentSide = type == org.xbill.DNS.Type.DS && !owner.equals(Name.root);
    return closest(parentSide ? new Name(owner, 1) : owner, now);
  }

  private static DSRecord ds(TrustAnchor anchor) {
    if (anchor.record() instanceof DSRecord d) {
      return d;
    }
    // a key anchor stands for the DS of itself (RFC 4034 section 5.1.4)
    return new DSRecord(anchor.zone(), DClass.IN, 0, DNSSEC.Digest.SHA256, (DNSKEYRecord) anchor.record());
  }
}
