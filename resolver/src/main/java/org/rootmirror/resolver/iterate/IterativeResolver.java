package org.rootmirror.resolver.iterate;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.rootmirror.dnssec.zone.Lookup;
import org.rootmirror.resolver.AnswerChain;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.Resolver;
import org.rootmirror.resolver.cache.CacheHit;
import org.rootmirror.resolver.cache.CachedAnswer;
import org.rootmirror.resolver.cache.Credibility;
import org.rootmirror.resolver.cache.DnsCache;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Iterative resolution (RFC 1034 section 5.3.3): from the closest known zone cut down through
 * referrals to the zone that holds the answer, QNAME-minimised (RFC 9156), following CNAME and
 * DNAME chains. Returns what the authorities said, unvalidated (status INDETERMINATE): validation
 * is the decorator's job (STYLE: the validator wraps the iterator).
 *
 * <p>The root comes first from the local copy (RFC 8806): while a valid {@link RootCopy} is
 * published, root answers are looked up in process and no packet goes to a root server. Without
 * one, the root's servers are the configured mirrors, then the public root servers, primed from
 * the hints (RFC 8109); as soon as a copy is valid again it is used again.
 *
 * <p>Every resolution has caps, so that no answer can make the resolver work without end: zone
 * cuts followed, CNAME/DNAME links, NS names whose addresses it looks up (the NXNS attack,
 * CVE-2020-12662), queries sent, and nesting of those lookups.
 */
public final class IterativeResolver implements Resolver {
  private static final Logger log = LoggerFactory.getLogger(IterativeResolver.class);
  /** The EDNS buffer advertised upstream (DNS Flag Day 2020: no fragmentation). */
  static final int EDNS_BUFFER = 1232;

  /**
   * Caps per resolution.
   *
   * @param referrals zone cuts followed (Unbound's max-referral depth is of this order)
   * @param chain CNAME and DNAME links followed (Unbound restarts at most 11 times)
   * @param nsLookups NS names whose addresses are looked up, all nesting levels together (the
   *     NXNS fix of CVE-2020-12662 bounds exactly this)
   * @param queries packets sent, all nesting levels together (Unbound: MAX_SENT_COUNT 32)
   * @param depth nesting of NS-address lookups inside a resolution
   * @param triesPerServer how often one address is asked in one step before it is given up
   */
  public record Limits(int referrals, int chain, int nsLookups, int queries, int depth, int triesPerServer) {
    public static Limits defaults() {
      return new Limits(16, 12, 12, 48, 4, 2);
    }
  }

  /**
   * Where the root comes from and where authorities listen.
   *
   * @param rootCopy the local validated root, or null while there is none
   * @param mirrors the root's servers to ask when there is no valid copy, before the public roots
   *     (another rootmirror or any RFC 8806 server); empty for none
   * @param hints the public root servers (named.root)
   * @param upstreamPort the port authorities listen on: 53, another in tests
   */
  public record Config(Supplier<RootCopy> rootCopy, List<InetSocketAddress> mirrors, RootHints hints, int upstreamPort, Limits limits) {
    public Config {
      Objects.requireNonNull(rootCopy, "rootCopy");
      mirrors = List.copyOf(mirrors);
      Objects.requireNonNull(hints, "hints");
      Objects.requireNonNull(limits, "limits");
    }
  }

  private final Config config;
  private final Upstream upstream;
  private final DnsCache cache;
  private final ServerSelection selection;
  private final InstantSource time;
  private final RandomGenerator ids;
  private final IteratorCounters counters = new IteratorCounters();

  /**
   * @param cache where delegations and server addresses learnt on the way are kept (unvalidated,
   *     at referral or glue credibility, so never given to clients as answers)
   * @param ids the source of query IDs: a SecureRandom in production (RFC 5452 section 9.2)
   */
  public IterativeResolver(Config config, Upstream upstream, DnsCache cache, ServerSelection selection, InstantSource time, RandomGenerator ids) {
    this.config = Objects.requireNonNull(config);
    this.upstream = Objects.requireNonNull(upstream);
    this.cache = Objects.requireNonNull(cache);
    this.selection = Objects.requireNonNull(selection);
    this.time = Objects.requireNonNull(time);
    this.ids = Objects.requireNonNull(ids);
  }

  public IteratorCounters counters() {
    return counters;
  }

  @Override
  public Resolution resolve(Question question, boolean checkingDisabled) {
    if (question.dclass() != DClass.IN) {
      return Resolution.servfail(ExtendedErrorCodeOption.NOT_SUPPORTED, "only class IN is resolved");
    }
    try {
      return resolve(question, new Budget(config.limits()), 0);
    } catch (Failure f) {
      log.debug("{}: {}", question, f.getMessage());
      return Resolution.servfail(f.ede, f.getMessage());
    }
  }

