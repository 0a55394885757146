package org.rootmirror.cli.config;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import org.rootmirror.sync.server.limit.RateLimitOptions;
import org.rootmirror.sync.server.xfr.AddressAcl;
import org.rootmirror.sync.server.xfr.NotifySender;
import org.xbill.DNS.Name;

/**
 * The effective configuration of {@code rootmirror run}: the built-in defaults ({@link
 * ConfigKey#defaults()}), replaced key by key by the configuration file, replaced key by key by
 * the command line (a list given on the command line replaces the file's list). The one place
 * where values are checked and defaults apply; immutable.
 */
public final class Settings {
  private final Map<ConfigKey, List<String>> values;
  private final Map<ConfigKey, String> origins;

  private final Path stateDir;
  private final Path runtimeDir;
  private final List<URI> sources;
  private final Path anchors;
  private final boolean requireZonemd;
  private final int requireAgreement;
  private final List<InetSocketAddress> mirrorListen;
  private final AddressAcl allowTransfer;
  private final List<InetSocketAddress> notify;
  private final AddressAcl primaries;
  private final boolean chaos;
  private final Integer udpThreads;
  private final int tcpClients;
  private final int tcpClientsPerAddress;
  private final int tcpIdleTimeout;
  private final int tcpMessageTimeout;
  private final RateLimitOptions rateLimit;
  private final List<InetSocketAddress> resolverListen;
  private final List<String> allow;
  private final List<InetSocketAddress> rootServers;
  private final Path hints;
  private final boolean rootAnchorsNone;
  private final List<String> trustAnchorLines;
  private final Set<Name> domainInsecure;
  private final String qnameMinimisation;
  private final long cacheMinTtl;
  private final long cacheMaxTtl;
  private final long maxMemory;
  private final long cacheSize;
  private final List<ForwardZoneSetting> forwardZones;
  private final boolean doNotQueryLocalhost;
  private final boolean hardenGlue;
  private final int upstreamPort;
  private final InetSocketAddress metricsListen;

  /** A value and where it came from, for messages. */
  private record Value(String text, String file, int line, String option) {
    ConfigError error(ConfigKey key, String message) {
      return file == null ? new ConfigError(null, 0, option + ": " + message) : new ConfigError(file, line, key.qualifiedName() + ": " + message);
    }
  }

  /** Checks every value; collects every problem. */
  private static final class Checker {
    final Map<ConfigKey, List<Value>> given;
    final List<ConfigError> errors = new ArrayList<>();

    Checker(Map<ConfigKey, List<Value>> given) {
      this.given = given;
    }

    List<Value> values(ConfigKey key) {
      List<Value> v = given.get(key);
      return v != null ? v : key.defaults().stream().map(d -> new Value(d, null, 0, "the default of " + key.qualifiedName())).toList();
    }

    <T> List<T> all(ConfigKey key, Function<String, T> parser) {
      List<T> out = new ArrayList<>();
      for (Value v : values(key)) {
        try {
          out.add(parser.apply(v.text()));
        } catch (IllegalArgumentException e) {
          errors.add(v.error(key, e.getMessage()));
        }
      }
      return out;
    }

    /** The one value, or null when there is none or it is not valid. */
    <T> T one(ConfigKey key, Function<String, T> parser) {
      List<T> all = all(key, parser);
      return all.isEmpty() ? null : all.get(0);
    }

    /** The one value, or {@code fallback} (a default) when it is not valid: the error is already counted. */
    int oneOr(ConfigKey key, Function<String, Integer> parser, String fallback) {
      Integer value = one(key, parser);
      return value != null ? value : Integer.parseInt(fallback);
    }

    /** Addresses sharing one port, as the listeners want (ServerNetOptions has one port). */
    List<InetSocketAddress> listen(ConfigKey key) {
      List<InetSocketAddress> all = new ArrayList<>();
      for (Value v : values(key)) {
        try {
          InetSocketAddress a = Values.listenAddress(v.text());
          if (!all.isEmpty() && a.getPort() != all.get(0).getPort()) {
            errors.add(v.error(key, "all addresses share one port, not " + all.get(0).getPort() + " and " + a.getPort()));
          }
          all.add(a);
        } catch (IllegalArgumentException e) {
          errors.add(v.error(key, e.getMessage()));
        }
      }
      return all;
    }

