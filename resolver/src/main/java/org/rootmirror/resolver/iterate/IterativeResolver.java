package org.rootmirror.resolver.iterate;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.rootmirror.resolver.AnswerChain;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.Resolver;
import org.rootmirror.resolver.Wildcards;
import org.rootmirror.resolver.cache.DnsCache;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
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
 * the hints (RFC 8109); as soon as a copy is valid again it is used again. Names in a {@link
 * ForwardZone} are asked of its forwarders instead.
 *
 * <p>Every resolution has caps, so that no answer can make the resolver work without end: zone
 * cuts followed, CNAME/DNAME links, NS names whose addresses it looks up (the NXNS attack,
 * CVE-2020-12662), queries sent, and nesting of those lookups.
 *
 * <p>The work is split by job: this class runs the chain and the descent through the cuts;
 * {@link Referrals} finds the servers of a cut; {@link Authorities} asks them; {@link ReferralDs}
 * keeps what signed referrals say of the child's DS, to answer DS questions with.
 */
public final class IterativeResolver implements Resolver {
  private static final Logger log = LoggerFactory.getLogger(IterativeResolver.class);

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
   * @param resolutionTime how long one client question may take, all its lookups together (the
   *     {@link ResolutionDeadline}): after it, SERVFAIL with Extended DNS Error 22 "No Reachable
   *     Authority" (RFC 8914), well before a stub gives up (5 s is glibc's timeout)
   * @param receivedBytes the bytes of replies one client question may receive, all its lookups
   *     together: what bounds the memory a resolution in flight holds, whatever the authorities
   *     send (with {@code queries}, each reply being at most 64 KB)
   */
  public record Limits(int referrals, int chain, int nsLookups, int queries, int depth, int triesPerServer, Duration resolutionTime,
      long receivedBytes) {
    /** The time a resolution may take by default: 4 s, so that the SERVFAIL reaches a stub within 5 s. */
    public static final Duration RESOLUTION_TIME = Duration.ofSeconds(4);
    /**
     * The replies a question may receive by default: 128 KB, several times what a deep signed
     * chain takes (a referral with DS and RRSIG is about 1 KB, a DNSKEY RRset about 1.5 KB) and
     * room for one reply of the 64 KB TCP allows.
     */
    public static final long RECEIVED_BYTES = 128 * 1024;

    public Limits {
      if (resolutionTime.isNegative() || resolutionTime.isZero()) {
        throw new IllegalArgumentException("resolution time must be positive: " + resolutionTime);
      }
      if (receivedBytes < 1) {
        throw new IllegalArgumentException("received bytes must be positive: " + receivedBytes);
      }
    }

    public Limits(int referrals, int chain, int nsLookups, int queries, int depth, int triesPerServer, Duration resolutionTime) {
      this(referrals, chain, nsLookups, queries, depth, triesPerServer, resolutionTime, RECEIVED_BYTES);
    }

    public Limits(int referrals, int chain, int nsLookups, int queries, int depth, int triesPerServer) {
      this(referrals, chain, nsLookups, queries, depth, triesPerServer, RESOLUTION_TIME);
    }

    public static Limits defaults() {
      return new Limits(16, 12, 12, 48, 4, 2, RESOLUTION_TIME, RECEIVED_BYTES);
    }

    public Limits withResolutionTime(Duration time) {
      return new Limits(referrals, chain, nsLookups, queries, depth, triesPerServer, time, receivedBytes);
    }

    public Limits withReceivedBytes(long bytes) {
      return new Limits(referrals, chain, nsLookups, queries, depth, triesPerServer, resolutionTime, bytes);
    }
  }

