package org.rootmirror.resolver.iterate;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.cache.Credibility;
import org.rootmirror.resolver.cache.DnsCache;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.rootmirror.sync.server.limit.LimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Asks one zone's servers one question until one gives a usable reply: chooses by smoothed RTT,
 * moves on after a timeout, an error RCODE or a lame reply, looks up NS addresses when the known
 * ones are used up, and falls back (mirrors to the public roots) when all fail. A server asked
 * again waits twice as long as the last time; when its reply was lost while it answered other
 * queries (rate limiting), it is asked again over TCP.
 */
final class Authorities {
  private static final Logger log = LoggerFactory.getLogger(Authorities.class);
  /** One line per resolution that falls back: a flood of names under a dead zone would write one each. */
  private static final LimitedLog.Kind FELL_BACK = LimitedLog.of(log).kind(Level.INFO, "resolutions that fell back to other servers");
  /** The EDNS buffer advertised upstream (DNS Flag Day 2020: no fragmentation). */
  static final int EDNS_BUFFER = 1232;

  /** A resolution nested in this one (an NS name's address), sharing its budget. */
  @FunctionalInterface
  interface NestedResolver {
    Resolution resolve(Question question, Budget budget, int depth) throws Failure;
  }

  private final IterativeResolver.Config config;
  private final Upstream upstream;
  private final DnsCache cache;
  private final ServerSelection selection;
  private final InstantSource time;
  private final RandomGenerator ids;
  private final IteratorCounters counters;
  private final Referrals referrals;
  private final NestedResolver nested;

  Authorities(IterativeResolver.Config config, Upstream upstream, DnsCache cache, ServerSelection selection, InstantSource time,
      RandomGenerator ids, IteratorCounters counters, Referrals referrals, NestedResolver nested) {
    this.config = config;
    this.upstream = upstream;
    this.cache = cache;
    this.selection = selection;
    this.time = time;
    this.ids = ids;
    this.counters = counters;
    this.referrals = referrals;
    this.nested = nested;
  }

