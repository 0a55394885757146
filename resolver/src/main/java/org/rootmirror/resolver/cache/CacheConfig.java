package org.rootmirror.resolver.cache;

import java.time.Duration;

/**
 * Bounds of the cache.
 *
 * @param maximumEntries entries kept at most (positive and negative together)
 * @param minTtl TTL floor in seconds applied when storing (Unbound's cache-min-ttl, default 0)
 * @param maxTtl TTL ceiling in seconds for positive data (Unbound's cache-max-ttl, default 86400)
 * @param maxNegativeTtl TTL ceiling in seconds for negative answers (default 3600, Unbound's
 *     cache-max-negative-ttl; RFC 2308 section 5 suggests one to three hours)
 * @param staleWindow how long an expired entry is kept for serve-stale (RFC 8767 section 5
 *     suggests one to three days; default one day)
 */
public record CacheConfig(
    long maximumEntries, long minTtl, long maxTtl, long maxNegativeTtl, Duration staleWindow) {

  public CacheConfig {
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

  /** Defaults like Unbound's: 100,000 entries, TTLs in [0, 86400], negative at most 3600, one
   * day of serve-stale. */
  public static CacheConfig defaults() {
    return new CacheConfig(100_000, 0, 86_400, 3_600, Duration.ofDays(1));
  }

  public CacheConfig withMaximumEntries(long entries) {
    return new CacheConfig(entries, minTtl, maxTtl, maxNegativeTtl, staleWindow);
  }

  public CacheConfig withTtlBounds(long min, long max, long negativeMax) {
    return new CacheConfig(maximumEntries, min, max, negativeMax, staleWindow);
  }

  public CacheConfig withStaleWindow(Duration window) {
    return new CacheConfig(maximumEntries, minTtl, maxTtl, maxNegativeTtl, window);
  }
}