  /** Why a resolution ends in SERVFAIL, as an RFC 8914 code and text. */
  private static final class Failure extends Exception {
    final int ede;
    /** Whether some server did reply (with an error or lame), rather than none at all. */
    final boolean answered;

    Failure(int ede, String message) {
      this(ede, message, false);
    }

    Failure(int ede, String message, boolean answered) {
      super(message, null, false, false);
      this.ede = ede;
      this.answered = answered;
    }
  }

  /** What one resolution may still spend, shared by the lookups nested in it. */
  private static final class Budget {
    final Limits limits;
    int queries;
    int nsLookups;

    Budget(Limits limits) {
      this.limits = limits;
    }

    void query() throws Failure {
      if (++queries > limits.queries()) {
        throw new Failure(ExtendedErrorCodeOption.OTHER, "gave up after " + limits.queries() + " queries");
      }
    }

    boolean nsLookup() {
      return ++nsLookups <= limits.nsLookups();
    }
  }

  /** Follows the chain from the question's name across zones, one iterative step per link. */
  private Resolution resolve(Question question, Budget budget, int depth) throws Failure {
    List<RRset> answer = new ArrayList<>();
    List<RRset> authority = new ArrayList<>();
    Set<Name> seen = new HashSet<>();
    Name name = question.name();
    for (int links = 0; ; links++) {
      if (!seen.add(name)) {
        throw new Failure(ExtendedErrorCodeOption.INVALID_DATA, "CNAME/DNAME loop at " + name);
      }
      Reply reply = step(name, question.type(), budget, depth);
      AnswerChain chain = AnswerChain.follow(reply.answer, name, question.type());
      answer.addAll(chain.rrsets());
      if (chain.answered() || reply.rcode == Rcode.NXDOMAIN || chain.end().equals(name)) {
        // answered, or a negative answer about the end of the chain (RFC 6604: the RCODE
        // concerns the last name); proofs for wildcard answers stay with the data
        boolean negative = !chain.answered();
        reply.authority.stream().filter(s -> proof(s.getType()) || negative && s.getType() == Type.SOA).forEach(authority::add);
        return new Resolution(reply.rcode, answer, authority, SecurityStatus.INDETERMINATE, null);
      }
      if (links == config.limits().chain()) {
        throw new Failure(ExtendedErrorCodeOption.OTHER, "CNAME/DNAME chain longer than " + config.limits().chain());
      }
      // Keep the proofs of wildcard-expanded links; the next zone's authority follows.
      reply.authority.stream().filter(s -> proof(s.getType())).forEach(authority::add);
      name = chain.end();
    }
  }

  /** Denial records: kept for the validator (negative answers, and wildcard expansions, RFC 4035 section 5.3.4). */
  private static boolean proof(int type) {
    return type == Type.NSEC || type == Type.NSEC3;
  }

  /** A response reduced to what may be believed, as RRsets. */
  private record Reply(int rcode, boolean authoritative, List<RRset> answer, List<RRset> authority, List<RRset> additional) {}

