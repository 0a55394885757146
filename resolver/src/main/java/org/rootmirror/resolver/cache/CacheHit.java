package org.rootmirror.resolver.cache;

/**
 * One answer from the cache.
 *
 * @param answer the cached answer, every record carrying {@code ttl}
 * @param status its DNSSEC security status
 * @param credibility where it came from (RFC 2181 section 5.4.1)
 * @param ttl the remaining TTL in seconds, or 30 for stale data (RFC 8767 section 4)
 * @param stale whether the data has expired and is served under RFC 8767
 * @param prefetch whether the caller should refresh the entry in the background: it is popular
 *     and has less than 10% of its TTL left (Unbound's prefetch rule); given to one caller only
 */
public record CacheHit(
    CachedAnswer answer,
    SecurityStatus status,
    Credibility credibility,
    long ttl,
    boolean stale,
    boolean prefetch) {}
