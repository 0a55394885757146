package org.rootmirror.resolver.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.Wildcards;

/**
 * Rebuilds a client's answer from cached, validated entries, link by link: CNAMEs, DNAMEs with a
 * freshly synthesised CNAME (RFC 6672 section 3.4), the proofs that go with a wildcard expansion
 * (RFC 4035 section 3.1.3.3), and the negative answer at the chain's end.
 */
final class CachedChains {
  /**
   * A rebuilt answer, and whether one of its entries asks to be refreshed (prefetch). When the
   * cache holds only the start of the chain, {@code rest} is the name it leads to, still to be
   * resolved, and the resolution holds the links so far; else {@code rest} is null.
   */
  record Rebuilt(Resolution resolution, boolean prefetch, Name rest) {
    boolean complete() {
      return rest == null;
    }
  }

  private final DnsCache cache;
  private final AggressiveNsec aggressive;
  private final int maxChain;

  CachedChains(DnsCache cache, AggressiveNsec aggressive, int maxChain) {
    this.cache = cache;
    this.aggressive = aggressive;
    this.maxChain = maxChain;
  }

  /**
   * The answer rebuilt from cached, validated entries (stale ones too when asked), or as much of
   * its chain as the cache holds, or null.
   */
  Rebuilt rebuild(Question question, boolean allowStale) {
    List<RRset> answer = new ArrayList<>();
    List<RRset> proofs = new ArrayList<>();
    SecurityStatus status = SecurityStatus.SECURE;
    Name name = question.name();
    boolean prefetch = false;
    for (int link = 0; link <= maxChain; link++) {
      CacheHit hit = usable(name, question.type(), question.dclass(), allowStale);
      if (hit != null) {
        status = weaker(status, hit.status());
        prefetch |= hit.prefetch();
        Resolution done = switch (hit.answer()) {
          case CachedAnswer.Positive p -> {
            answer.add(p.rrset());
            addProof(proofs, p.proof());
            yield new Resolution(Rcode.NOERROR, answer, proofs, status, null);
          }
          case CachedAnswer.NoData d -> new Resolution(Rcode.NOERROR, answer, concat(proofs, d.rrsets()), status, null);
          case CachedAnswer.NameError n -> new Resolution(Rcode.NXDOMAIN, answer, concat(proofs, n.rrsets()), status, null);
        };
        return new Rebuilt(done, prefetch, null);
      }
      if (question.type() != Type.CNAME) {
        CacheHit cname = usable(name, Type.CNAME, question.dclass(), allowStale);
        if (cname != null && cname.answer() instanceof CachedAnswer.Positive p) {
          status = weaker(status, cname.status());
          prefetch |= cname.prefetch();
          answer.add(p.rrset());
          addProof(proofs, p.proof());
          name = ((CNAMERecord) p.rrset().first()).getTarget();
          continue;
        }
      }
      // RFC 8198 section 5.3: a name proven absent under an existing wildcard whose secure RRset
      // is held is answered with the wildcard's RRset (or CNAME) expanded, and the proof
      AggressiveNsec.Expansion expansion = aggressive.expansion(name);
      if (expansion != null) {
        CacheHit wild = secure(usable(expansion.wildcard(), question.type(), question.dclass(), allowStale));
        boolean alias = wild == null && question.type() != Type.CNAME;
        if (alias) {
          wild = secure(usable(expansion.wildcard(), Type.CNAME, question.dclass(), allowStale));
        }
        if (wild != null && wild.answer() instanceof CachedAnswer.Positive p) {
          long ttl = Math.min(p.rrset().getTTL(), expansion.proof().getTTL());
          RRset expanded = Ttls.withTtl(renamed(p.rrset(), name), ttl);
          answer.add(expanded);
          addProof(proofs, List.of(Ttls.withTtl(expansion.proof(), ttl)));
          if (!alias) {
            return new Rebuilt(new Resolution(Rcode.NOERROR, answer, proofs, status, null), prefetch, null);
          }
          name = ((CNAMERecord) expanded.first()).getTarget();
          continue;
        }
      }
      // RFC 6672 section 3.2: a DNAME above the name redirects it. The CNAME is synthesised here
      // again rather than cached, so that the signed DNAME always goes with it.
      CacheHit dnameHit = dnameAbove(name, question.dclass(), allowStale);
      if (dnameHit == null) {
        return answer.isEmpty() ? null : new Rebuilt(new Resolution(Rcode.NOERROR, answer, proofs, status, null), prefetch, name);
      }
      RRset dname = ((CachedAnswer.Positive) dnameHit.answer()).rrset();
      Name target;
      try {
        target = name.fromDNAME((DNAMERecord) dname.first());
      } catch (NameTooLongException e) {
        return null;
      }
      status = weaker(status, dnameHit.status());
      prefetch |= dnameHit.prefetch();
      if (answer.stream().noneMatch(s -> s.getType() == Type.DNAME && s.getName().equals(dname.getName()))) {
        answer.add(dname); // once, though it makes several links of the chain (as in the first answer)
      }
      answer.add(new RRset(new CNAMERecord(name, question.dclass(), dname.getTTL(), target)));
      if (question.type() == Type.CNAME) {
        // RFC 6672 section 3.4: the synthesised CNAME answers a CNAME question
        return new Rebuilt(new Resolution(Rcode.NOERROR, answer, proofs, status, null), prefetch, null);
      }
      name = target;
    }
    return null;
  }

