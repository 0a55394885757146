package org.rootmirror.cli;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rootmirror.cli.config.ConfigKey;
import org.rootmirror.cli.config.Defaults;
import org.rootmirror.cli.config.Settings;
import org.rootmirror.dnssec.anchor.TrustAnchor;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.resolver.ResolverStack;
import org.rootmirror.resolver.cache.CacheConfig;
import org.rootmirror.resolver.iterate.ForwardZone;
import org.rootmirror.resolver.iterate.QnameMinimisation;
import org.rootmirror.resolver.iterate.RootHints;
import org.rootmirror.resolver.net.ResolverService;
import org.rootmirror.resolver.validate.ValidationConfig;
import org.rootmirror.sync.server.xfr.AddressAcl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import picocli.CommandLine.Option;

/**
 * The options of the recursive resolver: where clients reach it, who may, and where the root is
 * when the local copy is not valid. Null means not given: the values and their defaults are
 * {@link Settings}' ({@code [resolver]}).
 */
final class ResolverOptions {
  private static final Logger log = LoggerFactory.getLogger(ResolverOptions.class);

  @Option(names = "--listen", paramLabel = "ADDR:PORT",
      description = "Address and port the resolver serves clients on, repeatable, one port for all (default: "
          + Defaults.RESOLVER_LISTEN_V4 + " and " + Defaults.RESOLVER_LISTEN_V6 + ").")
  List<String> listen;

  @Option(names = "--allow", paramLabel = "CIDR",
      description = "Also answer clients from this prefix, repeatable (loopback is always allowed; others get REFUSED).")
  List<String> allow;

  @Option(names = "--root-server", paramLabel = "ADDR[:PORT]",
      description = "When the local copy is missing or expired, ask this root mirror (another rootmirror or any RFC 8806 server) "
          + "before the public root servers, repeatable.")
  List<String> rootServers;

  @Option(names = "--hints", paramLabel = "FILE", description = "Root hints in named.root format (default: IANA's, built in).")
  String hints;

  @Option(names = "--trust-anchor", paramLabel = "RR",
      description = "A DS or DNSKEY record in zone-file form, any zone, repeatable (quote it): validation also starts from it; "
          + "with --anchors none, only from these.")
  List<String> trustAnchors;

  @Option(names = "--domain-insecure", paramLabel = "NAME",
      description = "Do not validate data at or below NAME (a negative trust anchor, RFC 7646), repeatable.")
  List<String> domainInsecure;

  @Option(names = "--qname-minimisation", paramLabel = "relaxed|strict|off",
      description = "Send each server only the labels it needs (RFC 9156); strict never falls back to the full name (default: "
          + Defaults.QNAME_MINIMISATION + ").")
  String qnameMinimisation;

  @Option(names = "--cache-min-ttl", paramLabel = "SECONDS",
      description = "Keep cached records at least this long (default: " + Defaults.CACHE_MIN_TTL + ").")
  String cacheMinTtl;

  @Option(names = "--cache-max-ttl", paramLabel = "SECONDS",
      description = "Keep cached records at most this long (default: " + Defaults.CACHE_MAX_TTL + ").")
  String cacheMaxTtl;

  @Option(names = "--cache-size", paramLabel = "SIZE",
      description = "The most memory the cache takes, e.g. 64m or 1g; at most a third of the heap --max-memory gives (default: "
          + Defaults.CACHE_SIZE + ").")
  String cacheSize;

  @Option(names = "--forward-zone", paramLabel = "'NAME ADDR[:PORT]...'",
      description = "Send questions at or below NAME to these servers (with RD) instead of iterating; answers are still validated. "
          + "Repeatable, one per zone; . for all.")
  List<String> forwardZones;

  @Option(names = "--do-not-query-localhost", negatable = true,
      description = "Never query 127.0.0.0/8 or ::1 upstream unless --root-server, --hints or --forward-zone names the address (default: yes).")
  Boolean doNotQueryLocalhost;

  @Option(names = "--harden-glue", negatable = true, description = "Do not trust glue outside the referral's zone (default: yes).")
  Boolean hardenGlue;

  @Option(names = "--upstream-port", paramLabel = "PORT", hidden = true,
      description = "The port authoritative servers are asked on (for test networks).")
  String upstreamPort;

