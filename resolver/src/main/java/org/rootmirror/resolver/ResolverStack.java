package org.rootmirror.resolver;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
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
   * @param mirrors servers to ask for the root when there is no valid local copy, before the
   *     public roots; empty for none
   * @param upstreamPort the port authorities listen on (53; tests use another)
   * @param qnameMinimisation qname-minimisation: relaxed (the default), strict or off
   * @param forwardZones forward-zone: names asked of forwarders instead of iterated; none by default
   * @param doNotQueryLocalhost do-not-query-localhost: learnt loopback addresses are not asked.
   *     Off in {@link #defaults()}, as the resolver has always been (tests run their authorities
   *     on loopback); Unbound's default is on, and a configuration layer should say so
   * @param hardenGlue harden-glue: out-of-bailiwick glue is dropped (the default)
   */
  public record Options(CacheConfig cache, IterativeResolver.Limits limits, RootHints hints, List<InetSocketAddress> mirrors, int upstreamPort,
      QnameMinimisation qnameMinimisation, List<ForwardZone> forwardZones, boolean doNotQueryLocalhost, boolean hardenGlue) {
    public Options {
      Objects.requireNonNull(cache, "cache");
      Objects.requireNonNull(limits, "limits");
      Objects.requireNonNull(hints, "hints");
      mirrors = List.copyOf(mirrors);
      Objects.requireNonNull(qnameMinimisation, "qnameMinimisation");
      forwardZones = List.copyOf(forwardZones);
    }

    public Options(CacheConfig cache, IterativeResolver.Limits limits, RootHints hints, List<InetSocketAddress> mirrors, int upstreamPort) {
      this(cache, limits, hints, mirrors, upstreamPort, QnameMinimisation.RELAXED, List.of(), false, true);
    }

    /** Unbound-like defaults: the built-in hints, no mirror, port 53, relaxed minimisation, hardened glue. */
    public static Options defaults() {
      return new Options(CacheConfig.defaults(), IterativeResolver.Limits.defaults(), RootHints.builtIn(), List.of(), 53);
    }

    public Options withHints(RootHints newHints) {
      return new Options(cache, limits, newHints, mirrors, upstreamPort, qnameMinimisation, forwardZones, doNotQueryLocalhost, hardenGlue);
    }

    public Options withMirrors(List<InetSocketAddress> newMirrors) {
      return new Options(cache, limits, hints, newMirrors, upstreamPort, qnameMinimisation, forwardZones, doNotQueryLocalhost, hardenGlue);
    }

    public Options withUpstreamPort(int port) {
      return new Options(cache, limits, hints, mirrors, port, qnameMinimisation, forwardZones, doNotQueryLocalhost, hardenGlue);
    }

    /** cache-min-ttl, cache-max-ttl and cache-max-negative-ttl, among the cache's bounds. */
    public Options withCache(CacheConfig newCache) {
      return new Options(newCache, limits, hints, mirrors, upstreamPort, qnameMinimisation, forwardZones, doNotQueryLocalhost, hardenGlue);
    }

    public Options withQnameMinimisation(QnameMinimisation mode) {
      return new Options(cache, limits, hints, mirrors, upstreamPort, mode, forwardZones, doNotQueryLocalhost, hardenGlue);
    }

    public Options withForwardZones(List<ForwardZone> zones) {
      return new Options(cache, limits, hints, mirrors, upstreamPort, qnameMinimisation, zones, doNotQueryLocalhost, hardenGlue);
    }

    public Options withDoNotQueryLocalhost(boolean skip) {
      return new Options(cache, limits, hints, mirrors, upstreamPort, qnameMinimisation, forwardZones, skip, hardenGlue);
    }

    public Options withHardenGlue(boolean harden) {
      return new Options(cache, limits, hints, mirrors, upstreamPort, qnameMinimisation, forwardZones, doNotQueryLocalhost, harden);
    }
  }

  private final Resolver top;
  private final CachingResolver cache;
  private final ValidatingResolver validator;
  private final IterativeResolver iterator;
  private final DnsCache store;

  private ResolverStack(Resolver top, CachingResolver cache, ValidatingResolver validator, IterativeResolver iterator, DnsCache store) {
    this.top = top;
    this.cache = cache;
    this.validator = validator;
    this.iterator = iterator;
    this.store = store;
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
    var config = new IterativeResolver.Config(rootCopy, options.mirrors(), options.hints(), options.upstreamPort(), options.limits(),
        options.qnameMinimisation(), options.forwardZones(), options.doNotQueryLocalhost(), options.hardenGlue());
    var iterator = new IterativeResolver(config, upstream, store, new ServerSelection(time, new SplittableRandom()), time, new SecureRandom());
    AggressiveNsec aggressive = new AggressiveNsec(time, options.cache().maximumEntries());
    var validator = new ValidatingResolver(iterator,
        self -> new CachingResolver(self, store, aggressive, task -> Thread.ofVirtual().name("prefetch").start(task), options.limits().chain()),
        validation, time);
    CachingResolver cache = (CachingResolver) validator.keys();
    Resolver top = new DeadlineResolver(new KeySentinel(cache, validation.anchors(), time), time, options.limits().resolutionTime());
    return new ResolverStack(top, cache, validator, iterator, store);
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
}