  /**
   * The wildcard an expanded RRset came from: "*" and the last labels its RRSIG counts (RFC 4035
   * section 5.3.4), or null if it is not an expansion.
   */
  static Name sourceWildcard(RRset set) {
    if (!Wildcards.expanded(set)) {
      return null;
    }
    Name owner = set.getName();
    int labels = set.sigs().get(0).getLabels();
    try {
      return Name.concatenate(Name.fromConstantString("*"), new Name(owner, owner.labels() - 1 - labels));
    } catch (NameTooLongException e) {
      return null;
    }
  }

  /** The RRset with its records and signatures at {@code owner} (the RRSIGs keep their labels field). */
  static RRset renamed(RRset set, Name owner) {
    RRset copy = new RRset();
    for (var rr : set.rrs(false)) {
      copy.addRR(rr.withName(owner));
    }
    for (RRSIGRecord sig : set.sigs()) {
      copy.addRR(sig.withName(owner));
    }
    return copy;
  }

  private static CacheHit secure(CacheHit hit) {
    return hit != null && hit.status() == SecurityStatus.SECURE ? hit : null;
  }

  private static void addProof(List<RRset> proofs, List<RRset> more) {
    for (RRset set : more) {
      if (!proofs.contains(set)) {
        proofs.add(set);
      }
    }
  }

  private static List<RRset> concat(List<RRset> first, List<RRset> then) {
    if (first.isEmpty()) {
      return then;
    }
    List<RRset> all = new ArrayList<>(first);
    addProof(all, then);
    return all;
  }

  /** The cached, validated DNAME RRset at the closest proper ancestor of {@code name} that has one, or null. */
  private CacheHit dnameAbove(Name name, int dclass, boolean allowStale) {
    for (int strip = 1; strip < name.labels(); strip++) {
      CacheHit hit = usable(new Name(name, strip), Type.DNAME, dclass, allowStale);
      if (hit != null && hit.answer() instanceof CachedAnswer.Positive) {
        return hit;
      }
    }
    return null;
  }

  private CacheHit usable(Name name, int type, int dclass, boolean allowStale) {
    Optional<CacheHit> hit = allowStale ? cache.lookupStale(name, type, dclass) : cache.lookup(name, type, dclass);
    if (hit.isEmpty()) {
      return null;
    }
    CacheHit h = hit.get();
    boolean validated = h.status() == SecurityStatus.SECURE || h.status() == SecurityStatus.INSECURE;
    return validated && h.credibility() == Credibility.ANSWER ? h : null;
  }

  /** The weaker of two statuses: bogus, then indeterminate, then insecure, then secure. */
  static SecurityStatus weaker(SecurityStatus a, SecurityStatus b) {
    return rank(a) >= rank(b) ? a : b;
  }

  private static int rank(SecurityStatus status) {
    return switch (status) {
      case SECURE -> 0;
      case INSECURE -> 1;
      case INDETERMINATE -> 2;
      case BOGUS -> 3;
    };
  }
}
