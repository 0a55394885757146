package org.rootmirror.resolver.cache;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.rootmirror.resolver.validate.NsecDenial;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * Aggressive use of the root zone's validated NSEC records (RFC 8198): once a secure NXDOMAIN has
 * shown which gap between two TLDs a name falls in, every other name in that gap is answered
 * NXDOMAIN from memory, with no upstream query and no new signature check. The root has about 1,450
 * gaps, so junk TLDs soon cost no more than a cache hit.
 *
 * <p>Only NSEC records signed by the root are kept: they are the target, and one zone keeps
 * the wildcard rule simple (the root has no wildcard, and its apex NSEC covers {@code *.}).
 */
public final class AggressiveNsec {
  private record Entry(RRset rrset, Instant expires) {}

  private final InstantSource time;
  private final ConcurrentSkipListMap<Name, Entry> nsecs = new ConcurrentSkipListMap<>();
  private volatile Entry soa;

  public AggressiveNsec(InstantSource time) {
    this.time = time;
  }

  /**
   * Learns from a validated, secure NXDOMAIN: keeps its root NSEC RRsets and the root SOA, each
   * until its TTL (RFC 8198 section 5.4 bounds the NSEC's life by the SOA minimum as well).
   */
  public void learn(List<RRset> authority) {
    Instant now = time.instant();
    RRset rootSoa = authority.stream().filter(s -> s.getType() == Type.SOA && s.getName().equals(Name.root)).findFirst().orElse(null);
    if (rootSoa == null) {
      return;
    }
    long negativeTtl = Math.min(rootSoa.getTTL(), ((org.xbill.DNS.SOARecord) rootSoa.first()).getMinimum());
    soa = new Entry(rootSoa, now.plusSeconds(negativeTtl));
    for (RRset set : authority) {
      if (set.getType() == Type.NSEC && signedByRoot(set)) {
        nsecs.put(set.getName(), new Entry(set, now.plusSeconds(Math.min(set.getTTL(), negativeTtl))));
      }
    }
  }

  private static boolean signedByRoot(RRset set) {
    for (RRSIGRecord sig : set.sigs()) {
      if (!sig.getSigner().equals(Name.root)) {
        return false;
      }
    }
    return !set.sigs().isEmpty();
  }

  /** An NXDOMAIN for {@code name} synthesised from the kept NSEC records, or null. */
  public CachedAnswer.NameError synthesise(Name name) {
    Instant now = time.instant();
    Entry soaEntry = soa;
    if (soaEntry == null || !now.isBefore(soaEntry.expires())) {
      return null;
    }
    Entry covering = live(nsecs.floorEntry(name), now);
    if (covering == null || covering.rrset().getName().equals(name)) {
      return null;
    }
    NSECRecord nsec = (NSECRecord) covering.rrset().first();
    Name wildcard = NsecDenial.wildcardFor(name, nsec);
    Entry wildcardCovering = wildcard == null ? null : live(nsecs.floorEntry(wildcard), now);
    if (wildcardCovering == null
        || !NsecDenial.provesNonexistence(name, nsec, (NSECRecord) wildcardCovering.rrset().first())) {
      return null;
    }
    long ttl = Math.max(0, Math.min(seconds(now, soaEntry.expires()),
        Math.min(seconds(now, covering.expires()), seconds(now, wildcardCovering.expires()))));
    List<RRset> proof = covering == wildcardCovering
        ? List.of(Ttls.withTtl(covering.rrset(), ttl))
        : List.of(Ttls.withTtl(covering.rrset(), ttl), Ttls.withTtl(wildcardCovering.rrset(), ttl));
    return new CachedAnswer.NameError(name, Ttls.withTtl(soaEntry.rrset(), ttl), proof);
  }

  private static Entry live(Map.Entry<Name, Entry> entry, Instant now) {
    return entry == null || !now.isBefore(entry.getValue().expires()) ? null : entry.getValue();
  }

  private static long seconds(Instant now, Instant until) {
    return until.getEpochSecond() - now.getEpochSecond();
  }

  /** Root NSEC RRsets held (live or not yet dropped). */
  public int size() {
    return nsecs.size();
  }
}