  /**
   * Where the root comes from, where authorities listen, and how they are asked.
   *
   * @param rootCopy the local validated root, or null while there is none
   * @param mirrors the root's servers to ask when there is no valid copy, before the public roots
   *     (another rootmirror or any RFC 8806 server); empty for none
   * @param hints the public root servers (named.root)
   * @param upstreamPort the port authorities listen on: 53, another in tests
   * @param qnameMinimisation how much of the name each zone's servers see (qname-minimisation)
   * @param forwardZones zones whose names are asked of forwarders (forward-zone)
   * @param doNotQueryLocalhost whether addresses learnt from the network in 127.0.0.0/8, ::1 or
   *     the unspecified ranges are left unasked (do-not-query-localhost; the configured mirrors,
   *     hints and forwarders are always asked)
   * @param hardenGlue whether glue outside the delegated zone is dropped (harden-glue)
   */
  public record Config(Supplier<RootCopy> rootCopy, List<InetSocketAddress> mirrors, RootHints hints, int upstreamPort, Limits limits,
      QnameMinimisation qnameMinimisation, List<ForwardZone> forwardZones, boolean doNotQueryLocalhost, boolean hardenGlue) {
    public Config {
      Objects.requireNonNull(rootCopy, "rootCopy");
      mirrors = List.copyOf(mirrors);
      Objects.requireNonNull(hints, "hints");
      Objects.requireNonNull(limits, "limits");
      Objects.requireNonNull(qnameMinimisation, "qnameMinimisation");
      forwardZones = List.copyOf(forwardZones);
    }

    /**
     * Relaxed minimisation, no forward zone, every learnt address asked, glue hardened: the
     * iterator's behaviour before these became options. Unbound's do-not-query-localhost default
     * is yes: see {@link #withDoNotQueryLocalhost}.
     */
    public Config(Supplier<RootCopy> rootCopy, List<InetSocketAddress> mirrors, RootHints hints, int upstreamPort, Limits limits) {
      this(rootCopy, mirrors, hints, upstreamPort, limits, QnameMinimisation.RELAXED, List.of(), false, true);
    }

    public Config withQnameMinimisation(QnameMinimisation mode) {
      return new Config(rootCopy, mirrors, hints, upstreamPort, limits, mode, forwardZones, doNotQueryLocalhost, hardenGlue);
    }

    public Config withForwardZones(List<ForwardZone> zones) {
      return new Config(rootCopy, mirrors, hints, upstreamPort, limits, qnameMinimisation, zones, doNotQueryLocalhost, hardenGlue);
    }

    public Config withDoNotQueryLocalhost(boolean skip) {
      return new Config(rootCopy, mirrors, hints, upstreamPort, limits, qnameMinimisation, forwardZones, skip, hardenGlue);
    }

    public Config withHardenGlue(boolean harden) {
      return new Config(rootCopy, mirrors, hints, upstreamPort, limits, qnameMinimisation, forwardZones, doNotQueryLocalhost, harden);
    }

    public Config withRootCopy(Supplier<RootCopy> copy) {
      return new Config(copy, mirrors, hints, upstreamPort, limits, qnameMinimisation, forwardZones, doNotQueryLocalhost, hardenGlue);
    }

    public Config withHints(RootHints newHints) {
      return new Config(rootCopy, mirrors, newHints, upstreamPort, limits, qnameMinimisation, forwardZones, doNotQueryLocalhost, hardenGlue);
    }

    public Config withMirrors(List<InetSocketAddress> newMirrors) {
      return new Config(rootCopy, newMirrors, hints, upstreamPort, limits, qnameMinimisation, forwardZones, doNotQueryLocalhost, hardenGlue);
    }

    public Config withUpstreamPort(int port) {
      return new Config(rootCopy, mirrors, hints, port, limits, qnameMinimisation, forwardZones, doNotQueryLocalhost, hardenGlue);
    }

    public Config withLimits(Limits newLimits) {
      return new Config(rootCopy, mirrors, hints, upstreamPort, newLimits, qnameMinimisation, forwardZones, doNotQueryLocalhost, hardenGlue);
    }
  }

  private final Config config;
  private final InstantSource time;
  private final IteratorCounters counters = new IteratorCounters();
  private final Referrals referrals;
  private final Authorities authorities;
  private final ReferralDs referralDs;

