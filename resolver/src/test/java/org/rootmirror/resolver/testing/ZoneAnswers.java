package org.rootmirror.resolver.testing;

import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.rootmirror.dnssec.zone.Lookup;
import org.rootmirror.dnssec.zone.Zone;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * A small authoritative lookup with DO for the validator's tests (RFC 4035 section 3.1, RFC 5155
 * section 7.2): answers, in-zone CNAME chains, wildcards, no data, name errors, DS at cuts.
 */
final class ZoneAnswers {
  private static final base32 B32HEX = new base32(base32.Alphabet.BASE32HEX, false, false);

  private ZoneAnswers() {}

  static Lookup lookup(Zone zone, Name qname, int qtype) {
    return new One(zone).lookup(qname, qtype);
  }

  private static final class One {
    final Zone zone;
    final Name origin;
    final NavigableMap<Name, Map<Integer, RRset>> nodes;
    final Set<Name> existing = new HashSet<>();
    final TreeMap<Name, RRset> nsecs = new TreeMap<>();
    final List<RRset> nsec3s = new ArrayList<>();
    final NSEC3PARAMRecord param;

    One(Zone zone) {
      this.zone = zone;
      this.origin = zone.origin();
      this.nodes = zone.nodes();
      for (var e : nodes.entrySet()) {
        if (e.getValue().containsKey(Type.NSEC3)) {
          nsec3s.add(e.getValue().get(Type.NSEC3));
          if (e.getValue().size() == 1) {
            continue;
          }
        }
        if (e.getValue().containsKey(Type.NSEC)) {
          nsecs.put(e.getKey(), e.getValue().get(Type.NSEC));
        }
        for (Name n = e.getKey(); n.subdomain(origin) && existing.add(n) && !n.equals(origin); n = new Name(n, 1)) {
          // every ancestor up to the apex exists, as an empty non-terminal if it owns nothing
        }
      }
      RRset p = zone.rrset(origin, Type.NSEC3PARAM);
      this.param = p == null ? null : (NSEC3PARAMRecord) p.first();
    }

    Lookup lookup(Name qname, int qtype) {
      List<RRset> answer = new ArrayList<>();
      for (int step = 0; step < 8; step++) {
        Name cut = cutAbove(qname);
        if (cut != null && !(qtype == Type.DS && cut.equals(qname))) {
          return new Lookup.Referral(cut, answer, List.of(nodes.get(cut).get(Type.NS)), List.of());
        }
        Map<Integer, RRset> node = nodes.get(qname);
        if (node != null && !(node.size() == 1 && node.containsKey(Type.NSEC3))) {
          if (node.containsKey(qtype)) {
            answer.add(node.get(qtype));
            return new Lookup.Answer(answer, List.of(), List.of());
          }
          if (node.containsKey(Type.CNAME) && qtype != Type.CNAME) {
            RRset cname = node.get(Type.CNAME);
            answer.add(cname);
            qname = ((CNAMERecord) cname.first()).getTarget();
            if (!qname.subdomain(origin)) {
              return new Lookup.Answer(answer, List.of(), List.of());
            }
            continue;
          }
          return new Lookup.NoData(answer, negative(matchProof(qname)), List.of());
        }
        if (existing.contains(qname)) {
          // an empty non-terminal
          return new Lookup.NoData(answer, negative(param == null ? List.of(covering(qname)) : List.of(nsec3Matching(qname))), List.of());
        }
        Name ce = qname;
        while (!existing.contains(ce)) {
          ce = new Name(ce, 1);
        }
        Name wildcard = wildcard(ce);
        Map<Integer, RRset> wnode = nodes.get(wildcard);
        if (wnode != null && wnode.containsKey(qtype)) {
          answer.add(renamed(wnode.get(qtype), qname));
          List<RRset> proof = param == null ? List.of(covering(qname)) : List.of(nsec3Covering(nextCloser(qname, ce)));
          return new Lookup.Answer(answer, proof, List.of());
        }
        if (wnode != null) {
          List<RRset> proof = param == null
              ? distinct(covering(qname), nsecs.get(wildcard))
              : distinct(nsec3Matching(ce), nsec3Covering(nextCloser(qname, ce)), nsec3Matching(wildcard));
          return new Lookup.NoData(answer, negative(proof), List.of());
        }
        List<RRset> proof = param == null
            ? distinct(covering(qname), covering(wildcard))
            : distinct(nsec3Matching(ce), nsec3Covering(nextCloser(qname, ce)), nsec3Covering(wildcard));
        return new Lookup.NameError(answer, negative(proof), List.of());
      }
      return new Lookup.Answer(answer, List.of(), List.of());
    }

