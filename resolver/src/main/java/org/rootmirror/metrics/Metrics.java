package org.rootmirror.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntToLongFunction;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.rootmirror.dnssec.rollover.KeyState;
import org.rootmirror.dnssec.rollover.ManagedKeys;
import org.rootmirror.resolver.ResolverStack;
import org.rootmirror.resolver.cache.CachingResolver;
import org.rootmirror.resolver.iterate.IteratorCounters;
import org.rootmirror.resolver.net.ResolverCounters;
import org.rootmirror.resolver.net.ResolverService;
import org.rootmirror.sync.accept.AnchorTracking;
import org.rootmirror.sync.accept.SyncStatus;
import org.rootmirror.sync.accept.ZoneSync;
import org.rootmirror.sync.changes.ChangeCounters;
import org.rootmirror.sync.server.MirrorService;
import org.rootmirror.sync.server.net.NetCounters;
import org.rootmirror.sync.server.query.ResponseCounters;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.xbill.DNS.Rcode;

/**
 * The service's metrics as a Prometheus registry. Nothing is counted here: every value is read
 * at scrape time from the counter the component keeps where the event happens, so nothing is
 * counted twice and the query path pays only its own LongAdder increment. Ages come from the
 * injected time source. Only the components given to the {@link Builder} are exposed.
 */
public final class Metrics {
  /** Prometheus text exposition format 0.0.4. */
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  /**
   * RCODEs always exposed, even at 0, so that rates work from the first scrape; others appear
   * once seen (RFC 1035 section 4.1.1, RFC 2136 section 2.2).
   */
  private static final List<Integer> COMMON_RCODES =
      List.of(Rcode.NOERROR, Rcode.FORMERR, Rcode.SERVFAIL, Rcode.NXDOMAIN, Rcode.NOTIMP, Rcode.REFUSED);

  private final PrometheusRegistry registry;

  private Metrics(PrometheusRegistry registry) {
    this.registry = registry;
  }

  public static Builder builder(InstantSource time) {
    return new Builder(time);
  }

