package org.rootmirror.resolver.iterate;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.rootmirror.resolver.cache.CacheHit;
import org.rootmirror.resolver.cache.CachedAnswer;
import org.rootmirror.resolver.cache.Credibility;
import org.rootmirror.resolver.cache.DnsCache;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.rootmirror.resolver.cache.Ttls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Where the servers of a zone come from: the closest cached delegation, the root (local copy,
 * mirrors, primed hints), a referral, a forward zone; and what is kept of delegations in the cache.
 */
final class Referrals {
  private static final Logger log = LoggerFactory.getLogger(Referrals.class);

  /** Asks one zone's servers one question: {@link Authorities#ask}, for priming. */
  @FunctionalInterface
  interface Asker {
    Reply ask(Servers servers, QnameMinimiser.Query query, Budget budget, int depth) throws Failure;
  }

  private final IterativeResolver.Config config;
  private final DnsCache cache;
  private final IteratorCounters counters;
  private final java.time.InstantSource time;
  private final Asker asker;
  private final RootPriming priming;

  Referrals(IterativeResolver.Config config, DnsCache cache, IteratorCounters counters, java.time.InstantSource time, Asker asker) {
    this(config, cache, counters, time, asker, LOGGED);
  }

  Referrals(IterativeResolver.Config config, DnsCache cache, IteratorCounters counters, java.time.InstantSource time, Asker asker,
      RootPriming.Report report) {
    this.config = config;
    this.cache = cache;
    this.counters = counters;
    this.time = time;
    this.asker = asker;
    this.priming = new RootPriming(time, counters, report);
  }

  /** Priming's changes of state, to the log: a warning when it starts failing, a note when it works again. */
  static final RootPriming.Report LOGGED = new RootPriming.Report() {
    @Override
    public void failing(String message) {
      log.warn(message);
    }

    @Override
    public void recovered(String message) {
      log.info(message);
    }
  };

  /**
   * The cut a reply refers to, strictly below {@code zone} and toward {@code qname}, or null. The AA
   * bit does not matter: a server that sets it on a referral to a child zone (some do) still
   * delegates, as Unbound reads it (an authoritative server has no data below its own cuts, RFC
   * 1034 section 4.2.1).
   */
  static Name referral(Reply reply, Name zone, Name qname) {
    if (reply.rcode() != Rcode.NOERROR || !reply.answer().isEmpty() || reply.hasAuthority(Type.SOA)) {
      return null;
    }
    for (RRset set : reply.authority()) {
      Name owner = set.getName();
      if (set.getType() == Type.NS && !owner.equals(zone) && owner.subdomain(zone) && qname.subdomain(owner)) {
        return owner;
      }
    }
    return null;
  }

  /** The most specific forward zone at or above {@code name}, or null. */
  ForwardZone forwardZone(Name name) {
    ForwardZone best = null;
    for (ForwardZone z : config.forwardZones()) {
      if (name.subdomain(z.zone()) && (best == null || z.zone().labels() > best.zone().labels())) {
        best = z;
      }
    }
    return best;
  }

  /** The forwarders of {@code zone}, as configured. */
  static Servers forwarders(ForwardZone zone) {
    Servers servers = new Servers(zone.zone(), Servers.Kind.FORWARDER, null);
    servers.addresses.addAll(zone.servers());
    return servers;
  }

  /** The closest zone cut at or above {@code name} whose servers are known. */
  Servers closest(Name name, Budget budget) throws Failure {
    for (Name n = name; !n.equals(Name.root); n = new Name(n, 1)) {
      Optional<CacheHit> hit = cache.lookup(n, Type.NS, DClass.IN);
      if (hit.isEmpty() || !(hit.get().answer() instanceof CachedAnswer.Positive positive)) {
        continue;
      }
      Servers servers = new Servers(n, Servers.Kind.AUTHORITATIVE, null);
      servers.childSide = hit.get().credibility() == Credibility.AUTHORITATIVE_AUTHORITY;
      boolean usable = false;
      for (Record r : positive.rrset().rrs(false)) {
        Name target = ((NSRecord) r).getTarget();
        int before = servers.addresses.size();
        cachedAddresses(target, servers.addresses);
        if (servers.addresses.size() == before) {
          // RFC 1034 section 5.3.3 step 2: an address that expired is looked up again
          servers.unresolved.add(target);
          // an NS name inside its own zone without an address cannot be looked up from here:
          // the parent's referral brings its glue again
          usable |= !target.subdomain(n);
        } else {
          usable = true;
        }
      }
      if (usable) {
        return servers;
      }
    }
    return root(budget);
  }