  /**
   * Resolves {@code qname}/{@code qtype} inside one chain link: finds the closest known cut, then
   * asks down through referrals (minimised, RFC 9156) until a zone answers for the name.
   */
  private Reply step(Name qname, int qtype, Budget budget, int depth) throws Failure {
    // DS lives at the parent side of a cut (RFC 4035 section 3.1.4.1): start above the name.
    Name start = qtype == Type.DS && !qname.equals(Name.root) ? parent(qname) : qname;
    Servers servers = closest(start, budget, depth);
    QnameMinimiser minimiser = QnameMinimiser.start(qname, qtype, servers.zone);
    QnameMinimiser.Query full = new QnameMinimiser.Query(qname, qtype);
    boolean minimise = true;
    for (int referrals = 0; ; ) {
      // The local root leaks nothing, so it is asked the whole question at once.
      QnameMinimiser.Query query = servers.local || !minimise ? full : minimiser.query();
      Reply reply;
      try {
        reply = ask(servers, query, budget, depth);
      } catch (Failure f) {
        if (query.equals(full) || !f.answered) {
          throw f;
        }
        // RFC 9156 section 2.1: servers that fail a minimised question (some do, for empty
        // non-terminals) are asked the whole one
        minimise = false;
        continue;
      }
      Name cut = referral(reply, servers.zone, query.name());
      if (cut != null) {
        if (++referrals > config.limits().referrals()) {
          throw new Failure(ExtendedErrorCodeOption.OTHER, "more than " + config.limits().referrals() + " referrals for " + qname);
        }
        if (qtype == Type.DS && cut.equals(qname)) {
          // a parent that refers a DS question to the child has no DS to give: ask no further
          return reply;
        }
        servers = fromReferral(cut, reply);
        minimiser = minimiser.onReferral(cut);
        minimise = true;
        continue;
      }
      if (query.equals(full)) {
        return reply;
      }
      if (reply.rcode == Rcode.NXDOMAIN) {
        if (reply.authority.stream().anyMatch(set -> proof(set.getType()))) {
          // RFC 8020: nothing exists below a name that does not exist (and a signed denial of
          // the shorter name covers the longer one too, for the validator to check)
          return reply;
        }
        // Without a signed denial this may be a server that answers NXDOMAIN for empty
        // non-terminals (RFC 9156 section 2.3 warns of them): ask the whole name, as Unbound does
        // when not strict.
        minimise = false;
        continue;
      }
      QnameMinimiser.Next next = minimiser.onNoError();
      if (next instanceof QnameMinimiser.Next.Ask ask) {
        minimiser = ask.state();
      } else {
        return reply;
      }
    }
  }

  /** The cut a reply refers to, strictly below {@code zone} and toward {@code qname}, or null. */
  private static Name referral(Reply reply, Name zone, Name qname) {
    if (reply.rcode != Rcode.NOERROR || reply.authoritative || !reply.answer.isEmpty()) {
      return null;
    }
    for (RRset set : reply.authority) {
      if (set.getType() == Type.SOA) {
        return null;
      }
    }
    for (RRset set : reply.authority) {
      Name owner = set.getName();
      if (set.getType() == Type.NS && !owner.equals(zone) && owner.subdomain(zone) && qname.subdomain(owner)) {
        return owner;
      }
    }
    return null;
  }

  /** The servers of one zone: addresses known so far and NS names still to look up. */
  private static final class Servers {
    final Name zone;
    final boolean local;
    final List<InetSocketAddress> addresses = new ArrayList<>();
    final Deque<Name> unresolved = new ArrayDeque<>();
    final Supplier<Servers> fallback;

    Servers(Name zone, boolean local, Supplier<Servers> fallback) {
      this.zone = zone;
      this.local = local;
      this.fallback = fallback;
    }
  }

  /** The closest zone cut at or above {@code name} whose servers are known. */
  private Servers closest(Name name, Budget budget, int depth) throws Failure {
    for (Name n = name; !n.equals(Name.root); n = parent(n)) {
      Optional<CacheHit> hit = cache.lookup(n, Type.NS, DClass.IN);
      if (hit.isEmpty() || !(hit.get().answer() instanceof CachedAnswer.Positive positive)) {
        continue;
      }
      Servers servers = new Servers(n, false, null);
      boolean usable = false;
      for (Record r : positive.rrset().rrs(false)) {
        Name target = ((NSRecord) r).getTarget();
        int before = servers.addresses.size();
        cachedAddresses(target, servers.addresses);
        if (servers.addresses.size() == before) {
          servers.unresolved.add(target);
          // an NS name inside its own zone without an address cannot be looked up from here
          usable |= !target.subdomain(n);
        } else {
          usable = true;
        }
      }
      if (usable) {
        return servers;
      }
    }
    return root(budget, depth);
  }

  /** The root's servers: the local copy while valid, else the mirrors, else the primed hints. */
  private Servers root(Budget budget, int depth) {
    RootCopy copy = config.rootCopy().get();
    if (copy != null && copy.validAt(time.instant())) {
      return new Servers(Name.root, true, null);
    }
    if (!config.mirrors().isEmpty()) {
      Servers mirrors = new Servers(Name.root, false, this::publicRoots);
      mirrors.addresses.addAll(config.mirrors());
      return mirrors;
    }
    return publicRoots();
  }

  /** The public root servers: as primed (RFC 8109) when cached, else straight from the hints. */
  private Servers publicRoots() {
    Servers roots = new Servers(Name.root, false, null);
    Optional<CacheHit> hit = cache.lookup(Name.root, Type.NS, DClass.IN);
    if (hit.isPresent() && hit.get().answer() instanceof CachedAnswer.Positive positive) {
      for (Record r : positive.rrset().rrs(false)) {
        cachedAddresses(((NSRecord) r).getTarget(), roots.addresses);
      }
    }
    if (roots.addresses.isEmpty()) {
      for (InetAddress address : config.hints().addresses()) {
        roots.addresses.add(new InetSocketAddress(address, config.upstreamPort()));
      }
      prime(roots);
    }
    return roots;
  }

