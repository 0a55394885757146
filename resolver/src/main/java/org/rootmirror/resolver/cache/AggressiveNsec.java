package org.rootmirror.resolver.cache;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.rootmirror.resolver.validate.NsecDenial;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Aggressive use of DNSSEC-validated NSEC records (RFC 8198): the NSEC records and SOA of every
 * zone seen in secure answers are kept, per zone in canonical order, so that a name in a gap
 * already proven empty gets its NXDOMAIN (section 5.1) or NODATA (section 5.2) from memory, with
 * no upstream query and no new signature check. NSEC3 is not used (optional in RFC 8198).
 *
 * <p>Only NSEC RRsets signed by the zone whose SOA or wildcard answer they came with are kept:
 * those are the ones the validator checked. At most {@code limit} NSEC RRsets and {@code
 * byteLimit} bytes (estimated as the cache's entries are, {@link EntryBytes}, SOAs included) are
 * held; when full, the expired ones go, and if that is not enough, all of them (they are learnt
 * again).
 */
public final class AggressiveNsec {
  /** Per kept RRset besides the RRset itself: the map's node and the entry. */
  private static final int NODE = 96;

  private record Entry(RRset rrset, Instant expires, long bytes) {
    Entry(RRset rrset, Instant expires) {
      this(rrset, expires, NODE + EntryBytes.rrset(rrset));
    }

    NSECRecord nsec() {
      return (NSECRecord) rrset.first();
    }
  }

  /** One zone's NSEC records by owner (canonical order, RFC 4034 section 6.1) and its SOA. */
  private static final class Zone {
    final ConcurrentSkipListMap<Name, Entry> nsecs = new ConcurrentSkipListMap<>();
    volatile Entry soa;
  }

  private final InstantSource time;
  private final long limit;
  private final long byteLimit;
  private final Map<Name, Zone> zones = new ConcurrentHashMap<>();
  private final AtomicLong size = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  public AggressiveNsec(InstantSource time) {
    this(time, CacheConfig.defaults());
  }

  /** Bounded by the cache's entry bound and its share of the cache's bytes, {@link CacheConfig#nsecBytes()}. */
  public AggressiveNsec(InstantSource time, CacheConfig config) {
    this(time, config.maximumEntries(), config.nsecBytes());
  }

  /**
   * @param limit NSEC RRsets held at most
   * @param byteLimit their estimated bytes (and the zones' SOAs) at most
   */
  public AggressiveNsec(InstantSource time, long limit, long byteLimit) {
    this.time = time;
    this.limit = limit;
    this.byteLimit = byteLimit;
  }

  /**
   * Learns from the authority section of a secure answer: the zone's SOA, and the NSEC RRsets
   * signed by {@code zone} (for a negative answer the SOA's zone, for a wildcard expansion the
   * signer of the expanded RRset), each until its TTL, bounded by the SOA's negative TTL when
   * known (RFC 8198 section 5.4).
   */
  public void learn(List<RRset> authority, Name zone) {
    Instant now = time.instant();
    Zone z = null;
    long negativeTtl = Long.MAX_VALUE;
    for (RRset set : authority) {
      if (set.getType() == Type.SOA && set.getName().equals(zone)) {
        Entry soa = new Entry(set, now.plusSeconds(set.getTTL()));
        makeRoom(now, soa.bytes());
        z = zones.computeIfAbsent(zone, k -> new Zone());
        negativeTtl = Math.min(set.getTTL(), ((SOARecord) set.first()).getMinimum());
        Entry old = z.soa;
        z.soa = soa;
        bytes.addAndGet(soa.bytes() - (old == null ? 0 : old.bytes()));
      }
    }
    for (RRset set : authority) {
      if (set.getType() != Type.NSEC || !set.getName().subdomain(zone) || !signedBy(set, zone)) {
        continue;
      }
      Entry entry = new Entry(set, now.plusSeconds(Math.min(set.getTTL(), negativeTtl)));
      makeRoom(now, entry.bytes());
      if (z == null || zones.get(zone) != z) { // new, or dropped by makeRoom
        z = zones.computeIfAbsent(zone, k -> new Zone());
      }
      Entry old = z.nsecs.put(set.getName(), entry);
      if (old == null) {
        size.incrementAndGet();
      }
      bytes.addAndGet(entry.bytes() - (old == null ? 0 : old.bytes()));
    }
  }

  private static boolean signedBy(RRset set, Name zone) {
    for (RRSIGRecord sig : set.sigs()) {
      if (!sig.getSigner().equals(zone)) {
        return false;
      }
    }
    return !set.sigs().isEmpty();
  }

  /** Drops the expired records, or everything, when one more of {@code adding} bytes would not fit. */
  private void makeRoom(Instant now, long adding) {
    if (size.get() < limit && bytes.get() + adding <= byteLimit) {
      return;
    }
    for (Zone z : zones.values()) {
      z.nsecs.values().removeIf(e -> {
        if (now.isBefore(e.expires())) {
          return false;
        }
        size.decrementAndGet();
        bytes.addAndGet(-e.bytes());
        return true;
      });
    }
    if (size.get() >= limit || bytes.get() + adding > byteLimit) {
      zones.clear();
      size.set(0);
      bytes.set(0);
    }
  }

  /**
   * A negative answer for {@code name}/{@code type} synthesised from the kept NSEC records: NXDOMAIN
   * when an NSEC covers the name and one covers the wildcard at its closest encloser (RFC 8198
   * section 5.1), NODATA when the NSEC at the name (or at an empty non-terminal, or at the
   * wildcard) lacks the type and CNAME (section 5.2; for DS, the parent's NSEC at the delegation
   * shows NS without DS and SOA); else null. Its TTL is the least of the NSEC TTLs, the SOA's
   * TTL and its MINIMUM (section 5.4).
   */
  public CachedAnswer synthesise(Name name, int type) {
    Instant now = time.instant();
    // DS lives in the parent zone (RFC 4035 section 5.2)
    Zone zone = closestZone(type == Type.DS && name.labels() > 1 ? new Name(name, 1) : name, now);
    if (zone == null) {
      return null;
    }
    Entry soa = zone.soa;
    Entry exact = live(zone.nsecs.get(name), now);
    if (exact != null) {
      return NsecDenial.noData(name, type, List.of(exact.nsec())).proven() ? answer(name, type, soa, now, exact) : null;
    }
    Entry covering = live(zone.nsecs.lowerEntry(name), now);
    if (covering == null || !NsecDenial.covers(covering.nsec(), name)) {
      return null;
    }
    if (NsecDenial.noData(name, type, List.of(covering.nsec())).proven()) {
      return answer(name, type, soa, now, covering); // an empty non-terminal (RFC 4035 section 3.1.3.2)
    }
    Name wildcard = NsecDenial.wildcardFor(name, covering.nsec());
    if (wildcard == null) {
      return null;
    }
    Entry atWildcard = live(zone.nsecs.get(wildcard), now);
    if (atWildcard != null) {
      // the wildcard exists: NODATA if it lacks the type, else the answer is an expansion
      boolean noData = NsecDenial.noData(name, type, List.of(covering.nsec(), atWildcard.nsec())).proven();
      return noData ? answer(name, type, soa, now, covering, atWildcard) : null;
    }
    Entry wildcardCovering = live(zone.nsecs.lowerEntry(wildcard), now);
    if (wildcardCovering == null
        || !NsecDenial.provesNonexistence(name, covering.nsec(), wildcardCovering.nsec())) {
      return null;
    }
    return answer(name, 0, soa, now, covering, wildcardCovering);
  }

  /**
   * A wildcard that {@code name} would be expanded from, with the NSEC proving that the name
   * itself does not exist (RFC 8198 section 5.3), for the cache to expand a held wildcard RRset.
   */
  public record Expansion(Name wildcard, RRset proof) {}

  /** The wildcard, known to exist from its own NSEC, that answers {@code name}, or null. */
  public Expansion expansion(Name name) {
    Instant now = time.instant();
    Zone zone = closestZone(name, now);
    if (zone == null || live(zone.nsecs.get(name), now) != null) {
      return null;
    }
    Entry covering = live(zone.nsecs.lowerEntry(name), now);
    if (covering == null || !NsecDenial.covers(covering.nsec(), name)) {
      return null;
    }
    Name next = covering.nsec().getNext();
    if (next.subdomain(name) && !next.equals(name)) {
      return null; // an empty non-terminal: the name exists
    }
    Name wildcard = NsecDenial.wildcardFor(name, covering.nsec());
    if (wildcard == null || live(zone.nsecs.get(wildcard), now) == null) {
      return null;
    }
    return new Expansion(wildcard, Ttls.withTtl(covering.rrset(), Math.max(0, seconds(now, covering.expires()))));
  }

  /** The NSEC at or covering {@code name} in the closest enclosing zone known, with the SOA, or null. */
  private Zone closestZone(Name name, Instant now) {
    for (int strip = 0; strip < name.labels(); strip++) {
      Zone zone = zones.get(strip == 0 ? name : new Name(name, strip));
      if (zone != null) {
        Entry soa = zone.soa;
        return soa != null && now.isBefore(soa.expires()) ? zone : null;
      }
    }
    return null;
  }

  /** NODATA for {@code type}, or NXDOMAIN for type 0, from {@code used}. */
  private static CachedAnswer answer(Name name, int type, Entry soa, Instant now, Entry... used) {
    long ttl = Math.min(seconds(now, soa.expires()), ((SOARecord) soa.rrset().first()).getMinimum());
    for (Entry e : used) {
      ttl = Math.min(ttl, seconds(now, e.expires()));
    }
    ttl = Math.max(0, ttl);
    List<RRset> proof = new ArrayList<>();
    for (Entry e : used) {
      RRset set = Ttls.withTtl(e.rrset(), ttl);
      if (!proof.contains(set)) {
        proof.add(set);
      }
    }
    RRset soaSet = Ttls.withTtl(soa.rrset(), ttl);
    return type == 0 ? new CachedAnswer.NameError(name, soaSet, proof) : new CachedAnswer.NoData(name, type, soaSet, proof);
  }

  private static Entry live(Map.Entry<Name, Entry> entry, Instant now) {
    return entry == null ? null : live(entry.getValue(), now);
  }

  private static Entry live(Entry entry, Instant now) {
    return entry == null || !now.isBefore(entry.expires()) ? null : entry;
  }

  private static long seconds(Instant now, Instant until) {
    return until.getEpochSecond() - now.getEpochSecond();
  }

  /** NSEC RRsets held (live or not yet dropped), all zones together. */
  public int size() {
    return (int) size.get();
  }

  /** Their estimated bytes, with the zones' SOAs: at most the byte limit. */
  public long bytes() {
    return bytes.get();
  }
}