  /** Adds the options given to {@code given}, by the key they override. */
  void given(Map<ConfigKey, List<String>> given) {
    Given.put(given, ConfigKey.RESOLVER_LISTEN, listen);
    Given.put(given, ConfigKey.ALLOW, allow);
    Given.put(given, ConfigKey.ROOT_SERVER, rootServers);
    Given.put(given, ConfigKey.HINTS, hints);
    Given.put(given, ConfigKey.TRUST_ANCHOR, trustAnchors);
    Given.put(given, ConfigKey.DOMAIN_INSECURE, domainInsecure);
    Given.put(given, ConfigKey.QNAME_MINIMISATION, qnameMinimisation);
    Given.put(given, ConfigKey.CACHE_MIN_TTL, cacheMinTtl);
    Given.put(given, ConfigKey.CACHE_MAX_TTL, cacheMaxTtl);
    Given.put(given, ConfigKey.CACHE_SIZE, cacheSize);
    Given.put(given, ConfigKey.FORWARD_ZONE, forwardZones);
    Given.put(given, ConfigKey.DO_NOT_QUERY_LOCALHOST, doNotQueryLocalhost);
    Given.put(given, ConfigKey.HARDEN_GLUE, hardenGlue);
    Given.put(given, ConfigKey.UPSTREAM_PORT, upstreamPort);
  }

  /** @param memory how the heap is shared: the resolutions in flight come from it */
  static ResolverService.Options service(Settings settings, MemoryBudget memory) {
    ResolverService.Options defaults = ResolverService.Options.defaults().withMaxInFlight(memory.resolutionsInFlight());
    List<String> prefixes = new ArrayList<>(List.of("127.0.0.0/8", "::1/128"));
    prefixes.addAll(settings.allow());
    List<InetSocketAddress> listen = listenable(settings.resolverListen(),
        "default".equals(settings.origin(ConfigKey.RESOLVER_LISTEN)), ipv6LoopbackUsable());
    return defaults.withNet(ServeOptions.withTcpLimits(settings, ServeOptions.listeningOn(listen, defaults.net(), "--listen")))
        .withClients(AddressAcl.parse(prefixes));
  }

  /**
   * The addresses to listen on. A host with IPv6 turned off has no ::1: the default list then
   * leaves IPv6 out rather than failing to start; an address the operator asked for must still
   * bind, or the start fails naming it.
   */
  static List<InetSocketAddress> listenable(List<InetSocketAddress> listen, boolean byDefault, boolean ipv6Loopback) {
    if (!byDefault || ipv6Loopback) {
      return listen;
    }
    log.warn("IPv6 loopback (::1) is not available: the resolver listens on IPv4 only");
    return listen.stream().filter(a -> !(a.getAddress() instanceof Inet6Address)).toList();
  }

  private static boolean ipv6LoopbackUsable() {
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The resolver's trust anchors: the root's ({@code [sync] anchors}, or the built-in ones) and
   * the {@code trust-anchor} lines; only the lines when {@code anchors = none} (none at all when
   * there are none: nothing is validated).
   *
   * @throws IOException when the anchors file cannot be read
   */
  static TrustAnchors resolverAnchors(Settings settings) throws IOException {
    List<TrustAnchor> all = new ArrayList<>();
    if (!settings.rootAnchorsNone()) {
      all.addAll(SyncOptions.trustAnchors(settings).all());
    }
    for (String line : settings.trustAnchorLines()) {
      all.addAll(TrustAnchors.parseZoneFormat(line, "trust-anchor").all()); // checked by Settings
    }
    return TrustAnchors.of(all);
  }

  /** @throws IOException when the hints file cannot be read */
  static ResolverStack.Options stack(Settings settings) throws IOException {
    ResolverStack.Options options = ResolverStack.Options.defaults().withUpstreamPort(settings.upstreamPort());
    if (settings.hints().isPresent()) {
      options = options.withHints(RootHints.read(settings.hints().get()));
    }
    CacheConfig cache = options.cache();
    return options.withMirrors(settings.rootServers())
        .withCache(cache.withSize(settings.cacheSize()).withTtlBounds(settings.cacheMinTtl(), settings.cacheMaxTtl(), cache.maxNegativeTtl()))
        .withQnameMinimisation(QnameMinimisation.valueOf(settings.qnameMinimisation().toUpperCase(Locale.ROOT)))
        .withForwardZones(settings.forwardZones().stream().map(f -> new ForwardZone(f.zone(), f.servers())).toList())
        // the root servers, hints and forwarders named here are asked even on loopback
        .withDoNotQueryLocalhost(settings.doNotQueryLocalhost())
        .withHardenGlue(settings.hardenGlue());
  }

  /** The resolver's trust anchors and negative trust anchors (domain-insecure). */
  static ValidationConfig validation(Settings settings) throws IOException {
    return new ValidationConfig(resolverAnchors(settings), settings.domainInsecure());
  }

  /**
   * The validation of {@code settings} with {@code root} for the root's anchors: those the sync
   * tracks (RFC 5011), which follow the root's key rollovers as the configured ones do not.
   */
  static ValidationConfig validation(Settings settings, TrustAnchors root) throws IOException {
    List<TrustAnchor> all = new ArrayList<>(root.all());
    resolverAnchors(settings).all().stream().filter(a -> !a.zone().equals(Name.root)).forEach(all::add);
    return new ValidationConfig(TrustAnchors.of(all), settings.domainInsecure());
  }

}