    /** Whether {@code key} was given in the file or on the command line. */
    boolean given(ConfigKey key) {
      return given.containsKey(key);
    }

    void error(ConfigKey key, String message) {
      List<Value> v = values(key);
      errors.add(v.isEmpty() ? new ConfigError(null, 0, key.qualifiedName() + ": " + message) : v.get(0).error(key, message));
    }
  }

  /** Checks every value into {@code c.errors}; the settings are only used when there are none. */
  private Settings(Checker c) {
    stateDir = c.one(ConfigKey.STATE_DIR, Values::path);
    runtimeDir = c.one(ConfigKey.RUNTIME_DIR, Values::path);
    sources = c.all(ConfigKey.SOURCE, Values::source);
    // "none" is a word here, not a file: a file of that name is ./none
    rootAnchorsNone = c.values(ConfigKey.ANCHORS).stream().anyMatch(v -> v.text().equalsIgnoreCase(Defaults.NO_ANCHORS));
    anchors = c.one(ConfigKey.ANCHORS, v -> v.equalsIgnoreCase(Defaults.NO_ANCHORS) ? null : Values.existingFile(v));
    requireZonemd = Boolean.TRUE.equals(c.one(ConfigKey.REQUIRE_ZONEMD, Values::bool));
    Integer agreement = c.one(ConfigKey.REQUIRE_AGREEMENT, v -> Values.integer(v, 1, 100));
    requireAgreement = agreement == null ? 1 : agreement;
    if (agreement != null && agreement > c.values(ConfigKey.SOURCE).size()) {
      c.error(ConfigKey.REQUIRE_AGREEMENT, "needs " + agreement + " sources to agree but " + c.values(ConfigKey.SOURCE).size() + " are configured");
    }
    mirrorListen = c.listen(ConfigKey.MIRROR_LISTEN);
    allowTransfer = AddressAcl.parse(c.all(ConfigKey.ALLOW_TRANSFER, Values::prefix));
    notify = c.all(ConfigKey.NOTIFY, NotifySender::target);
    primaries = AddressAcl.parse(c.all(ConfigKey.PRIMARY, Values::prefix));
    chaos = !Boolean.FALSE.equals(c.one(ConfigKey.CHAOS, Values::bool));
    udpThreads = c.one(ConfigKey.UDP_THREADS, v -> v.equals(Defaults.UDP_THREADS) ? 0 : Values.integer(v, 1, 1024));
    tcpClients = c.oneOr(ConfigKey.TCP_CLIENTS, v -> Values.integer(v, 1, 1_000_000), Defaults.TCP_CLIENTS);
    tcpClientsPerAddress = c.oneOr(ConfigKey.TCP_CLIENTS_PER_ADDRESS, v -> Values.integer(v, 1, 1_000_000), Defaults.TCP_CLIENTS_PER_ADDRESS);
    tcpIdleTimeout = c.oneOr(ConfigKey.TCP_IDLE_TIMEOUT, v -> Values.integer(v, 1, 3600), Defaults.TCP_IDLE_TIMEOUT);
    tcpMessageTimeout = c.oneOr(ConfigKey.TCP_MESSAGE_TIMEOUT, v -> Values.integer(v, 1, 3600), Defaults.TCP_MESSAGE_TIMEOUT);
    rateLimit = new RateLimitOptions(
        c.oneOr(ConfigKey.RATE_LIMIT, v -> v.equals(Defaults.OFF) ? 0 : Values.integer(v, 0, RateLimitOptions.MAX_RESPONSES_PER_SECOND),
            Defaults.RATE_LIMIT),
        c.oneOr(ConfigKey.RATE_LIMIT_SLIP, v -> Values.integer(v, 0, RateLimitOptions.MAX_SLIP), Defaults.RATE_LIMIT_SLIP),
        Duration.ofSeconds(c.oneOr(ConfigKey.RATE_LIMIT_WINDOW, v -> Values.integer(v, 1, (int) RateLimitOptions.MAX_WINDOW.toSeconds()),
            Defaults.RATE_LIMIT_WINDOW)));
    resolverListen = c.listen(ConfigKey.RESOLVER_LISTEN);
    allow = c.all(ConfigKey.ALLOW, Values::prefix);
    rootServers = c.all(ConfigKey.ROOT_SERVER, Values::server);
    hints = c.one(ConfigKey.HINTS, Values::existingFile);
    trustAnchorLines = List.copyOf(c.all(ConfigKey.TRUST_ANCHOR, Values::trustAnchor));
    domainInsecure = Collections.unmodifiableSet(new LinkedHashSet<>(c.all(ConfigKey.DOMAIN_INSECURE, Values::domain)));
    String qmin = c.one(ConfigKey.QNAME_MINIMISATION, v -> Values.choice(v, "relaxed", "strict", "off"));
    qnameMinimisation = qmin == null ? Defaults.QNAME_MINIMISATION : qmin;
    Long minTtl = c.one(ConfigKey.CACHE_MIN_TTL, Values::seconds);
    Long maxTtl = c.one(ConfigKey.CACHE_MAX_TTL, Values::seconds);
    cacheMinTtl = minTtl == null ? 0 : minTtl;
    cacheMaxTtl = maxTtl == null ? Long.parseLong(Defaults.CACHE_MAX_TTL) : maxTtl;
    if (minTtl != null && maxTtl != null && minTtl > maxTtl) {
      // reported on the line the operator wrote; the minimum when both are written
      c.error(c.given(ConfigKey.CACHE_MIN_TTL) || !c.given(ConfigKey.CACHE_MAX_TTL) ? ConfigKey.CACHE_MIN_TTL : ConfigKey.CACHE_MAX_TTL,
          "the minimum TTL " + minTtl + " is above the maximum " + maxTtl + "; make cache-min-ttl at most cache-max-ttl");
    }
    Long memory = c.one(ConfigKey.MAX_MEMORY, v -> Values.size(v, Defaults.MIN_MAX_MEMORY, 1L << 40));
    Long cache = c.one(ConfigKey.CACHE_SIZE, v -> Values.size(v, Defaults.MIN_CACHE_SIZE, 1L << 40));
    maxMemory = memory == null ? Values.size(Defaults.MAX_MEMORY, 0, Long.MAX_VALUE) : memory;
    cacheSize = cache == null ? Values.size(Defaults.CACHE_SIZE, 0, Long.MAX_VALUE) : cache;
    if (memory != null && cache != null && cacheSize > heapFor(maxMemory) / 3) {
      // the cache may have a third of the heap, the resolutions in flight another (MemoryBudget)
      c.error(c.given(ConfigKey.CACHE_SIZE) ? ConfigKey.CACHE_SIZE : ConfigKey.MAX_MEMORY,
          "a cache of " + Values.sizeText(cacheSize) + " does not fit in max-memory " + Values.sizeText(maxMemory)
              + ", whose heap of " + Values.sizeText(roundDown(heapFor(maxMemory))) + " gives the cache a third at most; raise [server] max-memory to "
              + Values.sizeText(roundUp(Math.ceilDiv((3 * cacheSize + Defaults.JVM_OWN) * 8, 7))) + " or lower [resolver] cache-size to "
              + Values.sizeText(roundDown(heapFor(maxMemory) / 3)));
    }
    forwardZones = forwardZones(c);
    doNotQueryLocalhost = !Boolean.FALSE.equals(c.one(ConfigKey.DO_NOT_QUERY_LOCALHOST, Values::bool));
    hardenGlue = !Boolean.FALSE.equals(c.one(ConfigKey.HARDEN_GLUE, Values::bool));
    Integer port = c.one(ConfigKey.UPSTREAM_PORT, v -> Values.integer(v, 1, 0xffff));
    upstreamPort = port == null ? 53 : port;
    metricsListen = c.one(ConfigKey.METRICS_LISTEN, v -> v.equals("off") ? null : Values.listenAddress(v));
    Map<ConfigKey, List<String>> texts = new EnumMap<>(ConfigKey.class);
    Map<ConfigKey, String> from = new EnumMap<>(ConfigKey.class);
    for (ConfigKey key : ConfigKey.values()) {
      List<Value> v = c.values(key);
      texts.put(key, v.stream().map(Value::text).toList());
      from.put(key, !c.given.containsKey(key) ? "default" : v.get(0).file() != null ? v.get(0).file() + ":" + v.get(0).line() : v.get(0).option());
    }
    values = texts;
    origins = from;
  }

