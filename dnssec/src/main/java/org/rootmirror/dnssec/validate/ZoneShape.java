package org.rootmirror.dnssec.validate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rootmirror.dnssec.zone.Zone;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Where the zone's authority ends (RFC 1034 section 4.2.1): which names are authoritative, which
 * are delegation points, and which lie below a delegation; and the structural checks that follow
 * from that: apex records, glue only below cuts, consistent TTLs.
 */
final class ZoneShape {
  private final Zone zone;
  /** Names that own an NSEC (RFC 4035 section 2.3): the apex, delegation points, other authoritative names. */
  final List<Name> authoritative = new ArrayList<>();
  final Set<Name> delegations = new HashSet<>();
  /** Names below a delegation: glue, or data the zone must not hold. */
  private final Set<Name> occluded = new HashSet<>();
  final List<Problem> problems = new ArrayList<>();
  int glue;

  private ZoneShape(Zone zone) {
    this.zone = zone;
  }

  static ZoneShape of(Zone zone) {
    ZoneShape shape = new ZoneShape(zone);
    shape.checkApex();
    shape.checkRecords();
    shape.classifyNames();
    return shape;
  }

  boolean isDelegation(Name name) {
    return delegations.contains(name);
  }

  /** Whether the zone is authoritative for the RRset of {@code type} at {@code name} (so it must be signed). */
  boolean authoritative(Name name, int type) {
    if (isDelegation(name)) {
      return type == Type.DS || type == Type.NSEC; // RFC 4035 section 2.2: the NS and glue are not signed
    }
    return !occluded.contains(name);
  }

  private void checkApex() {
    Name origin = zone.origin();
    RRset soa = zone.rrset(origin, Type.SOA);
    if (soa == null || soa.size() != 1) {
      problems.add(Problem.error(origin, Type.SOA, Reason.NO_SOA,
          soa == null ? "no SOA at the apex" : soa.size() + " SOA records at the apex"));
    }
    RRset ns = zone.rrset(origin, Type.NS);
    if (ns == null || ns.size() == 0) {
      problems.add(Problem.error(origin, Type.NS, Reason.NO_APEX_NS, ""));
    }
  }

  /** Out-of-zone records, classes other than IN, and TTL consistency within RRsets (RFC 2181 section 5.2). */
  private void checkRecords() {
    Name origin = zone.origin();
    record Key(Name name, int type) {}
    Map<Key, Long> ttls = new HashMap<>();
    Set<Key> reported = new HashSet<>();
    for (Record r : zone.records()) {
      if (!r.getName().subdomain(origin)) {
        problems.add(Problem.error(r.getName(), r.getType(), Reason.OUT_OF_ZONE, "origin is " + origin));
        continue;
      }
      if (r.getDClass() != DClass.IN) {
        problems.add(Problem.error(r.getName(), r.getType(), Reason.WRONG_CLASS, DClass.string(r.getDClass())));
      }
      if (!(r instanceof RRSIGRecord)) {
        Long previous = ttls.putIfAbsent(new Key(r.getName(), r.getType()), r.getTTL());
        if (previous != null && previous != r.getTTL() && reported.add(new Key(r.getName(), r.getType()))) {
          problems.add(Problem.error(r.getName(), r.getType(), Reason.TTL_MISMATCH,
              "TTLs " + previous + " and " + r.getTTL() + " in one RRset"));
        }
      }
    }
    // RFC 4034 section 3: an RRSIG's TTL and original TTL equal the TTL of the RRset it covers
    for (Record r : zone.records()) {
      if (r instanceof RRSIGRecord sig) {
        Long ttl = ttls.get(new Key(sig.getName(), sig.getTypeCovered()));
        if (ttl != null && (sig.getTTL() != ttl || sig.getOrigTTL() != ttl)
            && reported.add(new Key(sig.getName(), -sig.getTypeCovered()))) {
          problems.add(Problem.error(sig.getName(), sig.getTypeCovered(), sig.getFootprint(), Reason.TTL_MISMATCH,
              "RRset TTL " + ttl + ", RRSIG TTL " + sig.getTTL() + ", original TTL " + sig.getOrigTTL()));
        }
      }
    }
  }

  /**
   * Walks the names in canonical order, which lists every name right after its ancestors, so a
   * single "current cut" tells whether a name lies below a delegation.
   */
  private void classifyNames() {
    Name origin = zone.origin();
    Set<Name> nsTargets = new HashSet<>();
    zone.nodes().values().forEach(node -> {
      RRset ns = node.get(Type.NS);
      if (ns != null) {
        ns.rrs(false).forEach(r -> nsTargets.add(((NSRecord) r).getTarget()));
      }
    });
    Name cut = null;
    for (Map.Entry<Name, Map<Integer, RRset>> e : zone.nodes().entrySet()) {
      Name name = e.getKey();
      Map<Integer, RRset> node = e.getValue();
      if (!name.subdomain(origin)) {
        continue; // reported by checkRecords
      }
      if (cut != null && name.subdomain(cut)) {
        occluded.add(name);
        checkBelowCut(name, node, nsTargets);
        continue;
      }
      cut = null;
      boolean hasNs = hasData(node, Type.NS);
      if (!name.equals(origin) && hasNs) {
        cut = name;
        delegations.add(name);
        checkDelegation(name, node, nsTargets);
      } else if (!name.equals(origin) && hasData(node, Type.DS)) {
        problems.add(Problem.error(name, Type.DS, Reason.DS_WITHOUT_DELEGATION, "no NS RRset at " + name));
      }
      authoritative.add(name);
    }
  }

  private void checkDelegation(Name name, Map<Integer, RRset> node, Set<Name> nsTargets) {
    for (RRset set : node.values()) {
      int type = set.getType();
      boolean glueHere = (type == Type.A || type == Type.AAAA) && nsTargets.contains(name);
      if (glueHere) {
        glue++;
      } else if (type != Type.NS && type != Type.DS && type != Type.NSEC) {
        problems.add(Problem.error(name, type, Reason.DATA_AT_DELEGATION, "delegation point " + name));
      }
      if (!set.sigs().isEmpty() && !authoritative(name, type)) {
        problems.add(Problem.error(name, type, Reason.SIGNED_NON_AUTHORITATIVE,
            "the parent side of a delegation signs only DS and NSEC"));
      }
    }
  }

  private void checkBelowCut(Name name, Map<Integer, RRset> node, Set<Name> nsTargets) {
    for (RRset set : node.values()) {
      int type = set.getType();
      if (set.size() == 0) {
        continue; // only signatures: reported as signed non-authoritative below
      }
      if (type == Type.NSEC) {
        problems.add(Problem.error(name, type, Reason.NSEC_NOT_AUTHORITATIVE, "below a delegation"));
      } else if (type != Type.A && type != Type.AAAA) {
        problems.add(Problem.error(name, type, Reason.DATA_BELOW_DELEGATION, "below a delegation"));
      } else if (!nsTargets.contains(name)) {
        problems.add(Problem.error(name, type, Reason.UNUSED_GLUE, "no NS record names " + name));
      } else {
        glue++;
      }
      if (!set.sigs().isEmpty()) {
        problems.add(Problem.error(name, type, Reason.SIGNED_NON_AUTHORITATIVE, "below a delegation"));
      }
    }
  }

  static boolean hasData(Map<Integer, RRset> node, int type) {
    RRset set = node.get(type);
    return set != null && set.size() > 0;
  }
}
