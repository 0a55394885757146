package org.rootmirror.resolver.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * The resolver's cache: RRsets and negative answers keyed by (owner name without regard to case,
 * type, class), each expiring at its TTL and kept for a stale window after that (RFC 8767).
 *
 * <p>Bounded in bytes and in entries ({@link CacheConfig}): each entry weighs its estimated heap
 * ({@link EntryBytes}), at least the answers' bytes divided by the entry bound, and Caffeine
 * evicts (by frequency and recency, W-TinyLFU) once the weights exceed the answers' bytes. An entry
 * larger than the whole bound is not kept.
 *
 * <p>Pure and thread-safe: no I/O, no threads of its own (Caffeine's maintenance runs on the
 * calling thread), time read only from the injected {@link InstantSource}.
 */
public final class DnsCache {
  /** The TTL of stale answers, RFC 8767 section 4. */
  public static final long STALE_TTL = 30;

  /**
   * How long a NOERROR answer without records and without SOA is kept: Unbound's NORR_TTL. RFC 2308
   * section 5 advises against caching negative answers without SOA, for fear of loops between
   * servers, so only for a few seconds, enough to spare the authorities a burst of repeats.
   */
  public static final long NO_RECORDS_TTL = 5;

  /** Type 0 is reserved (RFC 6895 section 3.1): it keys the NXDOMAIN entry of a name. */
  private static final int NAME_ERROR_TYPE = 0;

  private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

  private final CacheConfig config;
  private final Ticker ticker;
  private final long staleNanos;
  /** The least weight of an entry: {@code maximumEntries} of it fill the bound. */
  private final int leastWeight;
  private final Cache<Key, CacheEntry> entries;

  public DnsCache(CacheConfig config, InstantSource time) {
    this.config = Objects.requireNonNull(config);
    Objects.requireNonNull(time);
    this.ticker = () -> {
      var now = time.instant();
      return Math.addExact(Math.multiplyExact(now.getEpochSecond(), NANOS_PER_SECOND), now.getNano());
    };
    this.staleNanos = config.staleWindow().toNanos();
    long bytes = config.answerBytes();
    this.leastWeight = (int) Math.min(Integer.MAX_VALUE, (bytes + config.maximumEntries() - 1) / config.maximumEntries());
    this.entries =
        Caffeine.newBuilder()
            .maximumWeight(bytes)
            .weigher((Key k, CacheEntry e) -> Math.max(e.bytes, leastWeight))
            .expireAfter(new UntilStaleWindowEnds())
            .ticker(ticker)
            .executor(Runnable::run)
            .build();
  }

  public CacheConfig config() {
    return config;
  }

  /**
   * Stores an RRset with its RRSIGs; its TTL is bounded by the configured minimum and maximum.
   * A live entry of higher credibility is kept (RFC 2181 section 5.4.1), and a cached NXDOMAIN for
   * the owner is dropped since the name evidently exists.
   *
   * @return whether the RRset was stored
   */
  public boolean storeRRset(RRset rrset, SecurityStatus status, Credibility credibility) {
    return storeRRset(rrset, List.of(), status, credibility);
  }

  /**
   * Stores an RRset expanded from a wildcard with the NSEC/NSEC3 RRsets proving that its owner
   * does not exist itself (RFC 4035 section 3.1.3.3), served with it. The entry lives as long as
   * the shortest of them (Unbound's message TTL is the least of its RRsets'); one that would
   * expire at once is not stored, so that it cannot displace other data for the name.
   *
   * @return whether the RRset was stored
   */
  public boolean storeRRset(RRset rrset, List<RRset> proof, SecurityStatus status, Credibility credibility) {
    Objects.requireNonNull(status);
    Objects.requireNonNull(credibility);
    if (rrset.isEmpty()) {
      throw new IllegalArgumentException("an empty RRset cannot be cached");
    }
    long least = rrset.getTTL();
    for (RRset set : proof) {
      least = Math.min(least, set.getTTL());
    }
    long ttl = clamp(least, config.minTtl(), config.maxTtl());
    if (!proof.isEmpty() && ttl == 0) {
      return false;
    }
    var key = new Key(rrset.getName(), rrset.getType(), rrset.getDClass());
    var entry = newEntry(new CachedAnswer.Positive(rrset, proof), status, credibility, ttl);
    boolean stored = store(key, entry);
    if (stored) {
      entries.invalidate(new Key(rrset.getName(), NAME_ERROR_TYPE, rrset.getDClass()));
    }
    return stored;
  }