  /**
   * RFC 8109 priming: asks a hinted server for the root's NS RRset and keeps it with the
   * addresses from the additional section, so later resolutions use the current list. A failed
   * priming is not fatal: the hints serve meanwhile.
   */
  private void prime(Servers hints) {
    try {
      Reply reply = ask(hints, new QnameMinimiser.Query(Name.root, Type.NS), new Budget(config.limits()), 0);
      counters.primed();
      for (RRset set : reply.answer) {
        if (set.getType() == Type.NS && set.getName().equals(Name.root)) {
          cache.storeRRset(set, SecurityStatus.INDETERMINATE, Credibility.AUTHORITY);
        }
      }
      storeGlue(reply.additional);
    } catch (Failure f) {
      log.warn("priming the root servers failed ({}); using the hints", f.getMessage());
    }
  }

  /** The servers a referral names, glue first; caches the NS RRset and glue for later resolutions. */
  private Servers fromReferral(Name cut, Reply reply) {
    Servers servers = new Servers(cut, false, null);
    for (RRset set : reply.authority) {
      if (set.getType() == Type.NS && set.getName().equals(cut)) {
        cache.storeRRset(set, SecurityStatus.INDETERMINATE, Credibility.AUTHORITY);
        for (Record r : set.rrs(false)) {
          Name target = ((NSRecord) r).getTarget();
          int before = servers.addresses.size();
          addresses(target, reply.additional, servers.addresses);
          if (servers.addresses.size() == before) {
            cachedAddresses(target, servers.addresses);
          }
          if (servers.addresses.size() == before) {
            servers.unresolved.add(target);
          }
        }
      }
    }
    storeGlue(reply.additional);
    return servers;
  }

  private void storeGlue(List<RRset> additional) {
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

  private void cachedAddresses(Name target, List<InetSocketAddress> into) {
    for (int type : new int[] {Type.A, Type.AAAA}) {
      cache.lookup(target, type, DClass.IN)
          .filter(hit -> hit.answer() instanceof CachedAnswer.Positive)
          .ifPresent(hit -> addAddresses(((CachedAnswer.Positive) hit.answer()).rrset(), into));
    }
  }

  private void addAddresses(RRset set, List<InetSocketAddress> into) {
    for (Record r : set.rrs(false)) {
      InetAddress address = r instanceof ARecord a ? a.getAddress() : r instanceof AAAARecord aaaa ? aaaa.getAddress() : null;
      if (address != null) {
        InetSocketAddress server = new InetSocketAddress(address, config.upstreamPort());
        if (!into.contains(server)) {
          into.add(server);
        }
      }
    }
  }

  /**
   * Asks the zone's servers one question until one gives a usable reply: chooses by smoothed RTT,
   * moves on after a timeout, an error RCODE or a lame reply, looks up NS addresses when the known
   * ones are used up, and falls back (mirrors to the public roots) when all fail.
   */
  private Reply ask(Servers servers, QnameMinimiser.Query query, Budget budget, int depth) throws Failure {
    if (servers.local) {
      RootCopy copy = config.rootCopy().get();
      if (copy != null && copy.validAt(time.instant())) {
        counters.localRootAnswer();
        return local(copy.lookup().lookup(query.name(), query.type(), true));
      }
      // the copy expired during this resolution: carry on with the public roots
      return ask(root(budget, depth), query, budget, depth);
    }
    Set<InetSocketAddress> failed = new HashSet<>();
    Set<String> why = new LinkedHashSet<>();
    Map<InetSocketAddress, Integer> tries = new HashMap<>();
    boolean replied = false;
    while (true) {
      List<InetSocketAddress> candidates = servers.addresses.stream().filter(a -> !failed.contains(a)).toList();
      if (candidates.isEmpty()) {
        if (lookUpNextServer(servers, budget, depth)) {
          continue;
        }
        if (servers.fallback != null) {
          log.info("no server for {} answered ({}); falling back", servers.zone, String.join("; ", why));
          return ask(servers.fallback.get(), query, budget, depth);
        }
        counters.failedStep();
        throw new Failure(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY,
            "no server of " + zoneText(servers.zone) + " answered " + query + (why.isEmpty() ? "" : ": " + String.join("; ", why)),
            replied);
      }
      InetSocketAddress server = selection.choose(candidates);
      budget.query();
      Duration timeout = selection.timeout(server);
      Message request = request(query);
      long started = System.nanoTime();
      Message response;
      try {
        counters.sent();
        response = upstream.exchange(server, request, timeout);
      } catch (SocketTimeoutException e) {
        selection.timedOut(server);
        counters.timeout();
        why.add(server.getAddress().getHostAddress() + " timed out");
        if (tries.merge(server, 1, Integer::sum) >= config.limits().triesPerServer()) {
          failed.add(server);
        }
        continue;
      } catch (IOException e) {
        selection.timedOut(server);
        why.add(server.getAddress().getHostAddress() + ": " + e.getMessage());
        failed.add(server);
        continue;
      }
      selection.answered(server, Duration.ofNanos(System.nanoTime() - started));
      replied = true;
      int rcode = response.getRcode();
      if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
        why.add(server.getAddress().getHostAddress() + " said " + Rcode.string(rcode));
        failed.add(server);
        continue;
      }
      Bailiwick.Filtered filtered = Bailiwick.filter(response, servers.zone, query.name());
      if (!filtered.dropped().isEmpty() && log.isDebugEnabled()) {
        log.debug("from {} for {}: dropped {}", server, query, filtered.dropped());
      }
      Reply reply = new Reply(rcode, response.getHeader().getFlag(Flags.AA),
          RRsets.of(filtered.answer()), RRsets.of(filtered.authority()), RRsets.of(filtered.additional()));
      if (lame(reply, servers.zone, query.name())) {
        // RFC 1034 section 5.3.3 step 4 "the server is not authoritative": try another
        counters.lame();
        why.add(server.getAddress().getHostAddress() + " is lame for " + zoneText(servers.zone));
        failed.add(server);
        continue;
      }
      return reply;
    }
  }