  Reply ask(Servers servers, QnameMinimiser.Query query, Budget budget, int depth) throws Failure {
    if (servers.local()) {
      RootCopy copy = config.rootCopy().get();
      if (copy != null && copy.validAt(time.instant())) {
        counters.localRootAnswer();
        ServerAvoidance.replied(null, depth);
        return Reply.of(copy.lookup().lookup(query.name(), query.type(), true));
      }
      // the copy expired during this resolution: carry on with the public roots
      return ask(referrals.root(budget), query, budget, depth);
    }
    Set<InetSocketAddress> failed = new HashSet<>();
    Set<String> why = new LinkedHashSet<>();
    Map<InetSocketAddress, Integer> tries = new HashMap<>();
    Map<InetSocketAddress, Duration> waited = new HashMap<>();
    Set<InetSocketAddress> overTcp = new HashSet<>();
    boolean replied = false;
    while (true) {
      List<InetSocketAddress> candidates = servers.addresses.stream().filter(a -> !failed.contains(a)).toList();
      if (ServerAvoidance.onlyAvoided(candidates) && lookUpNextServer(servers, budget, depth)) {
        continue; // the servers without known addresses may include one not avoided
      }
      if (candidates.isEmpty()) {
        if (lookUpNextServer(servers, budget, depth)) {
          continue;
        }
        if (servers.fallback != null) {
          FELL_BACK.log("no server for {} answered ({}); falling back", servers.zone, String.join("; ", why));
          return ask(servers.fallback.get(budget), query, budget, depth);
        }
        counters.failedStep();
        throw new Failure(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY,
            "no server of " + zoneText(servers) + " answered " + query + (why.isEmpty() ? "" : ": " + String.join("; ", why)),
            replied);
      }
      // servers that gave bogus data earlier are asked last (ServerAvoidance)
      InetSocketAddress server = selection.choose(ServerAvoidance.preferred(candidates));
      budget.query();
      // never waits past the resolution's deadline: the client gets its SERVFAIL in time
      Duration left = budget.left();
      Duration rto = selection.timeout(server);
      Duration timeout = retransmission(rto, waited.get(server));
      timeout = left.compareTo(timeout) < 0 ? left : timeout;
      Message request = request(query, servers.forwarder());
      Instant sent = time.instant();
      long started = System.nanoTime();
      boolean tcp = overTcp.remove(server);
      Message response;
      try {
        counters.sent();
        response = tcp ? upstream.exchangeOverTcp(server, request, timeout) : upstream.exchange(server, request, timeout);
      } catch (SocketTimeoutException e) {
        boolean lost = selection.timedOut(server, sent, rto);
        if (lost && !tcp) {
          // the server answered others meanwhile: this reply was dropped, as response rate
          // limiting drops UDP replies under load (NSD's default: 200 a second for the names one
          // wildcard answers); the next try goes over TCP, which rate limiting answers (issue 12)
          counters.lost();
          overTcp.add(server);
        }
        waited.put(server, timeout);
        counters.timeout();
        why.add(server.getAddress().getHostAddress() + " timed out");
        if (tries.merge(server, 1, Integer::sum) >= config.limits().triesPerServer()) {
          failed.add(server);
        }
        continue;
      } catch (IOException e) {
        selection.timedOut(server, sent, rto);
        why.add(server.getAddress().getHostAddress() + ": " + e.getMessage());
        // a server that answers over UDP but refuses TCP is not given up for it: it is one try
        if (!tcp || tries.merge(server, 1, Integer::sum) >= config.limits().triesPerServer()) {
          failed.add(server);
        }
        continue;
      }
      selection.answered(server, Duration.ofNanos(System.nanoTime() - started));
      replied = true;
      budget.received(response.numBytes());
      int rcode = response.getRcode();
      if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN && !dnameOverflow(response, query.name())) {
        why.add(server.getAddress().getHostAddress() + " said " + Rcode.string(rcode));
        failed.add(server);
        continue;
      }
      Bailiwick.Filtered filtered = Bailiwick.filter(response, servers.zone, query.name(), config.hardenGlue(), query.type());
      if (!filtered.dropped().isEmpty() && log.isDebugEnabled()) {
        log.debug("from {} for {}: dropped {}", server, query, filtered.dropped());
      }
      Reply reply = new Reply(rcode, response.getHeader().getFlag(Flags.AA),
          RRsets.of(filtered.answer(), query.type() == Type.RRSIG), RRsets.of(filtered.authority()), RRsets.of(filtered.additional()));
      String lame = servers.forwarder() ? notRecursive(reply) : lame(reply, response, filtered, servers.zone, query.name());
      if (lame != null) {
        // RFC 1034 section 5.3.3 step 4 "the server is not authoritative": try another; nothing
        // of this reply is kept
        counters.lame();
        why.add(server.getAddress().getHostAddress() + " " + lame);
        failed.add(server);
        continue;
      }
      if (servers.kind == Servers.Kind.AUTHORITATIVE && Referrals.referral(reply, servers.zone, query.name()) == null) {
        referrals.learnFromAnswer(servers.zone, reply);
      }
      ServerAvoidance.replied(server, depth);
      return reply;
    }
  }

  /**
   * How long to wait for {@code server} this time: its RTO, and at least twice the last wait for
   * it in this step (RFC 1035 section 4.2.1: retransmissions back off). The server's RTO does not
   * grow with a loss while the server answers other queries ({@link ServerSelection#timedOut}),
   * so the resolution that lost a reply backs off itself: a server slowed by load gets the time
   * it needs on the next try rather than being given up after a few short waits.
   */
  static Duration retransmission(Duration rto, Duration lastWait) {
    if (lastWait == null) {
      return rto;
    }
    Duration doubled = lastWait.multipliedBy(2);
    return doubled.compareTo(rto) > 0 ? doubled : rto;
  }

  /**
   * Why a reply from a server of {@code zone} is lame, or null when it is usable. Like Unbound's
   * response classification (iter_resptype.c): data, NXDOMAIN, NODATA with the zone's SOA, or a
   * referral toward the name are usable; everything else is a server that does not serve the zone:
   *
   * <ul>
   *   <li>NOERROR, no data, no SOA, no referral and no AA: an upward referral or a referral to the
   *       zone itself (RFC 1034 section 5.3.3 step 4);
   *   <li>the same with AA, when the authority section was about another zone (an NS or SOA
   *       {@link Bailiwick} dropped): a server authoritative for something else;
   *   <li>NODATA with SOA but RA and no AA: a recursive server answering from its cache, not the
   *       zone's authority (Unbound's REC_LAME).
   * </ul>
   */
  private static String lame(Reply reply, Message response, Bailiwick.Filtered filtered, Name zone, Name qname) {
    if (reply.rcode() != Rcode.NOERROR || !reply.answer().isEmpty() || Referrals.referral(reply, zone, qname) != null) {
      return null;
    }
    boolean recursive = response.getHeader().getFlag(Flags.RA);
    if (reply.hasAuthority(Type.SOA)) {
      return !reply.authoritative() && recursive ? "answers from a cache (RA, no AA) for " + text(zone) : null;
    }
    if (!reply.authoritative()) {
      return "is lame for " + text(zone);
    }
    boolean otherZone = filtered.dropped().stream()
        .anyMatch(d -> d.section() == Section.AUTHORITY && (d.record().getType() == Type.NS || d.record().getType() == Type.SOA));
    return otherZone ? "is authoritative for another zone than " + text(zone) : null;
  }

  /**
   * RFC 6672 section 2.2: YXDOMAIN with a DNAME above the name is an answer, not an error: the
   * name with the DNAME applied would be longer than 255 octets. The client gets it as it is.
   */
  private static boolean dnameOverflow(Message response, Name qname) {
    return response.getRcode() == Rcode.YXDOMAIN && response.getSection(Section.ANSWER).stream()
        .anyMatch(r -> r.getType() == Type.DNAME && qname.subdomain(r.getName()) && !qname.equals(r.getName()));
  }

  /** A forwarder that answers with a referral does not recurse for us. */
  private static String notRecursive(Reply reply) {
    boolean referral = reply.rcode() == Rcode.NOERROR && reply.answer().isEmpty() && !reply.hasAuthority(Type.SOA)
        && reply.hasAuthority(Type.NS);
    return referral ? "answered with a referral: not a recursive server" : null;
  }

  /**
   * Looks up the address of the next NS name without one, within the NXNS caps. Each lookup is a
   * nested resolution that shares this resolution's budget.
   */
  private boolean lookUpNextServer(Servers servers, Budget budget, int depth) throws Failure {
    while (!servers.unresolved.isEmpty()) {
      Name target = alias(servers.unresolved.poll());
      if (target.subdomain(servers.zone) || depth + 1 > config.limits().depth()) {
        continue; // glue was needed and missing, or nesting too deep: this name cannot help
      }
      if (!budget.nsLookup()) {
        throw new Failure(ExtendedErrorCodeOption.OTHER, "gave up after looking up " + config.limits().nsLookups() + " name server addresses");
      }
      counters.nsLookup();
      int before = servers.addresses.size();
      for (int type : new int[] {Type.A, Type.AAAA}) {
        List<RRset> found = List.of();
        try {
          found = nested.resolve(Question.of(target, type), budget, depth + 1).answer();
        } catch (Failure f) {
          log.debug("address of {} for {}: {}", target, servers.zone, f.getMessage());
        }
        // the parent's glue for the name, met on the way down, is a candidate too, even when the
        // lookup failed further down: where the parent and the child disagree on the address,
        // either may be the working one (Unbound falls back to the parent side's addresses)
        referrals.cachedAddresses(target, servers.addresses);
        for (RRset set : found) {
          if (set.getType() == type) {
            if (cache.lookup(set.getName(), type, DClass.IN).isEmpty()) {
              cache.storeRRset(set, SecurityStatus.INDETERMINATE, Credibility.ADDITIONAL);
            }
            referrals.addAddresses(set, servers.addresses);
          }
        }
        if (servers.addresses.size() > before) {
          return true; // IPv4 found: IPv6 only when there is no IPv4 address
        }
      }
    }
    return false;
  }

  /**
   * The name a cached CNAME chain from {@code target} leads to, or {@code target}. An NS name must
   * not be an alias (RFC 2181 section 10.3), but some are; once the address behind the alias
   * expired, the chain in the cache says where to look it up again (Unbound's iter_cname_cache),
   * which matters when the NS name lies inside the zone and the zone's other servers fail.
   */
  private Name alias(Name target) {
    Name name = target;
    for (int link = 0; link < config.limits().chain(); link++) {
      var hit = cache.lookup(name, Type.CNAME, DClass.IN);
      if (hit.isEmpty() || !(hit.get().answer() instanceof org.rootmirror.resolver.cache.CachedAnswer.Positive p)) {
        break;
      }
      name = ((org.xbill.DNS.CNAMERecord) p.rrset().first()).getTarget();
    }
    return name;
  }

  /**
   * An iterative question (RD=0), or for a forwarder a recursive one (RD=1) with CD=1, since the
   * validator above checks the data itself (RFC 4035 section 3.2.2). DO: the validator needs the
   * signatures and proofs (RFC 4035 section 4.1).
   */
  private Message request(QnameMinimiser.Query query, boolean recursive) {
    Message m = Message.newQuery(Record.newRecord(query.name(), query.type(), DClass.IN));
    m.getHeader().setID(ids.nextInt(0x10000));
    if (recursive) {
      m.getHeader().setFlag(Flags.CD);
    } else {
      m.getHeader().unsetFlag(Flags.RD);
    }
    m.addRecord(new OPTRecord(EDNS_BUFFER, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    return m;
  }

  private static String zoneText(Servers servers) {
    return (servers.forwarder() ? "forward zone " : "") + text(servers.zone);
  }

  private static String text(Name zone) {
    return zone.equals(Name.root) ? "the root" : zone.toString();
  }
}