  /**
   * Stores that {@code name} does not exist (RFC 2308 section 2.1) for every type of
   * {@code dclass}, with the SOA and any NSEC/NSEC3 proof for the negative answer.
   *
   * @return whether the answer was stored
   */
  public boolean storeNameError(
      Name name, int dclass, RRset soa, List<RRset> proof, SecurityStatus status) {
    var answer = new CachedAnswer.NameError(name, soa, proof);
    return store(
        new Key(name, NAME_ERROR_TYPE, dclass),
        newEntry(answer, status, Credibility.ANSWER, negativeTtl(soa)));
  }

  /**
   * Stores that {@code name} exists but has no {@code type} data (RFC 2308 section 2.2), with the
   * SOA and any NSEC/NSEC3 proof for the negative answer.
   *
   * @return whether the answer was stored
   */
  public boolean storeNoData(
      Name name, int type, int dclass, RRset soa, List<RRset> proof, SecurityStatus status) {
    if (type == NAME_ERROR_TYPE) {
      throw new IllegalArgumentException("type 0 is reserved");
    }
    var answer = new CachedAnswer.NoData(name, type, soa, proof);
    return store(
        new Key(name, type, dclass), newEntry(answer, status, Credibility.ANSWER, negativeTtl(soa)));
  }

  /**
   * Stores a NOERROR answer with no records and no SOA for {@code name} and {@code type} (RFC 2308
   * section 2.2, NODATA type 3), with any NSEC/NSEC3 records it had: for {@value #NO_RECORDS_TTL}
   * seconds as Unbound does, or, when it has denial records (validated, a DS denial from a
   * referral), for their least TTL within the negative-TTL bounds, as their signatures allow.
   *
   * @return whether the answer was stored
   */
  public boolean storeNoRecords(Name name, int type, int dclass, List<RRset> proof, SecurityStatus status) {
    return storeWithoutSoa(name, type, dclass, proof, status, Credibility.ANSWER);
  }

  /**
   * Stores the NSEC/NSEC3 RRsets (with their RRSIGs) of a signed referral to {@code cut} that
   * carries no DS: the parent's proof that the delegation is insecure (RFC 4035 section 5.2; an
   * opt-out span, RFC 5155 section 6), kept as the NODATA answer to "cut DS" without the SOA a
   * referral lacks. It is unvalidated referral data: {@link Credibility#AUTHORITY}, {@link
   * SecurityStatus#INDETERMINATE}, so it is never served to a client; the iterator gives it to the
   * validator, which checks it against the parent's keys. Kept for the least TTL of the proofs,
   * within the negative-TTL bounds.
   *
   * @return whether the proof was stored (not when a live answer of higher credibility is held)
   */
  public boolean storeReferralNoDs(Name cut, int dclass, List<RRset> proof) {
    if (proof.isEmpty()) {
      throw new IllegalArgumentException("a referral's denial of DS needs its NSEC or NSEC3 records");
    }
    return storeWithoutSoa(cut, Type.DS, dclass, proof, SecurityStatus.INDETERMINATE, Credibility.AUTHORITY);
  }

  private boolean storeWithoutSoa(Name name, int type, int dclass, List<RRset> proof, SecurityStatus status, Credibility credibility) {
    if (type == NAME_ERROR_TYPE) {
      throw new IllegalArgumentException("type 0 is reserved");
    }
    long ttl = proof.isEmpty()
        ? NO_RECORDS_TTL
        : clamp(proof.stream().mapToLong(RRset::getTTL).min().orElseThrow(), config.minTtl(), config.maxNegativeTtl());
    var answer = new CachedAnswer.NoData(name, type, null, proof);
    return store(new Key(name, type, dclass), newEntry(answer, status, credibility, ttl));
  }