  /**
   * @param cache where delegations and server addresses learnt on the way are kept (unvalidated,
   *     at referral or glue credibility, so never given to clients as answers)
   * @param ids the source of query IDs: a SecureRandom in production (RFC 5452 section 9.2)
   */
  public IterativeResolver(Config config, Upstream upstream, DnsCache cache, ServerSelection selection, InstantSource time, RandomGenerator ids) {
    this(config, upstream, cache, selection, time, ids, Referrals.LOGGED);
  }

  /** @param priming where priming's changes of state are told (tests; the log otherwise) */
  IterativeResolver(Config config, Upstream upstream, DnsCache cache, ServerSelection selection, InstantSource time, RandomGenerator ids,
      RootPriming.Report priming) {
    this.config = Objects.requireNonNull(config);
    Objects.requireNonNull(upstream);
    Objects.requireNonNull(cache);
    Objects.requireNonNull(selection);
    this.time = Objects.requireNonNull(time);
    Objects.requireNonNull(ids);
    this.referrals = new Referrals(config, cache, counters, time, (servers, query, budget, depth) -> askOf(servers, query, budget, depth), priming);
    this.authorities = new Authorities(config, upstream, cache, selection, time, ids, counters, referrals, this::resolve);
    this.referralDs = new ReferralDs(cache);
  }

