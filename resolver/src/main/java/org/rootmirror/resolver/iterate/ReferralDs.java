package org.rootmirror.resolver.iterate;

import java.util.List;
import java.util.Optional;
import org.rootmirror.resolver.cache.CacheHit;
import org.rootmirror.resolver.cache.CachedAnswer;
import org.rootmirror.resolver.cache.Credibility;
import org.rootmirror.resolver.cache.DnsCache;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * What a signed referral says about the child's DS: the DS RRset itself (RFC 4035 section 3.1.4)
 * or the NSEC/NSEC3 records proving there is none (section 5.2; NSEC3 opt-out, RFC 5155 section
 * 6), kept in the cache and given back as the answer to a later DS question for the cut, as
 * Unbound and Knot Resolver use the DS from the referral. Many parents answer a direct DS question
 * only with the referral again, or not at all.
 *
 * <p>This weakens nothing: the data is kept unvalidated, at {@link Credibility#AUTHORITY}, never
 * served to clients as it is; the validator above checks it against the parent's keys like any
 * DS answer, and the cache keeps it as an answer only once validated.
 */
final class ReferralDs {
  private final DnsCache cache;

  ReferralDs(DnsCache cache) {
    this.cache = cache;
  }

  /** Keeps the DS RRset, or else the denial records, that a referral to {@code cut} carries. */
  void keep(Name cut, Reply referral) {
    RRset ds = ds(cut, referral);
    if (ds != null) {
      cache.storeRRset(ds, SecurityStatus.INDETERMINATE, Credibility.AUTHORITY);
      return;
    }
    List<RRset> proof = proof(referral);
    if (!proof.isEmpty()) {
      cache.storeReferralNoDs(cut, DClass.IN, proof);
    }
  }

  /**
   * A referral to {@code cut} in reply to "cut DS" as the answer to that question: its DS RRset in
   * the answer section, or its denial records as a NODATA; null when it carries neither (an
   * unsigned parent: the referral itself says there is no DS to give).
   */
  static Reply asAnswer(Name cut, Reply referral) {
    RRset ds = ds(cut, referral);
    if (ds != null) {
      return new Reply(Rcode.NOERROR, false, List.of(ds), List.of(), List.of());
    }
    List<RRset> proof = proof(referral);
    return proof.isEmpty() ? null : new Reply(Rcode.NOERROR, false, List.of(), proof, List.of());
  }

  /** The answer to "name DS" from what referrals (or validated answers) left in the cache, or null. */
  Reply known(Name name) {
    Optional<CacheHit> hit = cache.lookup(name, Type.DS, DClass.IN);
    if (hit.isEmpty()) {
      return null;
    }
    return switch (hit.get().answer()) {
      case CachedAnswer.Positive p when p.rrset().getType() == Type.DS ->
          new Reply(Rcode.NOERROR, false, List.of(p.rrset()), List.of(), List.of());
      case CachedAnswer.NoData d when d.type() == Type.DS -> new Reply(Rcode.NOERROR, false, List.of(), d.rrsets(), List.of());
      default -> null;
    };
  }

  private static RRset ds(Name cut, Reply referral) {
    return referral.authority().stream()
        .filter(s -> s.getType() == Type.DS && s.getName().equals(cut) && s.size() > 0)
        .findFirst().orElse(null);
  }

  /** The referral's NSEC and NSEC3 RRsets: for the validator to judge what they prove. */
  private static List<RRset> proof(Reply referral) {
    return referral.authority().stream().filter(s -> Reply.proof(s.getType())).toList();
  }
}
