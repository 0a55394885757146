package org.rootmirror.resolver.cache;

import java.time.Duration;

/**
 * Bounds of the cache.
 *
 * <p>Its size is bounded in bytes, as Unbound's msg-cache-size and rrset-cache-size bound
 * Unbound's: {@code maximumBytes} is the whole cache, three quarters for answers (positive and
 * negative, delegations, glue, keys) and a quarter for the NSEC records kept for aggressive
 * negative answers (RFC 8198). Each part also holds at most {@code maximumEntries} entries: an
 * entry is counted at its estimated size ({@link EntryBytes}), and at no less than its share of
 * the entry bound, so that one eviction order keeps both bounds.
 *
 * @param maximumBytes the most heap the cache takes, answers and NSEC records together
 * @param maximumEntries entries kept at most in each part (positive and negative together)
 * @param minTtl TTL floor in seconds applied when storing (Unbound's cache-min-ttl, default 0)
 * @param maxTtl TTL ceiling in seconds for positive data (Unbound's cache-max-ttl, default 86400)
 * @param maxNegativeTtl TTL ceiling in seconds for negative answers (default 3600, Unbound's
 *     cache-max-negative-ttl; RFC 2308 section 5 suggests one to three hours)
 * @param staleWindow how long an expired entry is kept for serve-stale (RFC 8767 section 5
 *     suggests one to three days; default one day)
 */
public record CacheConfig(
    long maximumBytes, long maximumEntries, long minTtl, long maxTtl, long maxNegativeTtl, Duration staleWindow) {

  /** 64 MB (Unbound's two caches are 4 MB each by default; this one holds validated keys too). */
  public static final long DEFAULT_BYTES = 64L << 20;
  /** The bound before there was one in bytes. */
  public static final long DEFAULT_ENTRIES = 100_000;

  public CacheConfig {
    if (maximumBytes < 1) {
      throw new IllegalArgumentException("maximumBytes must be at least 1: " + maximumBytes);
    }
    if (maximumEntries < 1) {
      throw new IllegalArgumentException("maximumEntries must be at least 1: " + maximumEntries);
    }
    if (minTtl < 0 || maxTtl < minTtl || maxNegativeTtl < 0) {
      throw new IllegalArgumentException(
          "TTL bounds must satisfy 0 <= min <= max and negative max >= 0: min "
              + minTtl + ", max " + maxTtl + ", negative max " + maxNegativeTtl);
    }
    if (staleWindow.isNegative()) {
      throw new IllegalArgumentException("staleWindow must not be negative: " + staleWindow);
    }
  }

  /** 64 MB and 100,000 entries, TTLs in [0, 86400] and negative at most 3600 like Unbound's, one
   * day of serve-stale. */
  public static CacheConfig defaults() {
    return new CacheConfig(DEFAULT_BYTES, DEFAULT_ENTRIES, 0, 86_400, 3_600, Duration.ofDays(1));
  }

  /**
   * A cache of {@code bytes} (the operator's cache-size), whose entry bound grows with it: as many
   * entries per byte as the defaults, so that the bytes, not the entries, bound a larger cache.
   */
  public CacheConfig withSize(long bytes) {
    long entries = Math.max(1, Math.round((double) bytes * DEFAULT_ENTRIES / DEFAULT_BYTES));
    return new CacheConfig(bytes, entries, minTtl, maxTtl, maxNegativeTtl, staleWindow);
  }

  public CacheConfig withMaximumEntries(long entries) {
    return new CacheConfig(maximumBytes, entries, minTtl, maxTtl, maxNegativeTtl, staleWindow);
  }

  public CacheConfig withTtlBounds(long min, long max, long negativeMax) {
    return new CacheConfig(maximumBytes, maximumEntries, min, max, negativeMax, staleWindow);
  }

  public CacheConfig withStaleWindow(Duration window) {
    return new CacheConfig(maximumBytes, maximumEntries, minTtl, maxTtl, maxNegativeTtl, window);
  }

  /** The bytes answers may take: three quarters of the cache. */
  public long answerBytes() {
    return maximumBytes - nsecBytes();
  }

  /** The bytes the NSEC records of aggressive negative answers may take: a quarter of the cache. */
  public long nsecBytes() {
    return maximumBytes / 4;
  }
}
