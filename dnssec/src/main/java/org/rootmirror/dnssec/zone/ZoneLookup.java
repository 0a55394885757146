package org.rootmirror.dnssec.zone;

import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * Answers questions from one immutable {@link Zone} the way an authoritative server does (RFC
 * 1034 section 4.3.2, RFC 4592 wildcards, RFC 6672 DNAME, RFC 4035 section 3.1 and RFC 5155
 * section 7.2 for DNSSEC). Pure: no I/O, no clock; safe to share between threads. Indexes built
 * in the constructor (the names without NSEC3-only nodes, the NSEC owners, the NSEC3 hashes), so
 * a lookup is a handful of map look-ups per label of the name.
 *
 * <p>Every RRset returned is a fresh copy: with DO it carries the zone's RRSIGs, without DO none.
 * For qtype RRSIG each answer RRset holds only the signatures over one type (dnsjava keeps RRSIGs
 * as an RRset's {@code sigs()}). The additional section holds glue in referrals only: the A and
 * AAAA RRsets of NS names at or below the cut (RFC 9471 in-domain glue); nothing is added to
 * answers.
 */
public final class ZoneLookup {
  /** CNAME and DNAME substitutions followed in one lookup; a chain longer than this, or a loop, ends there. */
  static final int MAX_CHAIN = 8;

  private static final Name WILDCARD = Name.fromConstantString("*");
  private static final base32 BASE32HEX = new base32(base32.Alphabet.BASE32HEX, false, true);

  private final Zone zone;
  private final Name origin;
  /** The zone's names, less those that own only NSEC3 records: hashed owners are not names of the zone (RFC 5155 section 7.2.8). */
  private final NavigableMap<Name, Map<Integer, RRset>> names;
  /** The NSEC RRsets by owner, for the covering NSEC of a name (the greatest owner before it). */
  private final NavigableMap<Name, RRset> nsecs;
  /** The NSEC3 RRsets of the zone's chain by hashed owner label (base32hex, lower case: it sorts as the hashes do). */
  private final NavigableMap<String, RRset> nsec3s;
  /** Hashes names with the chain's parameters; null when the zone has no NSEC3 chain. */
  private final NSEC3Record nsec3Hasher;
  private final RRset soa;

  public ZoneLookup(Zone zone) {
    this.zone = zone;
    this.origin = zone.origin();
    this.soa = zone.rrset(origin, Type.SOA);
    RRset param = zone.rrset(origin, Type.NSEC3PARAM);
    NSEC3PARAMRecord chain = param == null ? null : (NSEC3PARAMRecord) param.first();
    NavigableMap<Name, Map<Integer, RRset>> names = new TreeMap<>();
    NavigableMap<Name, RRset> nsecs = new TreeMap<>();
    NavigableMap<String, RRset> nsec3s = new TreeMap<>();
    NSEC3Record hasher = null;
    for (Map.Entry<Name, Map<Integer, RRset>> e : zone.nodes().entrySet()) {
      Map<Integer, RRset> node = e.getValue();
      RRset nsec3 = node.get(Type.NSEC3);
      if (nsec3 != null && e.getKey().labels() == origin.labels() + 1) {
        NSEC3Record r = (NSEC3Record) nsec3.first();
        // during an NSEC3 parameter change two chains coexist: keep the one NSEC3PARAM names
        if (chain == null || (chain.getIterations() == r.getIterations() && Arrays.equals(chain.getSalt(), r.getSalt()))) {
          nsec3s.put(e.getKey().getLabelString(0).toLowerCase(), nsec3);
          hasher = hasher == null ? r : hasher;
        }
      }
      if (nsec3 == null || node.size() > 1) {
        names.put(e.getKey(), node);
      }
      RRset nsec = node.get(Type.NSEC);
      if (nsec != null) {
        nsecs.put(e.getKey(), nsec);
      }
    }
    this.names = Collections.unmodifiableNavigableMap(names);
    this.nsecs = Collections.unmodifiableNavigableMap(nsecs);
    this.nsec3s = Collections.unmodifiableNavigableMap(nsec3s);
    this.nsec3Hasher = hasher;
  }

  public Zone zone() {
    return zone;
  }

  /**
   * What the zone says to {@code qname}/{@code qtype} (class IN).
   *
   * @param dnssecOk whether the question set DO: include RRSIGs and denial proofs
   * @throws IllegalArgumentException when {@code qname} is not at or below the zone's origin
   */
  public Lookup lookup(Name qname, int qtype, boolean dnssecOk) {
    if (!qname.subdomain(origin)) {
      throw new IllegalArgumentException(qname + " is not in the zone " + origin);
    }
    return new Resolution(dnssecOk).run(qname, qtype);
  }

  /** One lookup's state: the answer chain so far and the proofs gathered along it. */
  private final class Resolution {
    private final boolean dnssecOk;
    private final List<RRset> answer = new ArrayList<>();
    private final List<RRset> proofs = new ArrayList<>();
    /** Set by {@link #step} when the lookup ends. */
    private Lookup outcome;

    Resolution(boolean dnssecOk) {
      this.dnssecOk = dnssecOk;
    }

    Lookup run(Name qname, int qtype) {
      Name sname = qname;
      Set<Name> seen = new HashSet<>();
      for (int step = 0; ; step++) {
        // RFC 1034 section 4.3.2 step 3: ends at a loop, or after MAX_CHAIN substitutions
        if (step > MAX_CHAIN || !seen.add(sname)) {
          return new Lookup.Answer(answer, proofs, List.of());
        }
        Name next = step(sname, qtype);
        if (next == null) {
          return outcome;
        }
        if (!next.subdomain(origin)) {
          return new Lookup.Answer(answer, proofs, List.of()); // the chain leaves the zone: the resolver goes on
        }
        sname = next;
      }
    }

    /** One pass of RFC 1034 section 4.3.2 step 3 for {@code sname}: the next name of a chain, or null with {@link #outcome} set. */
    private Name step(Name sname, int qtype) {
      // step 3b, and RFC 6672 section 3.2: going down from the apex, the first cut or DNAME above sname decides
      for (int labels = origin.labels(); labels <= sname.labels(); labels++) {
        Name n = labels == sname.labels() ? sname : new Name(sname, sname.labels() - labels);
        Map<Integer, RRset> node = names.get(n);
        if (node == null) {
          continue;
        }
        boolean below = !n.equals(sname);
        // RFC 4035 section 3.1.4.1: DS at the cut is the parent's data
        if (!n.equals(origin) && node.containsKey(Type.NS) && (below || qtype != Type.DS)) {
          outcome = referral(n, node);
          return null;
        }
        if (below && node.containsKey(Type.DNAME)) {
          return dname(sname, node.get(Type.DNAME));
        }
      }
      Map<Integer, RRset> node = names.get(sname);
      if (node != null) {
        return fromNode(sname, sname, node, qtype, null);
      }
      if (exists(sname)) {
        // an empty non-terminal: the name exists with no data (RFC 4592 section 2.2.2 keeps wildcards out)
        outcome = noData(denyType(sname));
        return null;
      }
      Name encloser = closestEncloser(sname);
      Name wildcard = wildcardAt(encloser);
      Map<Integer, RRset> source = names.get(wildcard);
      if (source == null) {
        outcome = new Lookup.NameError(answer, negative(denyName(sname, encloser)), List.of());
        return null;
      }
      return fromNode(sname, wildcard, source, qtype, encloser);
    }

    /**
     * Answers from {@code node}, owned by {@code owner}: {@code sname} itself, or the wildcard that
     * synthesises it (RFC 4592 section 3.3.1) below {@code encloser}.
     */
    private Name fromNode(Name sname, Name owner, Map<Integer, RRset> node, int qtype, Name encloser) {
      boolean expanded = encloser != null;
      RRset cname = node.get(Type.CNAME);
      if (cname != null && qtype != Type.CNAME && qtype != Type.ANY) {
        answer.add(copy(cname, sname));
        if (expanded) {
          proofs.addAll(noCloserMatch(sname, encloser));
        }
        return ((CNAMERecord) cname.first()).getTarget();
      }
      List<RRset> data = new ArrayList<>();
      for (RRset set : node.values()) {
        boolean dnssecType = set.getType() == Type.NSEC || set.getType() == Type.NSEC3;
        if (qtype == Type.RRSIG) {
          if (!set.sigs().isEmpty()) {
            data.add(signaturesOnly(set, sname));
          }
        } else if (set.getType() == qtype || (qtype == Type.ANY && (dnssecOk || !dnssecType))) {
          data.add(copy(set, sname));
        }
      }
      if (!data.isEmpty()) {
        answer.addAll(data);
        if (expanded) {
          proofs.addAll(noCloserMatch(sname, encloser)); // RFC 4035 section 3.1.3.3
        }
        outcome = new Lookup.Answer(answer, proofs, List.of());
        return null;
      }
      outcome = noData(expanded ? wildcardNoData(sname, encloser, owner) : denyType(sname));
      return null;
    }

    /** RFC 6672 section 3.1: the DNAME, and a CNAME from {@code sname} to the substituted name with the DNAME's TTL. */
    private Name dname(Name sname, RRset dnameSet) {
      DNAMERecord dname = (DNAMERecord) dnameSet.first();
      answer.add(copy(dnameSet, dname.getName()));
      Name target;
      try {
        target = sname.fromDNAME(dname);
      } catch (NameTooLongException e) {
        // RFC 6672 section 2.2 wants YXDOMAIN, which no case here expresses: the DNAME alone
        outcome = new Lookup.Answer(answer, proofs, List.of());
        return null;
      }
      // the synthesised CNAME is unsigned: a validator checks it against the DNAME's signature
      answer.add(new RRset(new CNAMERecord(sname, DClass.IN, dname.getTTL(), target)));
      return target;
    }

    /** RFC 1034 section 4.3.2 step 3b and RFC 4035 section 3.1.4: NS, then DS or its denial; glue in additional. */
    private Lookup referral(Name cut, Map<Integer, RRset> node) {
      RRset ns = node.get(Type.NS);
      List<RRset> authority = new ArrayList<>();
      authority.add(withoutSigs(ns, cut));
      if (dnssecOk) {
        RRset ds = node.get(Type.DS);
        if (ds != null) {
          authority.add(copy(ds, cut));
        } else {
          authority.addAll(denyType(cut));
        }
      }
      authority.addAll(proofs);
      List<RRset> glue = new ArrayList<>();
      Set<Name> done = new HashSet<>();
      for (Record r : ns.rrs(false)) {
        Name target = ((NSRecord) r).getTarget();
        if (target.subdomain(cut) && done.add(target)) {
          Map<Integer, RRset> at = names.get(target);
          if (at != null) {
            for (int type : new int[] {Type.A, Type.AAAA}) {
              if (at.containsKey(type)) {
                glue.add(withoutSigs(at.get(type), target));
              }
            }
          }
        }
      }
      return new Lookup.Referral(cut, answer, dedupe(authority), glue);
    }

    private Lookup noData(List<RRset> proof) {
      return new Lookup.NoData(answer, negative(proof), List.of());
    }

    /** The authority section of a negative answer: the SOA, with DO the proofs gathered and {@code proof}. */
    private List<RRset> negative(List<RRset> proof) {
      List<RRset> authority = new ArrayList<>();
      if (soa != null) {
        authority.add(copy(soa, origin));
      }
      authority.addAll(proofs);
      authority.addAll(proof);
      return dedupe(authority);
    }

    /**
     * That {@code name} exists without the type asked: its NSEC (RFC 4035 section 3.1.3.1), or the
     * covering NSEC for an empty non-terminal; its NSEC3, or without one (Opt-Out) the closest
     * provable encloser proof (RFC 5155 sections 7.2.3 and 7.2.4).
     */
    private List<RRset> denyType(Name name) {
      if (!dnssecOk) {
        return List.of();
      }
      if (nsec3Hasher != null) {
        RRset matching = nsec3Matching(name);
        return matching != null ? List.of(matching) : closestProvableEncloserProof(name);
      }
      RRset nsec = nsecs.get(name);
      return proof(nsec != null ? nsec : nsecCovering(name));
    }

    /**
     * That {@code name} does not exist: NSECs covering it and the wildcard at the closest encloser
     * (RFC 4035 section 3.1.3.2), or the NSEC3 closest encloser proof plus the NSEC3 covering the
     * wildcard (RFC 5155 section 7.2.2).
     */
    private List<RRset> denyName(Name name, Name encloser) {
      if (!dnssecOk) {
        return List.of();
      }
      if (nsec3Hasher != null) {
        List<RRset> proof = new ArrayList<>(closestProvableEncloserProof(name));
        proof.addAll(proof(nsec3Covering(wildcardAt(encloser))));
        return proof;
      }
      return proof(nsecCovering(name), nsecCovering(wildcardAt(encloser)));
    }

    /** RFC 4035 section 3.1.3.3, RFC 5155 section 7.2.6: nothing closer than the wildcard matched {@code name}. */
    private List<RRset> noCloserMatch(Name name, Name encloser) {
      if (!dnssecOk) {
        return List.of();
      }
      return nsec3Hasher != null ? proof(nsec3Covering(nextCloser(name, encloser))) : proof(nsecCovering(name));
    }

    /** RFC 4035 section 3.1.3.4, RFC 5155 section 7.2.5: no closer match, and the wildcard has no data of the type. */
    private List<RRset> wildcardNoData(Name name, Name encloser, Name wildcard) {
      if (!dnssecOk) {
        return List.of();
      }
      if (nsec3Hasher != null) {
        return proof(nsec3Matching(encloser), nsec3Covering(nextCloser(name, encloser)), nsec3Matching(wildcard));
      }
      return proof(nsecCovering(name), nsecs.get(wildcard));
    }

    /**
     * RFC 5155 section 7.2.1: the NSEC3 matching the closest provable encloser of {@code name} and
     * the one covering the next closer name. The closest provable encloser is the nearest ancestor
     * with an NSEC3 (under Opt-Out an unsigned delegation, or an empty non-terminal above one, may
     * have none).
     */
    private List<RRset> closestProvableEncloserProof(Name name) {
      for (Name n = parent(name); n != null && n.subdomain(origin); n = parent(n)) {
        RRset matching = nsec3Matching(n);
        if (matching != null) {
          return proof(matching, nsec3Covering(nextCloser(name, n)));
        }
      }
      return List.of();
    }

    /** Fresh copies, with their RRSIGs, of the denial records among {@code sets} (absent ones are null). */
    private List<RRset> proof(RRset... sets) {
      List<RRset> list = new ArrayList<>();
      for (RRset s : sets) {
        if (s != null) {
          list.add(withSigs(s, s.getName()));
        }
      }
      return list;
    }

    private RRset copy(RRset set, Name owner) {
      return dnssecOk ? withSigs(set, owner) : withoutSigs(set, owner);
    }
  }

  /** Whether {@code name} exists: it owns records, or it is an empty non-terminal (a name below it does). */
  private boolean exists(Name name) {
    if (names.containsKey(name)) {
      return true;
    }
    // canonical order puts a name's descendants right after it
    Name after = names.higherKey(name);
    return after != null && after.subdomain(name);
  }

  /** RFC 4592 section 3.3.1: the nearest existing ancestor of a name that does not exist. */
  private Name closestEncloser(Name name) {
    Name n = parent(name);
    while (!exists(n)) {
      n = parent(n);
    }
    return n;
  }

  /** The NSEC whose owner is the nearest before {@code name} in canonical order: it covers the name (RFC 4034 section 4.1.1). */
  private RRset nsecCovering(Name name) {
    Map.Entry<Name, RRset> before = nsecs.lowerEntry(name);
    before = before != null ? before : nsecs.lastEntry(); // the last NSEC's next is the apex
    return before == null ? null : before.getValue();
  }

  private RRset nsec3Matching(Name name) {
    return nsec3s.get(hash(name));
  }

  /** The NSEC3 whose hash is the nearest below the hash of {@code name}; the last one wraps around (RFC 5155 section 3.1.7). */
  private RRset nsec3Covering(Name name) {
    Map.Entry<String, RRset> before = nsec3s.lowerEntry(hash(name));
    before = before != null ? before : nsec3s.lastEntry();
    return before == null ? null : before.getValue();
  }

  private String hash(Name name) {
    try {
      return BASE32HEX.toString(nsec3Hasher.hashName(name));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-1", e);
    }
  }

  /** RFC 5155 section 1.3: the ancestor of {@code name} (or itself) one label longer than {@code encloser}. */
  private static Name nextCloser(Name name, Name encloser) {
    return new Name(name, name.labels() - encloser.labels() - 1);
  }

  private static Name wildcardAt(Name encloser) {
    try {
      return Name.concatenate(WILDCARD, encloser);
    } catch (NameTooLongException e) {
      return encloser; // no wildcard fits: the encloser itself exists and owns no wildcard data
    }
  }

  private static Name parent(Name name) {
    return name.labels() <= 1 ? null : new Name(name, 1);
  }

  /** A fresh RRset of {@code set}'s records and RRSIGs, owned by {@code owner} (the qname when a wildcard expands, RFC 4592 section 3.3.1). */
  private static RRset withSigs(RRset set, Name owner) {
    RRset copy = withoutSigs(set, owner);
    for (RRSIGRecord sig : set.sigs()) {
      // the labels field still shows the expansion to a validator (RFC 4035 section 5.3.4)
      copy.addRR(owner.equals(sig.getName()) ? sig : sig.withName(owner));
    }
    return copy;
  }

  private static RRset withoutSigs(RRset set, Name owner) {
    RRset copy = new RRset();
    for (Record r : set.rrs(false)) {
      copy.addRR(owner.equals(r.getName()) ? r : r.withName(owner));
    }
    return copy;
  }

  private static RRset signaturesOnly(RRset set, Name owner) {
    RRset copy = new RRset();
    for (RRSIGRecord sig : set.sigs()) {
      copy.addRR(owner.equals(sig.getName()) ? sig : sig.withName(owner));
    }
    return copy;
  }

  /** Drops repeated RRsets (one NSEC may cover both the name and the wildcard), keeping the first. */
  private static List<RRset> dedupe(List<RRset> sets) {
    List<RRset> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (RRset s : sets) {
      if (seen.add(s.getName() + "/" + s.getType())) {
        out.add(s);
      }
    }
    return out;
  }
}
