package org.rootmirror.resolver.iterate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Which records of a response from a server of zone Z may be believed (RFC 2181 section 5.4.1,
 * and the checks resolvers added against cache poisoning since): a server is believed only about
 * its own zone, and only about what was asked.
 *
 * <ul>
 *   <li>Answer: records at or below Z on the query chain, which starts at the query name and
 *       follows CNAME targets and DNAME substitutions (RFC 6672 section 2.2) while they stay in Z.
 *   <li>Authority: NS for a name at or below Z that is at or above a name of the chain (a
 *       delegation toward the query, never sideways or upward); SOA likewise; DS only beside such
 *       an NS below Z (the delegation's DS, RFC 4035 section 3.1.4); NSEC and NSEC3 at or below Z
 *       (denial proofs, RFC 4035 section 3.1.3; RFC 5155 section 7.2).
 *   <li>Additional: A and AAAA only for names that an accepted NS record of the same response
 *       names, and only at or below Z: glue out of bailiwick is dropped (Unbound's harden-glue;
 *       with it off, out-of-bailiwick addresses of those names are kept too).
 *   <li>RRSIG only beside the RRset it covers, in the same section; everything else is dropped.
 * </ul>
 *
 * <p>OPT, TSIG and SIG(0) are message data, not zone data: they are neither kept nor listed.
 */
public final class Bailiwick {
  private Bailiwick() {}

  /** A record left out, with its section ({@link Section}) and why, for logging. */
  public record Dropped(int section, Record record, String reason) {
    @Override
    public String toString() {
      return Section.string(section) + " " + record + " (" + reason + ")";
    }
  }

  /** The records that may be accepted, by section, and those dropped. */
  public record Filtered(
      List<Record> answer, List<Record> authority, List<Record> additional, List<Dropped> dropped) {
    public Filtered {
      answer = List.copyOf(answer);
      authority = List.copyOf(authority);
      additional = List.copyOf(additional);
      dropped = List.copyOf(dropped);
    }
  }

  /**
   * Filters {@code response}, which a server was asked about {@code qname} as a server of {@code
   * zone}.
   */
  public static Filtered filter(Message response, Name zone, Name qname) {
    return filter(response, zone, qname, true);
  }

  /**
   * Filters {@code response} as {@link #filter(Message, Name, Name)} does; with {@code hardenGlue}
   * false, addresses outside {@code zone} for names the accepted NS records name are kept too
   * (Unbound's harden-glue: no). They are still only glue: the iterator never gives them to clients.
   */
  public static Filtered filter(Message response, Name zone, Name qname, boolean hardenGlue) {
    return filter(response, zone, qname, hardenGlue, Type.A);
  }

  /**
   * Filters {@code response}, an answer to {@code qname}/{@code qtype}. For an RRSIG question the
   * signatures at the names of the query chain are the data asked (RFC 4035 section 3.1.5: a
   * server returns them alone), so they are kept without the RRsets they cover.
   */
  public static Filtered filter(Message response, Name zone, Name qname, boolean hardenGlue, int qtype) {
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(qname, "qname");
    List<Dropped> dropped = new ArrayList<>();

    Set<Name> chain = new HashSet<>();
    List<Record> answer = answer(response.getSection(Section.ANSWER), zone, qname, qtype, chain, dropped);
    List<Record> authority =
        authority(response.getSection(Section.AUTHORITY), zone, chain, dropped);

    Set<Name> nsTargets = new HashSet<>();
    for (List<Record> section : List.of(answer, authority)) {
      for (Record r : section) {
        if (r instanceof NSRecord ns) {
          nsTargets.add(ns.getTarget());
        }
      }
    }
    List<Record> additional =
        additional(response.getSection(Section.ADDITIONAL), zone, nsTargets, hardenGlue, dropped);
    return new Filtered(answer, authority, additional, dropped);
  }

  /** The answer section: fills {@code chain} with the in-zone names of the query chain. */
  private static List<Record> answer(
      List<Record> records, Name zone, Name qname, int qtype, Set<Name> chain, List<Dropped> dropped) {
    if (qname.subdomain(zone)) {
      chain.add(qname);
    }
    // The chain may be in any order in the section, so repeat until nothing new is accepted.
    Set<Record> accepted = new HashSet<>();
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Record r : records) {
        if (r.getType() == Type.RRSIG || accepted.contains(r) || !r.getName().subdomain(zone)) {
          continue;
        }
        Name onChain = null;
        if (chain.contains(r.getName())) {
          onChain = r.getName();
        } else if (r instanceof DNAMERecord) {
          onChain = nameBelow(chain, r.getName());
        }
        if (onChain == null) {
          continue;
        }
        accepted.add(r);
        grew = true;
        Name next = null;
        if (r instanceof CNAMERecord cname) {
          next = cname.getTarget();
        } else if (r instanceof DNAMERecord dname && !onChain.equals(dname.getName())) {
          next = substitute(onChain, dname);
        }
        if (next != null && next.subdomain(zone)) {
          chain.add(next);
        }
      }
    }
    List<Record> kept = new ArrayList<>();
    for (Record r : records) {
      if (accepted.contains(r)) {
        kept.add(r);
      } else if (r.getType() != Type.RRSIG) {
        String reason = r.getName().subdomain(zone) ? "not on the query chain" : "outside the zone";
        dropped.add(new Dropped(Section.ANSWER, r, reason));
      }
    }
    if (qtype == Type.RRSIG) {
      List<Record> data = new ArrayList<>();
      for (Record r : records) {
        if (r.getType() == Type.RRSIG && chain.contains(r.getName())) {
          data.add(r);
        }
      }
      List<Record> result = withSignatures(Section.ANSWER, records, kept, new ArrayList<>());
      data.stream().filter(r -> !result.contains(r)).forEach(result::add);
      return result;
    }
    return withSignatures(Section.ANSWER, records, kept, dropped);
  }

  private static List<Record> authority(
      List<Record> records, Name zone, Set<Name> chain, List<Dropped> dropped) {
    List<Record> kept = new ArrayList<>();
    List<Record> ds = new ArrayList<>();
    Set<Name> delegations = new HashSet<>();
    for (Record r : records) {
      String reason = null;
      switch (r.getType()) {
        case Type.NS, Type.SOA -> {
          if (!r.getName().subdomain(zone)) {
            reason = "outside the zone";
          } else if (nameAtOrBelow(chain, r.getName()) == null) {
            reason = "not toward the query name";
          } else if (r.getType() == Type.NS && !r.getName().equals(zone)) {
            delegations.add(r.getName());
          }
        }
        case Type.NSEC, Type.NSEC3 -> {
          if (!r.getName().subdomain(zone)) {
            reason = "outside the zone";
          }
        }
        case Type.DS -> {
          ds.add(r); // decided once all NS are seen
          continue;
        }
        case Type.RRSIG -> {
          continue; // decided once the RRsets are kept
        }
        default -> reason = "unexpected type in the authority section";
      }
      if (reason == null) {
        kept.add(r);
      } else {
        dropped.add(new Dropped(Section.AUTHORITY, r, reason));
      }
    }
    for (Record r : ds) {
      if (delegations.contains(r.getName())) {
        kept.add(r);
      } else {
        dropped.add(new Dropped(Section.AUTHORITY, r, "DS without a delegation below the zone"));
      }
    }
    return withSignatures(Section.AUTHORITY, records, kept, dropped);
  }

  private static List<Record> additional(
      List<Record> records, Name zone, Set<Name> nsTargets, boolean hardenGlue, List<Dropped> dropped) {
    List<Record> kept = new ArrayList<>();
    for (Record r : records) {
      int type = r.getType();
      if (type == Type.OPT || type == Type.TSIG || type == Type.SIG || type == Type.RRSIG) {
        continue;
      }
      String reason = null;
      if (type != Type.A && type != Type.AAAA) {
        reason = "not an address";
      } else if (!nsTargets.contains(r.getName())) {
        reason = "glue for a name no NS names";
      } else if (hardenGlue && !r.getName().subdomain(zone)) {
        reason = "glue outside the zone";
      }
      if (reason == null) {
        kept.add(r);
      } else {
        dropped.add(new Dropped(Section.ADDITIONAL, r, reason));
      }
    }
    return withSignatures(Section.ADDITIONAL, records, kept, dropped);
  }

  /** {@code kept} plus the RRSIGs of {@code records} that cover one of its RRsets. */
  private static List<Record> withSignatures(
      int section, List<Record> records, List<Record> kept, List<Dropped> dropped) {
    List<Record> result = new ArrayList<>(kept);
    for (Record r : records) {
      if (r instanceof RRSIGRecord sig) {
        boolean covers =
            kept.stream()
                .anyMatch(
                    k -> k.getName().equals(sig.getName()) && k.getType() == sig.getTypeCovered());
        if (covers) {
          result.add(sig);
        } else {
          dropped.add(new Dropped(section, sig, "signature without its RRset"));
        }
      }
    }
    return result;
  }

  /** A name of {@code names} strictly below {@code owner}, or null. */
  private static Name nameBelow(Set<Name> names, Name owner) {
    for (Name n : names) {
      if (n.subdomain(owner) && !n.equals(owner)) {
        return n;
      }
    }
    return null;
  }

  /** A name of {@code names} at or below {@code owner}, or null. */
  private static Name nameAtOrBelow(Set<Name> names, Name owner) {
    for (Name n : names) {
      if (n.subdomain(owner)) {
        return n;
      }
    }
    return null;
  }

  /** RFC 6672 section 2.2: {@code name} with the DNAME owner replaced by its target. */
  private static Name substitute(Name name, DNAMERecord dname) {
    try {
      return name.fromDNAME(dname);
    } catch (NameTooLongException e) {
      return null; // RFC 6672 section 2.2: YXDOMAIN; the chain ends here
    }
  }
}