  private Reply askOf(Servers servers, QnameMinimiser.Query query, Budget budget, int depth) throws Failure {
    return authorities.ask(servers, query, budget, depth);
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
      return resolve(question, ServerAvoidance.budget(config.limits(), time), 0);
    } catch (Failure f) {
      log.debug("{}: {}", question, f.getMessage());
      // RFC 1034 section 3.6.2: a CNAME loop is signalled as an error; the records of the loop
      // go with it, as Unbound and Knot Resolver answer
      return new Resolution(Rcode.SERVFAIL, f.partial, List.of(), SecurityStatus.INDETERMINATE, new ExtendedErrorCodeOption(f.ede, f.getMessage()));
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
        throw new Failure(ExtendedErrorCodeOption.INVALID_DATA, "CNAME/DNAME loop at " + name, true, depth == 0 ? answer : List.of());
      }
      Reply reply = step(name, question.type(), budget, depth);
      ServerAvoidance.stepEnded(depth);
      AnswerChain chain = AnswerChain.follow(reply.answer(), name, question.type());
      if (chain.loop()) {
        // following a loop never ends: SERVFAIL (RFC 1034 section 3.6.2), as Unbound and BIND answer
        answer.addAll(chain.rrsets());
        throw new Failure(ExtendedErrorCodeOption.INVALID_DATA, "CNAME/DNAME loop at " + chain.end(), true, depth == 0 ? answer : List.of());
      }
      answer.addAll(chain.rrsets());
      if (chain.answered() || reply.rcode() == Rcode.NXDOMAIN || chain.end().equals(name)) {
        // answered, or a negative answer about the end of the chain (RFC 6604: the RCODE
        // concerns the last name); proofs for wildcard answers stay with the data
        boolean negative = !chain.answered();
        boolean proofs = negative || Wildcards.anyExpanded(chain.rrsets());
        // a negative answer keeps its SOA, and the zone's own NS RRset when the authority sent
        // it (RFC 2308 section 2.1), as Knot Resolver passes it on; the validator judges it too
        Name apex = reply.authority().stream().filter(s -> s.getType() == Type.SOA).map(RRset::getName).findFirst().orElse(null);
        reply.authority().stream()
            .filter(s -> proofs && Reply.proof(s.getType())
                || negative && (s.getType() == Type.SOA || s.getType() == Type.NS && s.getName().equals(apex)))
            .forEach(authority::add);
        return new Resolution(reply.rcode(), answer, authority, SecurityStatus.INDETERMINATE, null);
      }
      if (links == config.limits().chain()) {
        throw new Failure(ExtendedErrorCodeOption.OTHER, "CNAME/DNAME chain longer than " + config.limits().chain());
      }
      // Keep the proofs of a wildcard-expanded link (RFC 4035 section 5.3.4) and nothing else of
      // its authority: NSECs beside a CNAME or DNAME that was not expanded prove nothing the
      // answer needs. The next zone's authority follows.
      if (Wildcards.anyExpanded(chain.rrsets())) {
        reply.authority().stream().filter(s -> Reply.proof(s.getType())).forEach(authority::add);
      }
      name = chain.end();
    }
  }

  /**
   * Resolves {@code qname}/{@code qtype} inside one chain link: finds the closest known cut, then
   * asks down through referrals (minimised, RFC 9156) until a zone answers for the name; or asks
   * the forwarders of the closest forward zone.
   */
  private Reply step(Name qname, int qtype, Budget budget, int depth) throws Failure {
    if (qtype == Type.DS) {
      // the DS (or its denial) a signed referral to the cut brought is the answer: the validator
      // checks it against the parent's keys (RFC 4035 section 3.1.4; Unbound and Knot Resolver)
      Reply known = ServerAvoidance.mayUseKept() ? referralDs.known(qname) : null;
      if (known != null) {
        ServerAvoidance.usedKept();
        return known;
      }
    }
    // DS lives at the parent side of a cut (RFC 4035 section 3.1.4.1): start above the name.
    Name start = qtype == Type.DS && !qname.equals(Name.root) ? new Name(qname, 1) : qname;
    QnameMinimiser.Query full = new QnameMinimiser.Query(qname, qtype);
    ForwardZone forward = referrals.forwardZone(start);
    if (forward != null) {
      // a forwarder recurses itself: the whole question, once (Unbound's forward-zone)
      return authorities.ask(Referrals.forwarders(forward), full, budget, depth);
    }
    Servers servers = referrals.closest(start, budget);
    QnameMinimiser minimiser = QnameMinimiser.start(qname, qtype, servers.zone);
    QnameMinimisation mode = config.qnameMinimisation();
    boolean minimise = mode != QnameMinimisation.OFF;
    for (int referralCount = 0; ; ) {
      // The local root leaks nothing, so it is asked the whole question at once.
      QnameMinimiser.Query query = servers.local() || !minimise ? full : minimiser.query();
      Reply reply;
      try {
        reply = authorities.ask(servers, query, budget, depth);
      } catch (Failure f) {
        if (servers.childSide) {
          // the child's own servers all failed: the parent's delegation may name others that
          // work (its NS set and glue), as Unbound falls back to the parent side
          log.debug("servers of {} from its own NS set failed ({}); asking its parent", servers.zone, f.getMessage());
          servers = referrals.closest(new Name(servers.zone, 1), budget);
          minimiser = QnameMinimiser.start(qname, qtype, servers.zone);
          minimise = mode != QnameMinimisation.OFF;
          continue;
        }
        if (query.equals(full) || mode == QnameMinimisation.STRICT) {
          throw f;
        }
        // RFC 9156 section 2.3: servers that fail a minimised question (some time out or answer
        // an error for empty non-terminals) are asked the whole one, as Unbound does when not
        // strict
        log.debug("{} failed ({}); asking {}", query, f.getMessage(), full);
        minimise = false;
        continue;
      }
      Name cut = Referrals.referral(reply, servers.zone, query.name());
      if (cut != null) {
        if (++referralCount > config.limits().referrals()) {
          throw new Failure(ExtendedErrorCodeOption.OTHER, "more than " + config.limits().referrals() + " referrals for " + qname);
        }
        referralDs.keep(cut, reply);
        if (qtype == Type.DS && cut.equals(qname)) {
          // a parent that refers a DS question to the child answers it with the DS (or the
          // denial) the referral carries; without either it has no DS to give: ask no further
          Reply answer = ReferralDs.asAnswer(cut, reply);
          return answer != null ? answer : reply;
        }
        servers = referrals.fromReferral(cut, reply);
        minimiser = minimiser.onReferral(cut);
        minimise = mode != QnameMinimisation.OFF;
        continue;
      }
      if (query.equals(full)) {
        return reply;
      }
      if (reply.rcode() == Rcode.NXDOMAIN) {
        if (reply.hasProof() || mode == QnameMinimisation.STRICT) {
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
}