  /**
   * Not authoritative, no data, no negative answer (SOA) and no referral toward the name: an upward
   * referral or a server that does not serve the zone.
   */
  private static boolean lame(Reply reply, Name zone, Name qname) {
    return !reply.authoritative && reply.answer.isEmpty() && referral(reply, zone, qname) == null
        && reply.authority.stream().noneMatch(s -> s.getType() == Type.SOA);
  }

  /**
   * Looks up the address of the next NS name without one, within the NXNS caps. Each lookup is a
   * nested resolution that shares this resolution's budget.
   */
  private boolean lookUpNextServer(Servers servers, Budget budget, int depth) throws Failure {
    while (!servers.unresolved.isEmpty()) {
      Name target = servers.unresolved.poll();
      if (target.subdomain(servers.zone) || depth + 1 > config.limits().depth()) {
        continue; // glue was needed and missing, or nesting too deep: this name cannot help
      }
      if (!budget.nsLookup()) {
        throw new Failure(ExtendedErrorCodeOption.OTHER, "gave up after looking up " + config.limits().nsLookups() + " name server addresses");
      }
      counters.nsLookup();
      int before = servers.addresses.size();
      for (int type : new int[] {Type.A, Type.AAAA}) {
        Resolution found;
        try {
          found = resolve(Question.of(target, type), budget, depth + 1);
        } catch (Failure f) {
          log.debug("address of {} for {}: {}", target, servers.zone, f.getMessage());
          continue;
        }
        for (RRset set : found.answer()) {
          if (set.getType() == type) {
            cache.storeRRset(set, SecurityStatus.INDETERMINATE, Credibility.ADDITIONAL);
            addAddresses(set, servers.addresses);
          }
        }
        if (servers.addresses.size() > before) {
          return true; // IPv4 found: IPv6 only when there is no IPv4 address
        }
      }
    }
    return false;
  }

  private Message request(QnameMinimiser.Query query) {
    Message m = Message.newQuery(Record.newRecord(query.name(), query.type(), DClass.IN));
    m.getHeader().setID(ids.nextInt(0x10000));
    m.getHeader().unsetFlag(Flags.RD);
    // DO: the validator needs the signatures and proofs (RFC 4035 section 4.1)
    m.addRecord(new OPTRecord(EDNS_BUFFER, 0, 0, org.xbill.DNS.ExtendedFlags.DO), Section.ADDITIONAL);
    return m;
  }

  /** A lookup in the local root copy as a reply. */
  private static Reply local(Lookup lookup) {
    return new Reply(lookup.rcode(), lookup.authoritative(), lookup.answer(), lookup.authority(), lookup.additional());
  }

  private static Name parent(Name name) {
    return new Name(name, 1);
  }

  private static String zoneText(Name zone) {
    return zone.equals(Name.root) ? "the root" : zone.toString();
  }
}