  /** Up to a whole megabyte, for a message an operator can copy. */
  private static long roundUp(long bytes) {
    long mb = 1L << 20;
    return (bytes + mb - 1) / mb * mb;
  }

  private static long roundDown(long bytes) {
    long mb = 1L << 20;
    return bytes / mb * mb;
  }

  /**
   * The heap bin/jvm-launch gives the JVM for {@code maxMemory}: all of it but an eighth and 128 MB,
   * which the JVM keeps for itself (compiled code, classes, threads, the collector's tables: about
   * 110 MB measured at a 192 MB heap, the collector's part growing with the heap).
   */
  public static long heapFor(long maxMemory) {
    return maxMemory - maxMemory / 8 - Defaults.JVM_OWN;
  }

  /** The forward zones, one line each: a zone given twice is an error on its second line. */
  private static List<ForwardZoneSetting> forwardZones(Checker c) {
    Map<Name, Value> first = new LinkedHashMap<>();
    List<ForwardZoneSetting> zones = new ArrayList<>();
    for (Value v : c.values(ConfigKey.FORWARD_ZONE)) {
      ForwardZoneSetting zone;
      try {
        zone = Values.forwardZone(v.text());
      } catch (IllegalArgumentException e) {
        c.errors.add(v.error(ConfigKey.FORWARD_ZONE, e.getMessage()));
        continue;
      }
      Value earlier = first.putIfAbsent(zone.zone(), v);
      if (earlier != null) {
        String where = earlier.file() != null ? "on line " + earlier.line() : "already";
        c.errors.add(v.error(ConfigKey.FORWARD_ZONE, zone.zone() + " is forwarded " + where
            + "; give all of a zone's servers on one line"));
        continue;
      }
      zones.add(zone);
    }
    return List.copyOf(zones);
  }

