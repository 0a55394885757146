package org.rootmirror.resolver.cache;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.RRset;

/**
 * One answer in the {@link DnsCache}: what it holds, how trusted, until when ({@code expiresAt} on
 * the cache's nanosecond ticker), its hits, the copy last served with the current TTL, and the
 * heap it takes ({@link EntryBytes}), by which the cache weighs it.
 */
final class CacheEntry {
  final CachedAnswer answer;
  final SecurityStatus status;
  final Credibility credibility;
  final long ttl;
  final long storedAt;
  final long expiresAt;
  /**
   * The estimated heap it takes ({@link EntryBytes}): as stored, and once it keeps the copy it
   * last served, with that copy.
   */
  volatile int bytes;
  private final AtomicBoolean copyCounted = new AtomicBoolean();
  final AtomicInteger hits = new AtomicInteger();
  final AtomicBoolean prefetchClaimed = new AtomicBoolean();
  /**
   * The answer as last served: the TTL changes once a second, hits come thousands of times a
   * second, and copying every record to set its TTL was half the time of a cache hit. Racing
   * threads at most copy twice; the records are immutable, so sharing them is safe.
   */
  private volatile Served served;

  private record Served(long ttl, CachedAnswer answer) {}

  CacheEntry(
      CachedAnswer answer,
      SecurityStatus status,
      Credibility credibility,
      long ttl,
      long storedAt,
      long expiresAt) {
    this.answer = answer;
    this.status = status;
    this.credibility = credibility;
    this.ttl = ttl;
    this.storedAt = storedAt;
    this.expiresAt = expiresAt;
    this.bytes = EntryBytes.stored(answer);
  }

  /**
   * Whether {@code served} is the first copy of the records this entry keeps (not the records
   * themselves, which a TTL unchanged since storing allows): its bytes then count from now on.
   */
  boolean keepsCopy(CachedAnswer served) {
    if (sameRecords(served, answer) || !copyCounted.compareAndSet(false, true)) {
      return false;
    }
    bytes = EntryBytes.stored(answer) + EntryBytes.copy(answer);
    return true;
  }

  CachedAnswer answerWithTtl(long remaining) {
    Served last = served;
    if (last != null && last.ttl == remaining) {
      return last.answer;
    }
    CachedAnswer answer = withTtl(this.answer, remaining);
    served = new Served(remaining, answer);
    return answer;
  }

  private static boolean sameRecords(CachedAnswer a, CachedAnswer b) {
    List<RRset> x = a.rrsets();
    List<RRset> y = b.rrsets();
    if (x.size() != y.size()) {
      return false;
    }
    for (int i = 0; i < x.size(); i++) {
      if (x.get(i) != y.get(i)) {
        return false;
      }
    }
    return true;
  }

  static CachedAnswer withTtl(CachedAnswer answer, long ttl) {
    return switch (answer) {
      case CachedAnswer.Positive p ->
          new CachedAnswer.Positive(Ttls.withTtl(p.rrset(), ttl), withTtl(p.proof(), ttl));
      case CachedAnswer.NameError n ->
          new CachedAnswer.NameError(n.name(), Ttls.withTtl(n.soa(), ttl), withTtl(n.proof(), ttl));
      case CachedAnswer.NoData d ->
          new CachedAnswer.NoData(
              d.name(), d.type(), d.soa() == null ? null : Ttls.withTtl(d.soa(), ttl), withTtl(d.proof(), ttl));
    };
  }

  private static List<RRset> withTtl(List<RRset> rrsets, long ttl) {
    return rrsets.stream().map(r -> Ttls.withTtl(r, ttl)).toList();
  }
}
