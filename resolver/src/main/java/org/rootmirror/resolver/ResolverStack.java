package org.rootmirror.resolver;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.resolver.cache.AggressiveNsec;
import org.rootmirror.resolver.cache.CacheConfig;
import org.rootmirror.resolver.cache.CachingResolver;
import org.rootmirror.resolver.cache.DnsCache;
import org.rootmirror.resolver.iterate.ForwardZone;
import org.rootmirror.resolver.iterate.IterativeResolver;
import org.rootmirror.resolver.iterate.QnameMinimisation;
import org.rootmirror.resolver.iterate.RootCopy;
import org.rootmirror.resolver.iterate.RootHints;
import org.rootmirror.resolver.iterate.ServerSelection;
import org.rootmirror.resolver.iterate.Upstream;
import org.rootmirror.resolver.validate.KeySentinel;
import org.rootmirror.resolver.validate.ValidatingResolver;
import org.rootmirror.resolver.validate.ValidationConfig;

/**
 * The recursive resolver assembled in one place: a deadline per question on top, then the RFC 8509 key sentinel, the cache in front, DNSSEC validation around the
 * iterator, the iterator on an {@link Upstream}, the root from the local copy. The validator fetches
 * DS and DNSKEY RRsets through the cache, so validated keys are kept like any other answer.
 */
public final class ResolverStack {
  /**
   * What the stack is built with: the cache's bounds and the iterator's {@link
   * IterativeResolver.Config} (its root copy is the one {@link #build} is given). The defaults are
   * Unbound's but for do-not-query-localhost, off here as the resolver has always been (tests run
   * their authorities on loopback); the configuration layer turns it on.
   */
  public record Options(CacheConfig cache, IterativeResolver.Config iteration) {
    public Options {
      Objects.requireNonNull(cache, "cache");
      Objects.requireNonNull(iteration, "iteration");
    }

    public Options(CacheConfig cache, IterativeResolver.Limits limits, RootHints hints, List<InetSocketAddress> mirrors, int upstreamPort) {
      this(cache, new IterativeResolver.Config(() -> null, mirrors, hints, upstreamPort, limits));
    }

    /** The built-in hints, no mirror, port 53, relaxed minimisation, hardened glue. */
    public static Options defaults() {
      return new Options(CacheConfig.defaults(), IterativeResolver.Limits.defaults(), RootHints.builtIn(), List.of(), 53);
    }

    /** cache-min-ttl, cache-max-ttl and cache-max-negative-ttl, among the cache's bounds. */
    public Options withCache(CacheConfig newCache) {
      return new Options(newCache, iteration);
    }

    public Options withHints(RootHints hints) {
      return new Options(cache, iteration.withHints(hints));
    }

    public Options withMirrors(List<InetSocketAddress> mirrors) {
      return new Options(cache, iteration.withMirrors(mirrors));
    }

    public Options withUpstreamPort(int port) {
      return new Options(cache, iteration.withUpstreamPort(port));
    }

    public Options withQnameMinimisation(QnameMinimisation mode) {
      return new Options(cache, iteration.withQnameMinimisation(mode));
    }

    public Options withForwardZones(List<ForwardZone> zones) {
      return new Options(cache, iteration.withForwardZones(zones));
    }

    public Options withDoNotQueryLocalhost(boolean skip) {
      return new Options(cache, iteration.withDoNotQueryLocalhost(skip));
    }

    public Options withHardenGlue(boolean harden) {
      return new Options(cache, iteration.withHardenGlue(harden));
    }
  }

  /**
   * Prefetches running at once at most. They are resolutions outside the clients' bound on
   * resolutions in flight, so they have their own; beyond it an entry is resolved again when a
   * client asks after it expired.
   */
  public static final int MAX_PREFETCHES = 128;

  private final Resolver top;
  private final CachingResolver cache;
  private final ValidatingResolver validator;
  private final IterativeResolver iterator;
  private final DnsCache store;
  private final AggressiveNsec aggressive;

  private ResolverStack(Resolver top, CachingResolver cache, ValidatingResolver validator, IterativeResolver iterator, DnsCache store,
      AggressiveNsec aggressive) {
    this.top = top;
    this.cache = cache;
    this.validator = validator;
    this.iterator = iterator;
    this.store = store;
    this.aggressive = aggressive;
  }

  /**
   * @param rootCopy the local validated root, or null while there is none (called for each root
   *     question, so it must be cheap: a volatile read)
   */
  public static ResolverStack build(Options options, Supplier<RootCopy> rootCopy, TrustAnchors anchors, Upstream upstream, InstantSource time) {
    return build(options, rootCopy, ValidationConfig.of(anchors), upstream, time);
  }

  /**
   * @param rootCopy the local validated root, or null while there is none (called for each root
   *     question, so it must be cheap: a volatile read)
   * @param validation the trust anchors (none: no validation) and negative trust anchors
   */
  public static ResolverStack build(Options options, Supplier<RootCopy> rootCopy, ValidationConfig validation, Upstream upstream, InstantSource time) {
    DnsCache store = new DnsCache(options.cache(), time);
    var config = options.iteration().withRootCopy(rootCopy);
    var iterator = new IterativeResolver(config, upstream, store, new ServerSelection(time, new SplittableRandom()), time, new SecureRandom());
    AggressiveNsec aggressive = new AggressiveNsec(time, options.cache());
    var validator = new ValidatingResolver(iterator,
        self -> new CachingResolver(self, store, aggressive, prefetching(), config.limits().chain()),
        validation, time);
    CachingResolver cache = (CachingResolver) validator.keys();
    Resolver top = new DeadlineResolver(new KeySentinel(cache, validation.anchors(), time), time, config.limits().resolutionTime());
    return new ResolverStack(top, cache, validator, iterator, store, aggressive);
  }

  /** One virtual thread per prefetch, at most {@link #MAX_PREFETCHES} at once; more are refused. */
  private static Executor prefetching() {
    Semaphore running = new Semaphore(MAX_PREFETCHES);
    return task -> {
      if (!running.tryAcquire()) {
        throw new RejectedExecutionException(MAX_PREFETCHES + " prefetches running");
      }
      try {
        Thread.ofVirtual().name("prefetch").start(() -> {
          try {
            task.run();
          } finally {
            running.release();
          }
        });
      } catch (RuntimeException e) {
        running.release();
        throw e;
      }
    };
  }

  /**
   * The resolver to serve: the top of the stack (one deadline per question over the RFC 8509 key
   * sentinel over the cache).
   */
  public Resolver resolver() {
    return top;
  }

  public CachingResolver cache() {
    return cache;
  }

  public ValidatingResolver validator() {
    return validator;
  }

  public IterativeResolver iterator() {
    return iterator;
  }

  /** Entries in the shared cache (answers, delegations and glue). */
  public long cacheEntries() {
    return store.size();
  }

  /**
   * The estimated bytes the cache takes: its entries and the NSEC records kept for aggressive
   * negative answers; at most {@link CacheConfig#maximumBytes()}. Adds up every entry: for a
   * scrape, not for each query.
   */
  public long cacheBytes() {
    return store.bytes() + aggressive.bytes();
  }
}