  /** Every key at its default. */
  public static Settings defaults() {
    try {
      return resolve(ConfigFile.none(), Map.of());
    } catch (ConfigException e) {
      throw new AssertionError("the built-in defaults are valid", e);
    }
  }

  /**
   * @param file the configuration file ({@link ConfigFile#none()} for none), whose syntax errors
   *     are reported with the value errors
   * @param commandLine the values given on the command line by key; a key absent or mapped to
   *     null or an empty list is not given
   * @throws ConfigException listing every error of the file and the command line
   */
  public static Settings resolve(ConfigFile file, Map<ConfigKey, List<String>> commandLine) throws ConfigException {
    Map<ConfigKey, List<Value>> given = new EnumMap<>(ConfigKey.class);
    for (ConfigFile.Entry e : file.entries()) {
      given.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(new Value(e.value(), file.name(), e.line(), null));
    }
    commandLine.forEach((key, list) -> {
      if (list != null && !list.isEmpty()) {
        given.put(key, list.stream().map(v -> new Value(v, null, 0, key.option())).toList());
      }
    });
    Checker checker = new Checker(given);
    Settings settings = new Settings(checker);
    List<ConfigError> errors = new ArrayList<>(file.errors());
    errors.addAll(checker.errors);
    if (!errors.isEmpty()) {
      // the file's errors by line, then the command line's
      errors.sort(Comparator.comparing((ConfigError e) -> e.file() == null).thenComparingInt(ConfigError::line));
      throw new ConfigException(errors);
    }
    return settings;
  }

  /** The effective values of {@code key} as text, as the file would write them (empty: none, or built-in data). */
  public List<String> text(ConfigKey key) {
    return values.get(key);
  }

  /** Where {@code key}'s value came from: "default", "FILE:LINE" or the option. */
  public String origin(ConfigKey key) {
    return origins.get(key);
  }

  public Path stateDir() {
    return stateDir;
  }

  public Path runtimeDir() {
    return runtimeDir;
  }

  /** The sources in order of preference; never empty. */
  public List<URI> sources() {
    return sources;
  }

  /**
   * {@code [sync] anchors = none}: no root trust anchor at all, so no local root copy (a zone
   * cannot be validated) and no validation but below {@link #trustAnchorLines()}.
   */
  public boolean rootAnchorsNone() {
    return rootAnchorsNone;
  }

  /** The trust anchor file; empty for the built-in root anchors, and for none ({@link #rootAnchorsNone()}). */
  public Optional<Path> anchors() {
    return Optional.ofNullable(anchors);
  }

  public boolean requireZonemd() {
    return requireZonemd;
  }

  public int requireAgreement() {
    return requireAgreement;
  }

  /** Where the mirror serves the root zone; all on one port. */
  public List<InetSocketAddress> mirrorListen() {
    return mirrorListen;
  }

