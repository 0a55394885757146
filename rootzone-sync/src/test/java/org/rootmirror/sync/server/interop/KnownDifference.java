package org.rootmirror.sync.server.interop;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.Name;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The ways the mirror's answers differ from NSD 4.6.1's (Debian 12) for the same root zone that
 * are understood and accepted, each with its reason and a check narrow enough that a difference
 * of another kind is not mistaken for it. An exchange is explained when one of these accounts
 * for all of its differences.
 *
 * <p>Known, but outside the generated mix and so not checked here (each seen with NSD 4.6.1):
 * AXFR over UDP gets NOTIMP from NSD and REFUSED from the mirror (RFC 5936 section 4.2 leaves it to
 * the server); a query of class ANY gets NSD's class IN answer and REFUSED from the mirror; NSD
 * clears the CD flag in its answers where the mirror copies it, as RFC 4035 section 3.1.6 asks
 * (header flags other than AA and TC are not compared).
 */
enum KnownDifference {
  APEX_NS_IN_AUTHORITY(
      "NSD adds the root's NS RRset (under DO with its RRSIG) to the authority section of every positive answer"
          + " at the apex except DNSKEY and DS (NSD query.c: answer_domain, answer_needs_ns), and the root servers'"
          + " addresses to the additional section, when they fit; the mirror sends the answer alone. RFC 1034"
          + " section 4.3.2 does not require that NS RRset, and resolvers learn it from the priming query (RFC 8109),"
          + " which both answer alike.") {
    @Override
    boolean explains(Exchange e, RootFacts facts) {
      Probe p = e.probe();
      // NSD's answer is the larger one: only NSD may be truncated where the mirror is not
      if (!p.qname().equals(Name.root) || (e.mirrorUdp().tc() && !e.nsdUdp().tc())
          || !sameHeader(e.mirrorUdp(), e.nsdUdp(), true) || e.complete().isEmpty()) {
        return false;
      }
      boolean added = false;
      for (Reply[] pair : e.complete()) {
        Reply mirror = pair[0];
        Reply nsd = pair[1];
        if (!sameHeader(mirror, nsd, false) || mirror.answer().isEmpty() || !mirror.answer().equals(nsd.answer())
            || !mirror.authority().isEmpty() || !mirror.additional().isEmpty()) {
          return false;
        }
        if (nsd.authority().isEmpty() && nsd.additional().isEmpty()) {
          continue; // NSD left its optional NS RRset out for lack of room: the same answer
        }
        if (!nsd.authority().equals(facts.apexNs(p.dnssecOk())) || !facts.apexGlue().containsAll(nsd.additional())) {
          return false;
        }
        added = true;
      }
      return added;
    }
  },

  MINIMAL_ANY(
      "NSD answers ANY with a single RRset, here the SOA (RFC 8482 section 4.1; NSD's default since its ChangeLog"
          + " entry of 24 January 2019, 'Deny ANY with only one RR in response'), over UDP and TCP alike; the mirror"
          + " answers so over UDP only, and over TCP gives the conventional answer, every RRset at the apex, as"
          + " RFC 8482 section 4.4 allows.") {
    @Override
    boolean explains(Exchange e, RootFacts facts) {
      Probe p = e.probe();
      if (p.qtype() != Type.ANY || !p.qname().equals(Name.root) || (e.nsdUdp().tc() && !e.mirrorUdp().tc())
          || !sameHeader(e.mirrorUdp(), e.nsdUdp(), true) || e.complete().isEmpty()) {
        return false;
      }
      for (Reply[] pair : e.complete()) {
        Reply mirror = pair[0];
        Reply nsd = pair[1];
        if (!sameHeader(mirror, nsd, false) || nsd.answer().isEmpty()
            || !RootFacts.oneRRset(nsd.message().getSection(Section.ANSWER))
            || !mirror.answer().containsAll(nsd.answer()) || !mirror.authority().equals(nsd.authority())
            || !mirror.additional().equals(nsd.additional())) {
          return false;
        }
      }
      return true;
    }
  },

  IN_DOMAIN_GLUE_TRUNCATES(
      "When a UDP referral has no room for all of its in-domain glue (name servers below the delegation), RFC 9471"
          + " section 3.1 requires TC, which the mirror sets; NSD 4.6.1 predates RFC 9471 and sets TC only when no"
          + " glue at all fits (NSD ChangeLog, 12 May 2016), so it sends the referral with part of the in-domain"
          + " glue. Over TCP both send the same complete referral.") {
    @Override
    boolean explains(Exchange e, RootFacts facts) {
      Reply mirror = e.mirrorUdp();
      Reply nsd = e.nsdUdp();
      Name cut = RootFacts.referralCut(nsd);
      if (!mirror.tc() || nsd.tc() || !sameHeader(mirror, nsd, true) || !e.hasTcp() || !e.tcpAgrees() || cut == null
          || !nsd.authority().equals(e.nsdTcp().authority())) {
        return false;
      }
      Set<String> missing = new TreeSet<>(facts.glue(cut, true));
      missing.removeAll(nsd.glue());
      return !missing.isEmpty();
    }
  },