  /**
   * The live answer for a question: its RRset or NODATA, else an NXDOMAIN for the name, every
   * record carrying the remaining TTL.
   */
  public Optional<CacheHit> lookup(Name name, int type, int dclass) {
    long now = ticker.read();
    Key key = new Key(name, type, dclass);
    CacheEntry entry = live(key, now);
    if (entry == null) {
      key = new Key(name, NAME_ERROR_TYPE, dclass);
      entry = live(key, now);
    }
    return entry == null ? Optional.empty() : Optional.of(fresh(key, entry, now));
  }

  /**
   * Like {@link #lookup}, but when no live answer exists, an expired one still within the stale
   * window, served with a TTL of {@value #STALE_TTL} seconds and marked stale (RFC 8767 section
   * 4). For the resolver to call only when the authorities do not answer.
   */
  public Optional<CacheHit> lookupStale(Name name, int type, int dclass) {
    var live = lookup(name, type, dclass);
    if (live.isPresent()) {
      return live;
    }
    long now = ticker.read();
    CacheEntry entry = stale(new Key(name, type, dclass), now);
    if (entry == null) {
      entry = stale(new Key(name, NAME_ERROR_TYPE, dclass), now);
    }
    if (entry == null) {
      return Optional.empty();
    }
    return Optional.of(
        new CacheHit(
            CacheEntry.withTtl(entry.answer, STALE_TTL), entry.status, entry.credibility, STALE_TTL, true,
            false));
  }

  /** Drops what is cached for a question (not the NXDOMAIN of its name). */
  public void invalidate(Name name, int type, int dclass) {
    entries.invalidate(new Key(name, type, dclass));
  }

  /** Entries held, live or stale, after pending maintenance such as eviction. */
  public long size() {
    entries.cleanUp();
    return entries.estimatedSize();
  }

  /**
   * The estimated heap of the entries held, live or stale, after pending maintenance: at most
   * {@link CacheConfig#answerBytes()}. Adds up every entry: for a scrape, not for each query.
   */
  public long bytes() {
    entries.cleanUp();
    long sum = 0;
    for (CacheEntry e : entries.asMap().values()) {
      sum += e.bytes;
    }
    return sum;
  }

  private boolean store(Key key, CacheEntry entry) {
    long now = entry.storedAt;
    var kept =
        entries
            .asMap()
            .compute(
                key,
                (k, old) ->
                    old == null
                            || now >= old.expiresAt
                            || entry.credibility.mayReplace(old.credibility) && !weakerCopy(entry, old)
                        ? entry
                        : old);
    return kept == entry;
  }

  /**
   * Whether {@code entry} holds the same records as the live, SECURE {@code old} at a weaker status:
   * an RRset validated on its own, then met again in a chain that is insecure as a whole (a signed
   * name behind an unsigned CNAME), stays secure.
   */
  private static boolean weakerCopy(CacheEntry entry, CacheEntry old) {
    return old.status == SecurityStatus.SECURE && entry.status != SecurityStatus.SECURE
        && old.answer instanceof CachedAnswer.Positive before && entry.answer instanceof CachedAnswer.Positive after
        && new HashSet<>(before.rrset().rrs(false)).equals(new HashSet<>(after.rrset().rrs(false)));
  }

  private CacheEntry newEntry(
      CachedAnswer answer, SecurityStatus status, Credibility credibility, long ttl) {
    Objects.requireNonNull(status);
    long now = ticker.read();
    long seconds = now / NANOS_PER_SECOND;
    long bounded = Math.min(ttl, signatureBound(answer.rrsets(), seconds, true));
    if (bounded < config.minTtl()) {
      // cache-min-ttl is the operator's word and outranks the RRSIG's original TTL, as in
      // Unbound; never past the signature's expiration, though
      bounded = Math.min(config.minTtl(), signatureBound(answer.rrsets(), seconds, false));
    }
    return new CacheEntry(answer, status, credibility, bounded, now, now + bounded * NANOS_PER_SECOND);
  }

