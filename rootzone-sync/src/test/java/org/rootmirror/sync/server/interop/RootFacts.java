package org.rootmirror.sync.server.interop;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.rootmirror.dnssec.zone.Zone;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * What the zone says, in {@link Reply}'s canonical record form, that a difference between two
 * answers is checked against: the apex NS RRset and its signature, and for each name server set
 * the glue the zone holds for it, in-domain (the name server is below the delegation, RFC 9471
 * section 2) or not.
 */
final class RootFacts {
  private final Zone zone;
  private final Set<String> apexNs = new TreeSet<>();
  private final Set<String> apexNsSignatures = new TreeSet<>();

  RootFacts(Zone zone) {
    this.zone = zone;
    RRset ns = zone.rrset(Name.root, Type.NS);
    ns.rrs(false).forEach(r -> apexNs.add(Reply.canonical(r)));
    ns.sigs().forEach(r -> apexNsSignatures.add(Reply.canonical(r)));
  }

  /** The root's NS RRset, with its RRSIG when {@code dnssec}. */
  Set<String> apexNs(boolean dnssec) {
    Set<String> records = new TreeSet<>(apexNs);
    if (dnssec) {
      records.addAll(apexNsSignatures);
    }
    return records;
  }

  /** The glue of the root's name servers. */
  Set<String> apexGlue() {
    return glue(Name.root, false);
  }

  /** The glue the zone holds for the name servers of {@code owner}; only for those below it when {@code inDomainOnly}. */
  Set<String> glue(Name owner, boolean inDomainOnly) {
    Set<String> glue = new TreeSet<>();
    glueRRsets(owner, target -> !inDomainOnly || target.subdomain(owner)).forEach(glue::addAll);
    return glue;
  }

  /**
   * The glue of {@code owner}'s name servers that a response may leave out, as RRsets in the
   * order the mirror adds them while they fit. At the apex that is all of it; at a delegation the
   * glue of name servers outside it (in-domain glue is not optional, RFC 9471 section 3.1).
   */
  List<Set<String>> optionalGlue(Name owner) {
    return glueRRsets(owner, target -> owner.equals(Name.root) || !target.subdomain(owner));
  }

  /** The A and AAAA RRsets of {@code owner}'s name servers that {@code include}: server by server in NS order, A then AAAA. */
  private List<Set<String>> glueRRsets(Name owner, Predicate<Name> include) {
    List<Set<String>> rrsets = new ArrayList<>();
    RRset ns = zone.rrset(owner, Type.NS);
    if (ns == null) {
      return rrsets;
    }
    for (Name target : targets(ns)) {
      if (!include.test(target)) {
        continue;
      }
      for (int type : new int[] {Type.A, Type.AAAA}) {
        RRset addresses = zone.rrset(target, type);
        if (addresses != null) {
          Set<String> rrset = new TreeSet<>();
          addresses.rrs(false).forEach(r -> rrset.add(Reply.canonical(r)));
          rrsets.add(rrset);
        }
      }
    }
    return rrsets;
  }

  /** Whether any name server of the delegation {@code cut} is below it, so that it has in-domain glue. */
  boolean hasInDomainServers(Name cut) {
    return targets(zone.rrset(cut, Type.NS)).stream().anyMatch(t -> t.subdomain(cut));
  }

  /**
   * The delegation a response refers to: the owner of the NS records in its authority section
   * when it is a referral (no answer, AA clear), null otherwise.
   */
  static Name referralCut(Reply r) {
    if (r.aa() || !r.message().getSection(Section.ANSWER).isEmpty()) {
      return null;
    }
    for (Record rr : r.message().getSection(Section.AUTHORITY)) {
      if (rr.getType() == Type.NS) {
        return rr.getName().canonicalize();
      }
    }
    return null;
  }

  /** Whether {@code records} are one RRset, with or without the signatures over it. */
  static boolean oneRRset(List<Record> records) {
    Set<String> sets = new TreeSet<>();
    for (Record r : records) {
      int covered = r instanceof RRSIGRecord sig ? sig.getTypeCovered() : r.getType();
      sets.add(r.getName().canonicalize() + "/" + covered);
    }
    return sets.size() == 1;
  }

  /**
   * The least room a glue RRset takes in a response: per record a compressed owner (2 bytes),
   * type, class, TTL and length (10) and the address (4 or 16).
   */
  static int leastSize(Set<String> rrset) {
    int size = 0;
    for (String record : rrset) {
      size += record.split("\\s+")[3].equals("AAAA") ? 28 : 16;
    }
    return size;
  }

  private static Set<Name> targets(RRset ns) {
    Set<Name> targets = new LinkedHashSet<>();
    for (Record r : ns.rrs(false)) {
      targets.add(((NSRecord) r).getTarget());
    }
    return targets;
  }
}