  NO_GLUE_TRUNCATES_NSD(
      "NSD sets TC when a referral has room for none of its glue (NSD ChangeLog, 12 May 2016), even when every name"
          + " server is outside the delegation so that all of it is sibling glue. RFC 9471 requires TC only when"
          + " in-domain glue does not fit (section 3.1), so the mirror sends the complete NS and DS RRsets without"
          + " glue and without TC. Over TCP both send the same complete"
          + " referral.") {
    @Override
    boolean explains(Exchange e, RootFacts facts) {
      Reply mirror = e.mirrorUdp();
      Reply nsd = e.nsdUdp();
      Name cut = RootFacts.referralCut(mirror);
      return !mirror.tc() && nsd.tc() && sameHeader(mirror, nsd, true) && e.hasTcp() && e.tcpAgrees() && cut != null
          && !facts.hasInDomainServers(cut) && mirror.glue().isEmpty()
          && mirror.authority().equals(e.mirrorTcp().authority());
    }
  },

  LARGER_ENCODING_TRUNCATES(
      "The mirror's referral is encoded once per delegation, its names compressed against the delegation's name"
          + " and each other (AnswerTable, EncodedSections); NSD compresses against the whole query name. When the"
          + " query name shares more than the TLD with the name servers' names (RCz.Ns.Ua. and rcz.ns.ua., say),"
          + " NSD's referral is a few bytes smaller (509 against 516 bytes for that one) and can fit under a 512-byte"
          + " limit where the mirror's, needing all its in-domain glue, is truncated. The content is the same, as"
          + " TCP shows.") {
    @Override
    boolean explains(Exchange e, RootFacts facts) {
      Reply mirror = e.mirrorUdp();
      Reply nsd = e.nsdUdp();
      Name cut = RootFacts.referralCut(nsd);
      return mirror.tc() && !nsd.tc() && sameHeader(mirror, nsd, true) && e.hasTcp() && e.tcpAgrees()
          && sameSections(nsd, e.nsdTcp()) && cut != null && facts.hasInDomainServers(cut)
          && e.mirrorTcp().size() > limit(e.probe()) && e.nsdTcp().size() <= limit(e.probe());
    }
  },

  GLUE_CHOSEN_DIFFERENTLY(
      "When not all glue fits in a UDP response, the servers fill the room differently. NSD adds A records before"
          + " AAAA records (NSD answer.c encode_answer: the additional A section, then AAAA) and leaves out what does"
          + " not fit, even in-domain AAAA glue, without TC. The mirror sends all in-domain glue (RFC 9471 section"
          + " 3.1), then the other glue name server by name server, A then AAAA, and stops at the first RRset that"
          + " does not fit (EncodedSections.fit takes a prefix, so that compression pointers stay valid): an AAAA"
          + " RRset that does not fit ends the glue even where A RRsets after it would have fitted. Accepted when"
          + " NSD's glue is glue the zone holds for that NS RRset and the mirror's is exactly all the in-domain glue"
          + " and a prefix of the rest in that order, ending at an RRset for which there was no room.") {
    @Override
    boolean explains(Exchange e, RootFacts facts) {
      Probe p = e.probe();
      Reply mirror = e.mirrorUdp();
      Reply nsd = e.nsdUdp();
      if (e.truncated() || !sameHeader(mirror, nsd, false) || !e.tcpAgrees()
          || !mirror.answer().equals(nsd.answer()) || !mirror.authority().equals(nsd.authority())
          || mirror.additional().size() - mirror.glue().size() != nsd.additional().size() - nsd.glue().size()) {
        return false;
      }
      Name owner = RootFacts.referralCut(mirror);
      if (owner == null && p.qname().equals(Name.root) && p.qtype() == Type.NS && mirror.aa()) {
        owner = Name.root; // the answer to the priming query, whose glue is all optional
      }
      if (owner == null) {
        return false;
      }
      Set<String> inDomain = owner.equals(Name.root) ? Set.of() : facts.glue(owner, true);
      return facts.glue(owner, false).containsAll(nsd.glue())
          && mirrorGlueIsAFullPrefix(mirror, inDomain, facts.optionalGlue(owner), limit(p));
    }
  };

  private final String reason;

  KnownDifference(String reason) {
    this.reason = reason;
  }

  String reason() {
    return reason;
  }

  /** Whether this difference accounts for everything that differs in {@code e}. */
  abstract boolean explains(Exchange e, RootFacts facts);

  /** Same RCODE, AA, EDNS echo and (unless {@code ignoreTc}) TC. */
  private static boolean sameHeader(Reply a, Reply b, boolean ignoreTc) {
    return a.rcode() == b.rcode() && a.aa() == b.aa() && (ignoreTc || a.tc() == b.tc())
        && a.ednsEcho().equals(b.ednsEcho());
  }

  /**
   * The largest UDP response to {@code p} (RFC 6891 section 6.2.5): both servers cap EDNS answers at
   * 1232 bytes (NSD's ipv4-edns-size, the mirror's default), 512 without EDNS (RFC 1035 section 4.2.1).
   */
  private static int limit(Probe p) {
    return p.edns() ? Math.min(Math.max(p.udpPayload(), 512), 1232) : 512;
  }

  private static boolean sameSections(Reply a, Reply b) {
    return a.answer().equals(b.answer()) && a.authority().equals(b.authority()) && a.additional().equals(b.additional());
  }

  /**
   * Whether the mirror's glue is {@code inDomain}, then the first of the {@code optional} RRsets
   * (whole), and the next one, if any, would not fit in the room left.
   */
  private static boolean mirrorGlueIsAFullPrefix(Reply r, Set<String> inDomain, List<Set<String>> optional, int limit) {
    Set<String> expected = new TreeSet<>(inDomain);
    int sent = 0;
    while (sent < optional.size() && r.glue().containsAll(optional.get(sent))) {
      expected.addAll(optional.get(sent++));
    }
    if (!r.glue().equals(expected)) {
      return false;
    }
    return sent == optional.size() || RootFacts.leastSize(optional.get(sent)) > limit - r.size();
  }
}
