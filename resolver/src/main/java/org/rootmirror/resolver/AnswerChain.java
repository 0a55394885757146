package org.rootmirror.resolver;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * The CNAME/DNAME chain through an answer section, from the query name (RFC 1034 section 3.6.2,
 * RFC 6672 section 3.2): which RRsets it uses in order, the name it ends at, whether that name
 * has data of the type asked, and whether the chain comes back to a name it already passed (a
 * loop: a CNAME or DNAME that maps into itself, or two that map into each other), which no amount
 * of following can end.
 */
public record AnswerChain(List<RRset> rrsets, Name end, boolean answered, boolean loop) {
  public AnswerChain {
    rrsets = List.copyOf(rrsets);
  }

  public AnswerChain(List<RRset> rrsets, Name end, boolean answered) {
    this(rrsets, end, answered, false);
  }

  /** Follows the chain from {@code from} through {@code answer}, each link at most once. */
  public static AnswerChain follow(List<RRset> answer, Name from, int qtype) {
    List<RRset> used = new ArrayList<>();
    java.util.Set<Name> visited = new java.util.HashSet<>();
    Name name = from;
    for (int i = 0; i <= answer.size(); i++) {
      if (!visited.add(name)) {
        return new AnswerChain(used, name, false, true);
      }
      if (qtype == Type.RRSIG) {
        // RFC 4035 section 3.1.5: the signatures at the name, alone, one RRset per type covered
        final Name at = name;
        List<RRset> sigs = answer.stream().filter(s -> s.size() == 0 && !s.sigs().isEmpty() && s.getName().equals(at)).toList();
        if (!sigs.isEmpty()) {
          used.addAll(sigs);
          return new AnswerChain(used, name, true);
        }
      }
      RRset data = find(answer, name, qtype);
      if (data != null) {
        // RFC 6672 section 3.4: for a CNAME question the CNAME found may be the one synthesised
        // from a DNAME above; that DNAME is the signed data that answers, and goes first
        RRset dname = dnameSynthesising(data, answer);
        if (dname != null && !used.contains(dname)) {
          used.add(dname);
        }
        used.add(data);
        return new AnswerChain(used, name, true);
      }
      // A DNAME above the name comes first: a CNAME at the name is then the one synthesised from it.
      RRset dname = dnameAbove(answer, name);
      if (dname == null || used.contains(dname)) {
        RRset cname = qtype == Type.CNAME ? null : find(answer, name, Type.CNAME);
        if (cname == null) {
          break;
        }
        if (used.contains(cname)) {
          return new AnswerChain(used, name, false, true);
        }
        used.add(cname);
        name = ((CNAMERecord) cname.first()).getTarget();
        continue;
      }
      used.add(dname);
      Name owner = name;
      try {
        name = owner.fromDNAME((DNAMERecord) dname.first());
      } catch (NameTooLongException e) {
        break; // RFC 6672 section 2.2: the substitution does not fit, the chain ends here
      }
      // the CNAME synthesised from the DNAME (RFC 6672 section 3.1) goes with it when present
      RRset synthesised = find(answer, owner, Type.CNAME);
      if (synthesised != null && !used.contains(synthesised)) {
        used.add(synthesised);
      }
    }
    return new AnswerChain(used, name, false);
  }

  /**
   * The DNAME RRset of {@code answer} that {@code cname} was synthesised from (RFC 6672 section
   * 3.1: owner below the DNAME's, target the owner with the DNAME applied), or null.
   */
  public static RRset dnameSynthesising(RRset cname, List<RRset> answer) {
    if (cname.getType() != Type.CNAME || cname.size() == 0) {
      return null;
    }
    Name owner = cname.getName();
    Name target = ((CNAMERecord) cname.first()).getTarget();
    for (RRset set : answer) {
      if (set.getType() == Type.DNAME && set.size() > 0 && owner.subdomain(set.getName()) && !owner.equals(set.getName())) {
        try {
          if (target.equals(owner.fromDNAME((DNAMERecord) set.first()))) {
            return set;
          }
        } catch (NameTooLongException e) {
          // no CNAME can have been made from this DNAME
        }
      }
    }
    return null;
  }

  private static RRset find(List<RRset> sets, Name name, int type) {
    for (RRset set : sets) {
      if (set.getType() == type && set.getName().equals(name)) {
        return set;
      }
    }
    return null;
  }

  private static RRset dnameAbove(List<RRset> sets, Name name) {
    for (RRset set : sets) {
      if (set.getType() == Type.DNAME && name.subdomain(set.getName()) && !name.equals(set.getName())) {
        return set;
      }
    }
    return null;
  }
}