  /** Prefixes that may transfer the zone besides loopback. */
  public AddressAcl allowTransfer() {
    return allowTransfer;
  }

  /** Secondaries told of each new serial. */
  public List<InetSocketAddress> notifyTargets() {
    return notify;
  }

  /** Prefixes whose NOTIFY starts a sync. */
  public AddressAcl primaries() {
    return primaries;
  }

  /** Answer CHAOS id.server, hostname.bind and version.bind. */
  public boolean chaos() {
    return chaos;
  }

  /** UDP receive threads of each listener; empty for one per core. */
  public OptionalInt udpThreads() {
    return udpThreads == null || udpThreads == 0 ? OptionalInt.empty() : OptionalInt.of(udpThreads);
  }

  /** TCP connections open at once to each server (the mirror's, the resolver's), over all its addresses. */
  public int tcpClients() {
    return tcpClients;
  }

  /** Of {@link #tcpClients()}, from one source address. */
  public int tcpClientsPerAddress() {
    return tcpClientsPerAddress;
  }

  /** Seconds a TCP connection may stay idle before the server closes it (RFC 7766 section 6.2.3). */
  public int tcpIdleTimeout() {
    return tcpIdleTimeout;
  }

  /** Seconds a client has to send a whole message over TCP once it has begun. */
  public int tcpMessageTimeout() {
    return tcpMessageTimeout;
  }

  /** Response rate limiting of the mirror's UDP answers to clients outside loopback, when it listens beyond loopback. */
  public RateLimitOptions rateLimit() {
    return rateLimit;
  }

  /** Where the resolver serves clients; all on one port. */
  public List<InetSocketAddress> resolverListen() {
    return resolverListen;
  }

  /** Client prefixes answered besides loopback. */
  public List<String> allow() {
    return allow;
  }

  /** Root mirrors asked when the local copy is not valid, before the public root servers. */
  public List<InetSocketAddress> rootServers() {
    return rootServers;
  }

  /** Root hints in named.root format; empty for IANA's, built in. */
  public Optional<Path> hints() {
    return Optional.ofNullable(hints);
  }

  /**
   * The resolver's own trust anchors besides the root's, one DS or DNSKEY record in zone-file
   * form per line, each checked by {@code TrustAnchors.parseZoneFormat}; in the order given.
   */
  public List<String> trustAnchorLines() {
    return trustAnchorLines;
  }

  /** Negative trust anchors (RFC 7646): data at or below these names is not validated. */
  public Set<Name> domainInsecure() {
    return domainInsecure;
  }

  /** "relaxed" (RFC 9156, falling back to the full name on errors), "strict" (never falling back) or "off". */
  public String qnameMinimisation() {
    return qnameMinimisation;
  }

  /** Cached records are kept at least this many seconds; at most {@link #cacheMaxTtl()}. */
  public long cacheMinTtl() {
    return cacheMinTtl;
  }

  /** Cached records are kept at most this many seconds. */
  public long cacheMaxTtl() {
    return cacheMaxTtl;
  }

  /**
   * The memory ceiling of the process in bytes: bin/jvm-launch gives {@link #heapFor} of it to the
   * JVM's heap before the JVM starts; the process only checks it and reports the plan.
   */
  public long maxMemory() {
    return maxMemory;
  }

  /** The cache's bound in bytes, at most a third of the heap {@link #maxMemory()} gives. */
  public long cacheSize() {
    return cacheSize;
  }

  /** Zones whose questions go to the given servers, with RD, instead of being iterated; one per zone, in the order given. */
  public List<ForwardZoneSetting> forwardZones() {
    return forwardZones;
  }

  /** Never query 127.0.0.0/8 or ::1 upstream unless root-server, hints or forward-zone names the address. */
  public boolean doNotQueryLocalhost() {
    return doNotQueryLocalhost;
  }

  /** Glue outside the zone of the referral that carries it is not trusted. */
  public boolean hardenGlue() {
    return hardenGlue;
  }

  /** The port authoritative servers are asked on (53 but in test networks). */
  public int upstreamPort() {
    return upstreamPort;
  }

  /** Where the Prometheus metrics endpoint listens; empty when it is off. */
  public Optional<InetSocketAddress> metricsListen() {
    return Optional.ofNullable(metricsListen);
  }
}