  /** The registry to serve. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** The current values in the text exposition format, as a scrape of the endpoint gives them. */
  public String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory", e);
    }
    return wholeNumbers(out.toString(StandardCharsets.UTF_8));
  }

  /** 2^53: every whole number up to it is exact in a double. */
  private static final BigDecimal EXACT = BigDecimal.valueOf(1L << 53);

  /**
   * The exposition with whole-number sample values written as integers (the zone serial as
   * 2026120701, not 2.026120701E9; a count as 3, not 3.0): the client library writes every value
   * with {@code Double.toString}. Comments, fractions and values beyond 2^53 stay as written.
   */
  static String wholeNumbers(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (String line : text.split("\n", -1)) {
      int space = line.lastIndexOf(' ');
      if (!line.startsWith("#") && space > 0) {
        String value = line.substring(space + 1);
        try {
          BigDecimal exact = new BigDecimal(value);
          if (exact.signum() == 0 || exact.stripTrailingZeros().scale() <= 0 && exact.abs().compareTo(EXACT) <= 0) {
            line = line.substring(0, space + 1) + exact.toBigInteger();
          }
        } catch (NumberFormatException e) {
          // NaN, +Inf and the like: left as written
        }
      }
      out.append(line).append('\n');
    }
    out.setLength(out.length() - 1); // the split gave one piece more than there were newlines
    return out.toString();
  }

  /** Chooses the components to expose, then registers their metrics in one registry. */
  public static final class Builder {
    private final InstantSource time;
    private PublishedZone published;
    private ZoneSync sync;
    private MirrorService mirror;
    private ResolverService resolverService;
    private ResolverStack resolverStack;

    private Builder(InstantSource time) {
      this.time = Objects.requireNonNull(time);
    }

    /** {@code rootmirror_zone_*}: the zone being served. */
    public Builder zone(PublishedZone zone) {
      this.published = zone;
      return this;
    }

    /** {@code rootmirror_sync_*}: results per source and the last sync times. */
    public Builder sync(ZoneSync zoneSync) {
      this.sync = zoneSync;
      return this;
    }

    /** {@code rootmirror_mirror_*} and the mirror's {@code rootmirror_net_*}. */
    public Builder mirror(MirrorService service) {
      this.mirror = service;
      return this;
    }

    /** {@code rootmirror_resolver_*} and the resolver's {@code rootmirror_net_*}. */
    public Builder resolver(ResolverService service, ResolverStack stack) {
      this.resolverService = Objects.requireNonNull(service);
      this.resolverStack = Objects.requireNonNull(stack);
      return this;
    }

    public Metrics build() {
      PrometheusRegistry registry = new PrometheusRegistry();
      if (published != null) {
        registerZone(registry, published, time);
      }
      if (sync != null) {
        registerSync(registry, sync);
        registerAnchors(registry, sync.anchors(), time);
      }
      if (mirror != null) {
        ResponseCounters responses = mirror.responses();
        responses(registry, "rootmirror_mirror_responses_total", "Responses the mirror sent to queries, by RCODE (zone transfers not included)",
            responses::responses, ResponseCounters.RCODES);
        counter(registry, "rootmirror_mirror_failures_total", "Queries the mirror answered SERVFAIL because answering failed (bugs)",
            responses::failures);
        mirror.rateLimiter().ifPresent(limiter -> CounterWithCallback.builder()
            .name("rootmirror_mirror_rate_limited_total")
            .help("UDP responses held back by response rate limiting: dropped, or slipped (sent truncated)")
            .labelNames("action")
            .callback(cb -> {
              cb.call(limiter.dropped(), "dropped");
              cb.call(limiter.slipped(), "slipped");
            })
            .register(registry));
      }
      if (resolverService != null) {
        registerResolver(registry, resolverService.counters(), resolverStack);
      }
      List<Map.Entry<String, NetCounters>> net = new ArrayList<>();
      if (mirror != null) {
        net.add(Map.entry("mirror", mirror.counters()));
      }
      if (resolverService != null) {
        net.add(Map.entry("resolver", resolverService.netCounters()));
      }
      if (!net.isEmpty()) {
        registerNet(registry, net);
      }
      return new Metrics(registry);
    }
  }

  private static void registerZone(PrometheusRegistry registry, PublishedZone published, InstantSource time) {
    gauge(registry, "rootmirror_zone_serving", "1 while a validated root zone is published and served, 0 before the first and after expiry",
        cb -> cb.call(published.current().isPresent() ? 1 : 0));
    // the rest describe the published zone, and are absent while there is none
    gauge(registry, "rootmirror_zone_serial", "SOA serial of the root zone being served",
        cb -> published.current().ifPresent(z -> cb.call(z.serial())));
    gauge(registry, "rootmirror_zone_age_seconds", "Seconds since the zone being served was fetched and validated",
        cb -> published.current().ifPresent(z -> cb.call(seconds(z.metadata().fetchedAt(), time.instant()))));
    gauge(registry, "rootmirror_zone_signature_expiry_seconds",
        "Seconds until the earliest RRSIG expiration among the signatures that verified; the zone stops being served then",
        cb -> published.current().map(Metrics::earliestExpiry).ifPresent(e -> cb.call(seconds(time.instant(), e))));
  }

  /** The expiry found when the snapshot was validated (a stored zone is validated again at load). */
  private static Instant earliestExpiry(ZoneSnapshot z) {
    return z.report().earliestExpiry() != null ? z.report().earliestExpiry() : z.metadata().earliestExpiry();
  }

  private static void registerSync(PrometheusRegistry registry, ZoneSync sync) {
    CounterWithCallback.builder()
        .name("rootmirror_sync_total")
        .help("Sources tried by syncs, by source URI and result: updated, unchanged, or failed_ and the kind of failure")
        .labelNames("source", "result")
        .callback(cb -> {
          for (Map.Entry<URI, Map<String, Long>> source : sync.counters().snapshot().entrySet()) {
            source.getValue().forEach((result, n) -> cb.call(n, source.getKey().toString(), result));
          }
        })
        .register(registry);
    ChangeCounters changes = sync.changeCounters();
    changeCounter(registry, "rootmirror_sync_tld_changes_total",
        "TLDs (delegations) added to and removed from the root zone by the versions published since start, by change",
        changes::tldsAdded, changes::tldsRemoved);
    changeCounter(registry, "rootmirror_sync_ds_changes_total",
        "DS records added to and removed from the root zone by the versions published since start (new and removed TLDs' included), by change",
        changes::dsAdded, changes::dsRemoved);
    gauge(registry, "rootmirror_sync_last_run_timestamp_seconds", "When the last sync finished, whatever its result (Unix time)",
        cb -> {
          SyncStatus s = sync.status();
          if (s.last() != null) {
            cb.call(unixSeconds(s.last().finishedAt()));
          }
        });
    gauge(registry, "rootmirror_sync_last_success_timestamp_seconds",
        "When a source last delivered a valid zone or confirmed the one held (Unix time)",
        cb -> {
          Instant success = sync.status().lastSuccess();
          if (success != null) {
            cb.call(unixSeconds(success));
          }
        });
  }

  /** {@code rootmirror_trust_anchor_*}: the root keys by RFC 5011 state, and when time alone changes one. */
  private static void registerAnchors(PrometheusRegistry registry, AnchorTracking anchors, InstantSource time) {
    gauge(registry, "rootmirror_trust_anchor_keys",
        "Root keys by RFC 5011 state (AddPend, Valid, Missing, Revoked, Removed; Seed before the first zone is accepted)", "state",
        cb -> {
          ManagedKeys keys = anchors.keys();
          if (!keys.started()) {
            cb.call(keys.trusted().all().size(), "Seed");
            return;
          }
          for (KeyState state : KeyState.values()) {
            cb.call(keys.keys().stream().filter(k -> k.state() == state).count(), state.label());
          }
        });
    gauge(registry, "rootmirror_trust_anchor_next_change_seconds",
        "Seconds until a hold-down or keep-missing time ends and a root key changes state by itself; absent when none will",
        cb -> anchors.keys().nextChange().ifPresent(due -> cb.call(seconds(time.instant(), due))));
  }

  private static void changeCounter(PrometheusRegistry registry, String name, String help, LongSupplier added, LongSupplier removed) {
    CounterWithCallback.builder().name(name).help(help).labelNames("change")
        .callback(cb -> {
          cb.call(added.getAsLong(), "added");
          cb.call(removed.getAsLong(), "removed");
        })
        .register(registry);
  }

  private static void registerResolver(PrometheusRegistry registry, ResolverCounters front, ResolverStack stack) {
    responses(registry, "rootmirror_resolver_responses_total", "Responses the resolver sent to clients, by RCODE",
        front::responses, ResolverCounters.RCODES);
    CachingResolver cache = stack.cache();
    IteratorCounters iterator = stack.iterator().counters();
    counter(registry, "rootmirror_resolver_cache_hits_total", "Client questions answered at once from the cache", front::cacheHits);
    counter(registry, "rootmirror_resolver_cache_misses_total", "Client questions the cache could not answer", front::cacheMisses);
    counter(registry, "rootmirror_resolver_failures_total", "Client questions answered SERVFAIL because answering failed (bugs)",
        front::resolutionFailures);
    counter(registry, "rootmirror_resolver_aggressive_nsec_answers_total",
        "NXDOMAIN answers made from cached NSEC records of the root (RFC 8198)", cache::synthesised);
    counter(registry, "rootmirror_resolver_stale_answers_total",
        "Expired answers served because the authorities did not answer (RFC 8767)", cache::staleAnswers);
    counter(registry, "rootmirror_resolver_prefetches_total", "Answers refreshed before they expired", cache::prefetches);
    counter(registry, "rootmirror_resolver_overloaded_total", "Client questions turned away: too many resolutions in flight",
        front::overloaded);
    counter(registry, "rootmirror_resolver_root_queries_avoided_total",
        "Root questions answered from the local root copy: packets not sent to the public root servers (RFC 8806)",
        iterator::localRootAnswers);
    counter(registry, "rootmirror_resolver_upstream_queries_total", "Queries sent to authoritative servers", iterator::queriesSent);
    counter(registry, "rootmirror_resolver_upstream_timeouts_total", "Queries to authoritative servers that timed out", iterator::timeouts);
    counter(registry, "rootmirror_resolver_upstream_lost_replies_total",
        "Replies lost while their server answered other queries (response rate limiting): asked again over TCP", iterator::lostReplies);
    counter(registry, "rootmirror_resolver_upstream_lame_replies_total", "Lame or unusable replies from authoritative servers",
        iterator::lameReplies);
    counter(registry, "rootmirror_resolver_priming_failures_total", "Priming attempts of the public root servers that failed (RFC 8109)",
        iterator::primingFailures);
    counter(registry, "rootmirror_resolver_priming_held_back_total", "Questions answered SERVFAIL without a packet while priming backed off",
        iterator::heldBackByPriming);
    gauge(registry, "rootmirror_resolver_cache_entries", "Entries in the cache: answers, delegations and glue",
        cb -> cb.call(stack.cacheEntries()));
    gauge(registry, "rootmirror_resolver_cache_bytes", "Estimated bytes the cache takes, at most its cache-size",
        cb -> cb.call(stack.cacheBytes()));
  }

  private static void registerNet(PrometheusRegistry registry, List<Map.Entry<String, NetCounters>> services) {
    netCounter(registry, services, "rootmirror_net_udp_received_total", "UDP packets read", NetCounters::udpReceived);
    netCounter(registry, services, "rootmirror_net_udp_sent_total", "UDP responses sent", NetCounters::udpSent);
    netCounter(registry, services, "rootmirror_net_udp_dropped_total", "UDP responses that could not be sent", NetCounters::udpDropped);
    netCounter(registry, services, "rootmirror_net_tcp_accepted_total", "TCP connections accepted", NetCounters::tcpAccepted);
    netCounter(registry, services, "rootmirror_net_tcp_refused_total", "TCP connections closed at once: client limit reached, all busy",
        NetCounters::tcpRefused);
    netCounter(registry, services, "rootmirror_net_tcp_evicted_total", "Idle TCP connections closed to make room for a new one",
        NetCounters::tcpEvicted);
    netCounter(registry, services, "rootmirror_net_tcp_timeouts_total", "TCP connections closed for idleness or a stalled client",
        NetCounters::tcpTimedOut);
    netCounter(registry, services, "rootmirror_net_tcp_queries_total", "DNS messages read over TCP", NetCounters::tcpQueries);
    netCounter(registry, services, "rootmirror_net_tcp_responses_total", "DNS messages written over TCP", NetCounters::tcpResponses);
    netCounter(registry, services, "rootmirror_net_handler_failures_total", "Queries whose handler failed (bugs)",
        NetCounters::handlerFailures);
    gauge(registry, "rootmirror_net_tcp_open_connections", "TCP connections open now", "service",
        cb -> services.forEach(s -> cb.call(s.getValue().tcpOpen(), s.getKey())));
  }

  private static void responses(PrometheusRegistry registry, String name, String help, IntToLongFunction byRcode, int slots) {
    CounterWithCallback.builder().name(name).help(help).labelNames("rcode")
        .callback(cb -> {
          for (int rcode = 0; rcode < slots; rcode++) {
            long n = byRcode.applyAsLong(rcode);
            if (n > 0 || COMMON_RCODES.contains(rcode)) {
              cb.call(n, Rcode.string(rcode));
            }
          }
        })
        .register(registry);
  }

  private static void netCounter(PrometheusRegistry registry, List<Map.Entry<String, NetCounters>> services, String name, String help,
      ToLongFunction<NetCounters> value) {
    CounterWithCallback.builder().name(name).help(help).labelNames("service")
        .callback(cb -> services.forEach(s -> cb.call(value.applyAsLong(s.getValue()), s.getKey())))
        .register(registry);
  }

  private static void counter(PrometheusRegistry registry, String name, String help, LongSupplier value) {
    CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsLong())).register(registry);
  }

  private static void gauge(PrometheusRegistry registry, String name, String help, Consumer<GaugeWithCallback.Callback> callback) {
    GaugeWithCallback.builder().name(name).help(help).callback(callback).register(registry);
  }

  private static void gauge(PrometheusRegistry registry, String name, String help, String label,
      Consumer<GaugeWithCallback.Callback> callback) {
    GaugeWithCallback.builder().name(name).help(help).labelNames(label).callback(callback).register(registry);
  }

  /** Fractional seconds from {@code from} to {@code to}, negative when {@code to} is earlier. */
  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }

  private static double unixSeconds(Instant t) {
    return t.toEpochMilli() / 1000.0;
  }
}