    private List<RRset> matchProof(Name qname) {
      if (param == null) {
        RRset nsec = nsecs.get(qname);
        return nsec == null ? List.of() : List.of(nsec);
      }
      RRset match = nsec3Matching(qname);
      if (match != null) {
        return List.of(match);
      }
      // a DS at an opted-out delegation: closest encloser proof (RFC 5155 section 7.2.4)
      Name ce = new Name(qname, 1);
      while (nsec3Matching(ce) == null) {
        ce = new Name(ce, 1);
      }
      return distinct(nsec3Matching(ce), nsec3Covering(nextCloser(qname, ce)));
    }

    private List<RRset> negative(List<RRset> proof) {
      List<RRset> out = new ArrayList<>();
      RRset soa = zone.rrset(origin, Type.SOA);
      if (soa != null) {
        out.add(soa);
      }
      for (RRset p : proof) {
        if (p != null) {
          out.add(p);
        }
      }
      return out;
    }

    private Name cutAbove(Name qname) {
      for (Name n = qname; !n.equals(origin) && n.subdomain(origin); n = new Name(n, 1)) {
        Map<Integer, RRset> node = nodes.get(n);
        if (node != null && node.containsKey(Type.NS)) {
          Name deeper = n;
          // the highest cut wins: keep looking up
          Name above = cutAbove(new Name(n, 1));
          return above != null ? above : deeper;
        }
      }
      return null;
    }

    private RRset covering(Name name) {
      if (nsecs.isEmpty()) {
        return null;
      }
      var e = nsecs.lowerEntry(name);
      return e != null ? e.getValue() : nsecs.lastEntry().getValue();
    }

    private RRset nsec3Matching(Name name) {
      if (param == null) {
        return null;
      }
      String label = B32HEX.toString(hash(name));
      for (RRset set : nsec3s) {
        if (set.getName().getLabelString(0).equalsIgnoreCase(label)) {
          return set;
        }
      }
      return null;
    }

    private RRset nsec3Covering(Name name) {
      byte[] h = hash(name);
      for (RRset set : nsec3s) {
        byte[] owner = B32HEX.fromString(set.getName().getLabelString(0).toUpperCase());
        byte[] next = ((NSEC3Record) set.first()).getNext();
        boolean wraps = Arrays.compareUnsigned(owner, next) >= 0;
        boolean after = Arrays.compareUnsigned(owner, h) < 0;
        boolean before = Arrays.compareUnsigned(h, next) < 0;
        if (wraps ? after || before : after && before) {
          return set;
        }
      }
      return null;
    }

    private byte[] hash(Name name) {
      try {
        return param.hashName(name);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static Name nextCloser(Name qname, Name ce) {
    return new Name(qname, qname.labels() - ce.labels() - 1);
  }

  private static Name wildcard(Name ce) {
    try {
      return Name.concatenate(Name.fromConstantString("*"), ce);
    } catch (org.xbill.DNS.NameTooLongException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RRset renamed(RRset set, Name name) {
    RRset out = new RRset();
    for (Record r : set.rrs(false)) {
      out.addRR(r.withName(name));
    }
    for (RRSIGRecord sig : set.sigs()) {
      out.addRR((RRSIGRecord) sig.withName(name));
    }
    return out;
  }

  private static List<RRset> distinct(RRset... sets) {
    List<RRset> out = new ArrayList<>();
    for (RRset s : sets) {
      if (s != null && !out.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }
}
