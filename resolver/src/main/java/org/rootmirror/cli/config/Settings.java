package org.rootmirror.cli.config;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import org.rootmirror.sync.server.xfr.AddressAcl;
import org.rootmirror.sync.server.xfr.NotifySender;

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
  private final List<InetSocketAddress> resolverListen;
  private final List<String> allow;
  private final List<InetSocketAddress> rootServers;
  private final Path hints;
  private final int upstreamPort;
  private final InetSocketAddress metricsListen;

  /** A value and where it came from, for messages. */
  private record Value(String text, String file, int line, String option) {
    ConfigError error(ConfigKey key, String message) {
      return file == null ? new ConfigError(null, 0, option + ": " + message) : new ConfigError(file, line, key.key() + ": " + message);
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
    anchors = c.one(ConfigKey.ANCHORS, Values::existingFile);
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
    resolverListen = c.listen(ConfigKey.RESOLVER_LISTEN);
    allow = c.all(ConfigKey.ALLOW, Values::prefix);
    rootServers = c.all(ConfigKey.ROOT_SERVER, Values::server);
    hints = c.one(ConfigKey.HINTS, Values::existingFile);
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

  /** The trust anchor file; empty for the built-in root anchors. */
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

  /** The port authoritative servers are asked on (53 but in test networks). */
  public int upstreamPort() {
    return upstreamPort;
  }

  /** Where the Prometheus metrics endpoint listens; empty when it is off. */
  public Optional<InetSocketAddress> metricsListen() {
    return Optional.ofNullable(metricsListen);
  }
}
