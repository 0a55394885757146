package org.rootmirror.resolver.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import org.rootmirror.resolver.Wildcards;
import org.rootmirror.resolver.AnswerChain;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.Resolver;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The cache in front of the validating resolver: answers from validated data it holds, rebuilding
 * CNAME chains link by link; synthesises NXDOMAIN and NODATA from validated NSEC records (RFC 8198); resolves
 * a question once however many clients ask it at the same time; refreshes popular entries before
 * they expire (prefetch); and, when the authorities cannot be reached, answers with expired data
 * (serve-stale, RFC 8767) marked with an Extended DNS Error.
 *
 * <p>Only validated data is served: SECURE or INSECURE, at answer credibility. The iterator's own
 * entries (delegations and glue, INDETERMINATE) share the cache but never reach a client (RFC
 * 2181 section 5.4.1), and bogus data is never stored.
 */
public final class CachingResolver implements Resolver {
  private final Resolver inner;
  private final DnsCache cache;
  private final AggressiveNsec aggressive;
  private final CachedChains chains;
  private final Executor background;
  private final ConcurrentHashMap<Key, CompletableFuture<Resolution>> inFlight = new ConcurrentHashMap<>();
  private final LongAdder hits = new LongAdder();
  private final LongAdder synthesised = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder stale = new LongAdder();
  private final LongAdder prefetches = new LongAdder();

  private record Key(Question question, boolean checkingDisabled) {}

  /** How long a client waits for the same question resolved by another before asking itself. */
  private static final Duration SHARED_WAIT = Duration.ofSeconds(10);

  /** The questions the current thread is resolving, outermost first. */
  private static final ThreadLocal<Set<Key>> OWN = ThreadLocal.withInitial(HashSet::new);

  /**
   * @param background runs prefetches (one virtual thread each in production)
   * @param maxChain CNAME links rebuilt from the cache before it falls back to resolving
   */
  public CachingResolver(Resolver inner, DnsCache cache, AggressiveNsec aggressive, Executor background, int maxChain) {
    this.inner = Objects.requireNonNull(inner);
    this.cache = Objects.requireNonNull(cache);
    this.aggressive = Objects.requireNonNull(aggressive);
    this.background = Objects.requireNonNull(background);
    this.chains = new CachedChains(cache, aggressive, maxChain);
  }

  @Override
  public Resolution cached(Question question, boolean checkingDisabled) {
    Resolution found = fromCache(question, false);
    if (found != null) {
      hits.increment();
      return found;
    }
    if (question.dclass() != DClass.IN || question.type() == Type.ANY) {
      return null;
    }
    // RFC 8198: only validated, secure NSEC records are kept, so the answer is secure
    return switch (aggressive.synthesise(question.name(), question.type())) {
      case CachedAnswer.NameError nx -> {
        synthesised.increment();
        yield new Resolution(Rcode.NXDOMAIN, List.of(), nx.rrsets(), SecurityStatus.SECURE, null);
      }
      case CachedAnswer.NoData nd -> {
        synthesised.increment();
        yield new Resolution(Rcode.NOERROR, List.of(), nd.rrsets(), SecurityStatus.SECURE, null);
      }
      case null, default -> null;
    };
  }

  @Override
  public void keepSecure(List<RRset> rrsets) {
    for (RRset set : rrsets) {
      cache.storeRRset(set, List.of(), SecurityStatus.SECURE, Credibility.ANSWER);
    }
  }

