package org.rootmirror.resolver.net;

import java.time.InstantSource;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.rootmirror.sync.server.answer.EncodedSections;
import org.rootmirror.sync.server.query.Query;
import org.xbill.DNS.Rcode;

/**
 * Cache hits encoded once per second: the sections of a cached answer, with the TTLs the cache
 * gives during that second, kept so that further hits in the same second are a copy, as the
 * mirror's answers are (its {@link EncodedSections}). The cache itself is asked again each new
 * second, so TTLs count down, expired entries go, and popular entries are still seen as popular
 * (prefetch); within a second, an answer the cache replaced may be served once more, which a TTL
 * rounded to the second allows anyway.
 */
final class EncodedHits {
  /** Entries kept per second at most: beyond it (a flood of distinct names) hits are encoded each time. */
  private static final int MAX_ENTRIES = 20_000;

  /** A question as a key: the name in lower case wire form, the type, and whether DNSSEC records go with it. */
  private record Key(byte[] name, int qtype, boolean dnssec) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.qtype == qtype && k.dnssec == dnssec && Arrays.equals(k.name, name);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(name) * 31 + qtype * 2 + (dnssec ? 1 : 0);
    }
  }

  /** An encoded hit: its sections, RCODE and whether it is secure (for AD). */
  record Hit(EncodedSections sections, int rcode, boolean secure) {}

  private record Generation(long second, ConcurrentHashMap<Key, Hit> hits) {}

  private final InstantSource time;
  private volatile Generation current = new Generation(Long.MIN_VALUE, new ConcurrentHashMap<>());

  EncodedHits(InstantSource time) {
    this.time = time;
  }

  /** The hit encoded for {@code q} this second, or null. */
  Hit get(Query q) {
    Generation g = current;
    if (g.second != time.instant().getEpochSecond()) {
      return null;
    }
    return g.hits.get(key(q));
  }

  /**
   * Encodes {@code resolution}, a cache hit for {@code q}, keeps it for this second, and returns
   * it; null for what is not kept (name errors and errors).
   */
  Hit put(Query q, Question question, Resolution resolution) {
    int rcode = resolution.rcode();
    // Names that do not exist are mostly asked once (junk, random subdomains): keeping them would
    // only churn the table. Errors are rare and carry an Extended DNS Error.
    if (resolution.error() != null || rcode != Rcode.NOERROR) {
      return null;
    }
    Hit hit = new Hit(Responses.sections(q, question, resolution), rcode, resolution.status() == SecurityStatus.SECURE);
    long second = time.instant().getEpochSecond();
    Generation g = current;
    if (g.second != second) {
      g = new Generation(second, new ConcurrentHashMap<>());
      current = g;
    }
    if (g.hits.size() < MAX_ENTRIES) {
      g.hits.put(key(q), hit);
    }
    return hit;
  }

  private static Key key(Query q) {
    return new Key(q.canonicalQname(), q.qtype(), q.dnssecOk());
  }
}