  /**
   * RFC 4035 section 5.3.3: a signed RRset is kept no longer than its RRSIG's original TTL (unless
   * {@code originalTtl} is false), nor past the signature's expiration. For each RRset the best of its signatures counts (the
   * validator needed one); for an answer of several RRsets (SOA and proofs) the shortest.
   */
  private static long signatureBound(List<RRset> rrsets, long nowSeconds, boolean originalTtl) {
    long bound = Long.MAX_VALUE;
    for (RRset set : rrsets) {
      if (set.sigs().isEmpty()) {
        continue;
      }
      long best = Long.MIN_VALUE;
      for (RRSIGRecord sig : set.sigs()) {
        long untilExpiry = sig.getExpire().getEpochSecond() - nowSeconds;
        best = Math.max(best, originalTtl ? Math.min(sig.getOrigTTL(), untilExpiry) : untilExpiry);
      }
      bound = Math.min(bound, Math.max(0, best));
    }
    return bound;
  }

  /** RFC 2308 section 5 and RFC 9077: the lesser of the SOA's TTL and its MINIMUM field. */
  private long negativeTtl(RRset soa) {
    if (soa.getType() != Type.SOA || !(soa.first() instanceof SOARecord record)) {
      throw new IllegalArgumentException("a negative answer needs the zone's SOA: " + soa);
    }
    return clamp(
        Math.min(soa.getTTL(), record.getMinimum()), config.minTtl(), config.maxNegativeTtl());
  }

  private static long clamp(long ttl, long min, long max) {
    return Math.max(min, Math.min(max, ttl));
  }

  private CacheEntry live(Key key, long now) {
    CacheEntry entry = entries.getIfPresent(key);
    return entry != null && now < entry.expiresAt ? entry : null;
  }

  private CacheEntry stale(Key key, long now) {
    CacheEntry entry = entries.getIfPresent(key);
    return entry != null && now >= entry.expiresAt && now - entry.expiresAt < staleNanos
        ? entry
        : null;
  }

  private CacheHit fresh(Key key, CacheEntry entry, long now) {
    long remainingNanos = entry.expiresAt - now;
    long remaining = remainingNanos / NANOS_PER_SECOND;
    int hits = entry.hits.incrementAndGet();
    // Unbound's rule: prefetch once less than 10% of the original TTL is left.
    boolean prefetch =
        hits > 1
            && remainingNanos * 10 < entry.ttl * NANOS_PER_SECOND
            && entry.prefetchClaimed.compareAndSet(false, true);
    CachedAnswer answer = entry.answerWithTtl(remaining);
    if (entry.keepsCopy(answer)) {
      entries.asMap().replace(key, entry, entry); // weighed again, with the copy it now keeps
    }
    return new CacheHit(answer, entry.status, entry.credibility, remaining, false, prefetch);
  }

  /** Owner name in canonical (lower) case, RFC 4034 section 6.2, so that keys ignore case. */
  private record Key(Name name, int type, int dclass) {
    Key {
      name = name.canonicalize();
    }
  }

  /** Caffeine removes an entry when its stale window ends, whatever happened to it before. */
  private final class UntilStaleWindowEnds implements Expiry<Key, CacheEntry> {
    @Override
    public long expireAfterCreate(Key key, CacheEntry value, long currentTime) {
      return remaining(value, currentTime);
    }

    @Override
    public long expireAfterUpdate(Key key, CacheEntry value, long currentTime, long currentDuration) {
      return remaining(value, currentTime);
    }

    @Override
    public long expireAfterRead(Key key, CacheEntry value, long currentTime, long currentDuration) {
      return currentDuration;
    }

    private long remaining(CacheEntry value, long currentTime) {
      return Math.max(0, value.expiresAt + staleNanos - currentTime);
    }
  }
}