  @Override
  public Resolution resolve(Question question, boolean checkingDisabled) {
    Resolution found = cached(question, checkingDisabled);
    if (found != null) {
      return found;
    }
    misses.increment();
    Resolution continued = continueChain(question, checkingDisabled);
    if (continued != null) {
      return continued;
    }
    Key key = new Key(question, checkingDisabled);
    CompletableFuture<Resolution> mine = new CompletableFuture<>();
    CompletableFuture<Resolution> running = inFlight.putIfAbsent(key, mine);
    Set<Key> ownQuestions = OWN.get();
    if (running != null) {
      // Another client asked the same: share its answer. Not when this very thread is resolving
      // it further up (a validator fetching keys for its own question), and not for ever.
      if (!ownQuestions.contains(key)) {
        try {
          return running.get(SHARED_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
          // resolve it here
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return Resolution.servfail(ExtendedErrorCodeOption.OTHER, "interrupted");
        }
      }
      return resolveAndStore(question, checkingDisabled);
    }
    ownQuestions.add(key);
    try {
      Resolution result = resolveAndStore(question, checkingDisabled);
      mine.complete(result);
      return result;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      ownQuestions.remove(key);
      inFlight.remove(key, mine);
    }
  }

  /**
   * When the cache holds the start of the answer's chain (a validated DNAME, CNAMEs), the name it
   * leads to is resolved and the cached links go in front, as Unbound does: a DNAME from the cache
   * comes with a freshly synthesised CNAME (RFC 6672 section 3.4), never with one an authority
   * sent that the validated DNAME does not make. Null when the cache holds no link.
   */
  private Resolution continueChain(Question question, boolean checkingDisabled) {
    CachedChains.Rebuilt start = chains.rebuild(question, false);
    if (start == null || start.complete()) {
      return null;
    }
    Resolution links = start.resolution();
    Resolution rest = resolve(new Question(start.rest(), question.type(), question.dclass()), checkingDisabled);
    if (rest.rcode() != Rcode.NOERROR && rest.rcode() != Rcode.NXDOMAIN) {
      return rest;
    }
    List<RRset> answer = new ArrayList<>(links.answer());
    answer.addAll(rest.answer());
    List<RRset> authority = new ArrayList<>(links.authority());
    rest.authority().stream().filter(set -> !authority.contains(set)).forEach(authority::add);
    return new Resolution(rest.rcode(), answer, authority, CachedChains.weaker(links.status(), rest.status()), rest.error());
  }

  private Resolution resolveAndStore(Question question, boolean checkingDisabled) {
    Resolution result = inner.resolve(question, checkingDisabled);
    if (result.rcode() == Rcode.SERVFAIL && unreachable(result)) {
      // RFC 8767 section 4: the authorities did not answer; expired data beats no data
      Resolution old = fromCache(question, true);
      if (old != null) {
        stale.increment();
        int code = old.rcode() == Rcode.NXDOMAIN ? ExtendedErrorCodeOption.STALE_NXDOMAIN_ANSWER : ExtendedErrorCodeOption.STALE_ANSWER;
        return new Resolution(old.rcode(), old.answer(), old.authority(), old.status(),
            new ExtendedErrorCodeOption(code, result.error().getText()));
      }
      return result;
    }
    store(question, result);
    return bounded(result);
  }

  /**
   * The resolution with the TTLs a client sees from the cache later: cache-min-ttl raises and
   * cache-max-ttl caps each RRset (cache-max-negative-ttl the SOA and proofs of a negative answer),
   * so that the first answer and the cached ones agree, as in Unbound.
   */
  private Resolution bounded(Resolution result) {
    if (result.rcode() != Rcode.NOERROR && result.rcode() != Rcode.NXDOMAIN) {
      return result;
    }
    CacheConfig bounds = cache.config();
    boolean negative = result.rcode() == Rcode.NXDOMAIN || result.answer().isEmpty();
    long authorityMax = negative ? bounds.maxNegativeTtl() : bounds.maxTtl();
    List<RRset> answer = result.answer().stream().map(set -> bounded(set, bounds.minTtl(), bounds.maxTtl())).toList();
    List<RRset> authority = result.authority().stream().map(set -> bounded(negativeSoa(set, negative), bounds.minTtl(), authorityMax)).toList();
    return new Resolution(result.rcode(), answer, authority, result.status(), result.error());
  }

  /** RFC 2308 section 3: the SOA of a negative answer carries the lesser of its TTL and MINIMUM, as from the cache. */
  private static RRset negativeSoa(RRset set, boolean negative) {
    if (negative && set.getType() == Type.SOA && set.first() instanceof org.xbill.DNS.SOARecord soa && soa.getMinimum() < set.getTTL()) {
      return Ttls.withTtl(set, soa.getMinimum());
    }
    return set;
  }

  private static RRset bounded(RRset set, long min, long max) {
    long ttl = Math.max(min, Math.min(max, set.getTTL()));
    return Ttls.withTtl(set, ttl);
  }

  private static boolean unreachable(Resolution result) {
    if (result.error() == null) {
      return false;
    }
    int code = result.error().getErrorCode();
    return code == ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY || code == ExtendedErrorCodeOption.NETWORK_ERROR;
  }

  /** Keeps a validated resolution: each RRset of the chain, and the negative answer at its end. */
  private void store(Question question, Resolution result) {
    SecurityStatus status = result.status();
    if (status != SecurityStatus.SECURE && status != SecurityStatus.INSECURE) {
      return;
    }
    if (result.rcode() != Rcode.NOERROR && result.rcode() != Rcode.NXDOMAIN) {
      return;
    }
    if (question.type() == Type.RRSIG) {
      // signatures alone (RFC 4035 section 3.1.5) would be keyed as the type they cover, and
      // stand for an empty RRset of it: not kept
      return;
    }
    List<RRset> proof = result.authority().stream()
        .filter(s -> s.getType() == Type.NSEC || s.getType() == Type.NSEC3).toList();
    for (RRset set : result.answer()) {
      // a CNAME made from a DNAME is unsigned: it is made again on each hit, next to its DNAME
      if (AnswerChain.dnameSynthesising(set, result.answer()) == null) {
        // RFC 4035 section 3.1.3.3: a wildcard expansion is served with the proof that the
        // name itself does not exist, from the cache as in the first answer
        List<RRset> wildcardProof = Wildcards.expanded(set) ? proof : List.of();
        cache.storeRRset(set, wildcardProof, status, Credibility.ANSWER);
        if (!wildcardProof.isEmpty() && status == SecurityStatus.SECURE) {
          // RFC 8198 section 5.3: the wildcard's own RRset, and the NSECs, serve other names
          aggressive.learn(result.authority(), set.sigs().get(0).getSigner());
          Name wildcard = CachedChains.sourceWildcard(set);
          if (wildcard != null) {
            cache.storeRRset(CachedChains.renamed(set, wildcard), status, Credibility.ANSWER);
          }
        }
      }
    }
    AnswerChain chain = AnswerChain.follow(result.answer(), question.name(), question.type());
    if (chain.answered()) {
      return;
    }
    Optional<RRset> soa = result.authority().stream().filter(s -> s.getType() == Type.SOA).findFirst();
    if (soa.isEmpty()) {
      // RFC 2308 section 5: a negative answer without SOA is not cached, for fear of loops; a
      // NOERROR without records only for a few seconds, as Unbound does (NORR_TTL), or as long
      // as its validated denial records (a DS denial from a referral has no SOA)
      if (result.rcode() == Rcode.NOERROR && question.type() != 0) {
        cache.storeNoRecords(chain.end(), question.type(), question.dclass(), proof, status);
      }
      return;
    }
    if (status == SecurityStatus.SECURE) {
      aggressive.learn(result.authority(), soa.get().getName());
    }
    // the zone's NS RRset, when the validator let it through, is given again with the SOA
    List<RRset> rest = result.authority().stream()
        .filter(s -> s.getType() == Type.NSEC || s.getType() == Type.NSEC3 || s.getType() == Type.NS).toList();
    if (result.rcode() == Rcode.NXDOMAIN) {
      cache.storeNameError(chain.end(), question.dclass(), soa.get(), rest, status);
    } else if (question.type() != 0) {
      // type 0 is reserved (RFC 6895 section 3.1) and keys the cache's NXDOMAIN entries: its
      // NODATA, legitimate as an answer, is not kept
      cache.storeNoData(chain.end(), question.type(), question.dclass(), soa.get(), rest, status);
    }
  }

  /** The answer rebuilt from cached, validated entries (stale ones too when asked), or null. */
  private Resolution fromCache(Question question, boolean allowStale) {
    CachedChains.Rebuilt rebuilt = chains.rebuild(question, allowStale);
    if (rebuilt == null || !rebuilt.complete()) {
      return null;
    }
    if (rebuilt.prefetch()) {
      prefetch(question);
    }
    return rebuilt.resolution();
  }

  /** RFC 8767-era prefetch as Unbound does it: refresh in the background, the client is answered now. */
  private void prefetch(Question question) {
    Key key = new Key(question, false);
    CompletableFuture<Resolution> mine = new CompletableFuture<>();
    if (inFlight.putIfAbsent(key, mine) != null) {
      return;
    }
    try {
      background.execute(() -> {
        try {
          Resolution result = inner.resolve(question, false);
          store(question, result);
          mine.complete(result);
        } catch (RuntimeException e) {
          mine.completeExceptionally(e);
        } finally {
          inFlight.remove(key, mine);
        }
      });
      prefetches.increment();
    } catch (RuntimeException e) {
      inFlight.remove(key, mine);
      mine.complete(Resolution.servfail(ExtendedErrorCodeOption.OTHER, "prefetch not started"));
    }
  }

  public long hits() {
    return hits.sum();
  }

  /** Negative answers made from validated NSEC records (RFC 8198). */
  public long synthesised() {
    return synthesised.sum();
  }

  public long misses() {
    return misses.sum();
  }

  public long staleAnswers() {
    return stale.sum();
  }

  public long prefetches() {
    return prefetches.sum();
  }
}