  /**
   * The root's servers: the local copy while valid, else the mirrors, else the primed hints. At
   * start-up, while it is not yet known whether there is a copy, waits for that (within the
   * question's deadline) rather than ask anyone.
   */
  Servers root(Budget budget) throws Failure {
    RootCopy copy = knownCopy(budget);
    if (copy != null && copy.validAt(time.instant())) {
      return new Servers(Name.root, Servers.Kind.LOCAL_ROOT, null);
    }
    if (!config.mirrors().isEmpty()) {
      Servers mirrors = new Servers(Name.root, Servers.Kind.AUTHORITATIVE, this::publicRoots);
      mirrors.addresses.addAll(config.mirrors());
      return mirrors;
    }
    return publicRoots(budget);
  }

  private RootCopy knownCopy(Budget budget) throws Failure {
    if (config.rootCopy() instanceof AwaitedRootCopy awaited) {
      try {
        if (!awaited.awaitKnown(budget.left())) {
          // RFC 8914 section 4.15 "Not Ready": the stored root zone is still being checked
          throw new Failure(ExtendedErrorCodeOption.NOT_READY, "starting: the stored root zone is still being validated");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Failure(ExtendedErrorCodeOption.OTHER, "interrupted");
      }
    }
    return config.rootCopy().get();
  }

  /** The public root servers: as primed (RFC 8109) when cached, else straight from the hints. */
  private Servers publicRoots(Budget budget) throws Failure {
    Servers roots = new Servers(Name.root, Servers.Kind.AUTHORITATIVE, null);
    boolean primed = primedAddresses(roots);
    if (roots.addresses.isEmpty()) {
      // the hints are configuration: asked whatever do-not-query-localhost says
      Servers hints = hints();
      if (!primed) {
        priming.ensure(this::primed, b -> prime(hints(), b), budget);
        if (primedAddresses(roots) && !roots.addresses.isEmpty()) {
          return roots;
        }
      }
      roots.addresses.addAll(hints.addresses);
    }
    return roots;
  }

  private Servers hints() {
    Servers hints = new Servers(Name.root, Servers.Kind.AUTHORITATIVE, null);
    for (InetAddress address : config.hints().addresses()) {
      hints.addresses.add(new InetSocketAddress(address, config.upstreamPort()));
    }
    return hints;
  }

  private boolean primed() {
    Optional<CacheHit> hit = cache.lookup(Name.root, Type.NS, DClass.IN);
    return hit.isPresent() && hit.get().answer() instanceof CachedAnswer.Positive;
  }

  /** Adds the cached addresses of the primed root servers to {@code roots}; false when not primed. */
  private boolean primedAddresses(Servers roots) {
    Optional<CacheHit> hit = cache.lookup(Name.root, Type.NS, DClass.IN);
    if (hit.isEmpty() || !(hit.get().answer() instanceof CachedAnswer.Positive positive)) {
      return false;
    }
    for (Record r : positive.rrset().rrs(false)) {
      cachedAddresses(((NSRecord) r).getTarget(), roots.addresses);
    }
    return true;
  }

  /**
   * RFC 8109 priming: asks a hinted server for the root's NS RRset and keeps it with the
   * addresses from the additional section, so later resolutions use the current list. Runs
   * through {@link RootPriming}, which backs off after a failure.
   */
  private void prime(Servers hints, Budget questions) throws Failure {
    // its own query count, the question's deadline
    Reply reply = asker.ask(hints, new QnameMinimiser.Query(Name.root, Type.NS),
        new Budget(config.limits(), time, questions.deadline()), 0);
    counters.primed();
    for (RRset set : reply.answer()) {
      if (set.getType() == Type.NS && set.getName().equals(Name.root)) {
        cache.storeRRset(set, SecurityStatus.INDETERMINATE, Credibility.AUTHORITY);
      }
    }
    storeGlue(reply.additional());
  }

  /** The servers a referral names, glue first; caches the NS RRset and glue for later resolutions. */
  Servers fromReferral(Name cut, Reply reply) {
    Servers servers = new Servers(cut, Servers.Kind.AUTHORITATIVE, null);
    for (RRset set : reply.authority()) {
      if (set.getType() == Type.NS && set.getName().equals(cut)) {
        // the parent's copy: RFC 2181 section 5.4.1 ranks it below the child's own NS RRset
        cache.storeRRset(set, SecurityStatus.INDETERMINATE, Credibility.AUTHORITY);
        for (Record r : set.rrs(false)) {
          Name target = ((NSRecord) r).getTarget();
          int before = servers.addresses.size();
          addresses(target, reply.additional(), servers.addresses);
          if (servers.addresses.size() == before) {
            cachedAddresses(target, servers.addresses);
          }
          if (servers.addresses.size() == before) {
            servers.unresolved.add(target);
          }
        }
      }
    }
    storeGlue(reply.additional());
    return servers;
  }

  /**
   * Keeps the zone's own NS RRset from an authoritative answer of its servers (answer section for
   * an NS question at the apex, else authority section), ranked above the parent's referral (RFC
   * 2181 section 5.4.1), so that later resolutions use the child's servers when they differ.
   */
  void learnFromAnswer(Name zone, Reply reply) {
    if (!reply.authoritative()) {
      return;
    }
    boolean learnt = false;
    for (List<RRset> section : List.of(reply.answer(), reply.authority())) {
      for (RRset set : section) {
        if (set.getType() == Type.NS && set.getName().equals(zone) && !zone.equals(Name.root)) {
          // below ANSWER even from the answer section: unvalidated, it must not displace a
          // validated copy that clients are served
          learnt |= cache.storeRRset(noLongerThanCached(set), SecurityStatus.INDETERMINATE, Credibility.AUTHORITATIVE_AUTHORITY);
        }
      }
    }
    if (learnt) {
      // addresses only for server names that have none: where the parent's glue and the child's
      // addresses differ, the parent's is kept (Unbound falls back to the parent side too)
      for (RRset set : reply.additional()) {
        boolean address = set.getType() == Type.A || set.getType() == Type.AAAA;
        if (address && cache.lookup(set.getName(), set.getType(), DClass.IN).isEmpty()) {
          cache.storeRRset(set, SecurityStatus.INDETERMINATE, Credibility.ADDITIONAL);
        }
      }
    }
  }

  /**
   * The child's NS RRset with a TTL no longer than what is left of the cached delegation: the
   * child's own data may replace the parent's but never keep the delegation alive past it, or a
   * zone removed from its parent would live on through its old servers (ghost domain names,
   * CVE-2012-1033; Unbound and BIND cap the TTL so).
   */
  private RRset noLongerThanCached(RRset set) {
    Optional<CacheHit> cached = cache.lookup(set.getName(), Type.NS, DClass.IN);
    if (cached.isEmpty() || cached.get().ttl() >= set.getTTL()) {
      return set;
    }
    return Ttls.withTtl(set, cached.get().ttl());
  }

  void storeGlue(List<RRset> additional) {
    for (RRset set : additional) {
      if (set.getType() == Type.A || set.getType() == Type.AAAA) {
        cache.storeRRset(set, SecurityStatus.INDETERMINATE, Credibility.ADDITIONAL);
      }
    }
  }

  private void addresses(Name target, List<RRset> sets, List<InetSocketAddress> into) {
    for (RRset set : sets) {
      if (set.getName().equals(target)) {
        addAddresses(set, into);
      }
    }
  }

  void cachedAddresses(Name target, List<InetSocketAddress> into) {
    for (int type : new int[] {Type.A, Type.AAAA}) {
      cache.lookup(target, type, DClass.IN)
          .filter(hit -> hit.answer() instanceof CachedAnswer.Positive)
          .ifPresent(hit -> addAddresses(((CachedAnswer.Positive) hit.answer()).rrset(), into));
    }
  }

  /** Adds the addresses of an A or AAAA RRset learnt from the network, unless they may not be asked. */
  void addAddresses(RRset set, List<InetSocketAddress> into) {
    for (Record r : set.rrs(false)) {
      InetAddress address = r instanceof ARecord a ? a.getAddress() : r instanceof AAAARecord aaaa ? aaaa.getAddress() : null;
      if (address != null && (!config.doNotQueryLocalhost() || !localhost(address))) {
        InetSocketAddress server = new InetSocketAddress(address, config.upstreamPort());
        if (!into.contains(server)) {
          into.add(server);
        }
      }
    }
  }

  /**
   * Unbound's do-not-query-localhost: 127.0.0.0/8 and ::1, and the unspecified addresses 0.0.0.0/8
   * and :: (RFC 1122 section 3.2.1.3: "this host", never a destination). A name that points there
   * learnt from the network would make the resolver query itself or a local service.
   */
  static boolean localhost(InetAddress address) {
    return address.isLoopbackAddress() || address.isAnyLocalAddress()
        || address instanceof Inet4Address && address.getAddress()[0] == 0;
  }
}
