package org.rootmirror.cli.config;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.rootmirror.sync.source.DefaultSources;

/**
 * Every key of the configuration file: its section, whether it may repeat (a list), its built-in
 * default, and the option of {@code rootmirror run} that overrides it. A key has its option's name
 * ({@code state-dir} and {@code --state-dir}) except where {@code run} needs two: {@code [mirror]
 * listen} is {@code --mirror-listen}, {@code [metrics] listen} is {@code --metrics}.
 */
public enum ConfigKey {
  STATE_DIR("sync", "state-dir", "--state-dir", false, Defaults.STATE_DIR),
  RUNTIME_DIR("sync", "runtime-dir", "--runtime-dir", false, Defaults.RUNTIME_DIR),
  /** An empty list of defaults would mean "none"; the sources default to the built-in list. */
  SOURCE("sync", "source", "--source", true, DefaultSources.URIS.stream().map(URI::toString).toArray(String[]::new)),
  /** A file; none by default (the built-in root anchors); {@code none}: no root anchor at all. */
  ANCHORS("sync", "anchors", "--anchors", false),
  REQUIRE_ZONEMD("sync", "require-zonemd", "--[no-]require-zonemd", false, "no"),
  REQUIRE_AGREEMENT("sync", "require-agreement", "--require-agreement", false, Defaults.REQUIRE_AGREEMENT),

  MIRROR_LISTEN("mirror", "listen", "--mirror-listen", true, Defaults.MIRROR_LISTEN),
  ALLOW_TRANSFER("mirror", "allow-transfer", "--allow-transfer", true),
  NOTIFY("mirror", "notify", "--notify", true),
  PRIMARY("mirror", "primary", "--primary", true),
  CHAOS("mirror", "chaos", "--[no-]chaos", false, "yes"),
  UDP_THREADS("mirror", "udp-threads", "--udp-threads", false, Defaults.UDP_THREADS),
  /** Responses a second per client prefix and kind, or off (BIND: responses-per-second; NSD: rrl-ratelimit). */
  RATE_LIMIT("mirror", "rate-limit", "--rate-limit", false, Defaults.RATE_LIMIT),
  RATE_LIMIT_SLIP("mirror", "rate-limit-slip", "--rate-limit-slip", false, Defaults.RATE_LIMIT_SLIP),
  RATE_LIMIT_WINDOW("mirror", "rate-limit-window", "--rate-limit-window", false, Defaults.RATE_LIMIT_WINDOW),

  RESOLVER_LISTEN("resolver", "listen", "--listen", true, Defaults.RESOLVER_LISTEN_V4, Defaults.RESOLVER_LISTEN_V6),
  ALLOW("resolver", "allow", "--allow", true),
  ROOT_SERVER("resolver", "root-server", "--root-server", true),
  HINTS("resolver", "hints", "--hints", false),
  /** One DS or DNSKEY record in zone-file form, any zone (Unbound: trust-anchor). */
  TRUST_ANCHOR("resolver", "trust-anchor", "--trust-anchor", true),
  /** A negative trust anchor, RFC 7646 (Unbound: domain-insecure). */
  DOMAIN_INSECURE("resolver", "domain-insecure", "--domain-insecure", true),
  /** relaxed, strict or off (Unbound: qname-minimisation and qname-minimisation-strict). */
  QNAME_MINIMISATION("resolver", "qname-minimisation", "--qname-minimisation", false, Defaults.QNAME_MINIMISATION),
  CACHE_MIN_TTL("resolver", "cache-min-ttl", "--cache-min-ttl", false, Defaults.CACHE_MIN_TTL),
  CACHE_MAX_TTL("resolver", "cache-max-ttl", "--cache-max-ttl", false, Defaults.CACHE_MAX_TTL),
  /** The cache's bound in bytes (Unbound: msg-cache-size and rrset-cache-size). */
  CACHE_SIZE("resolver", "cache-size", "--cache-size", false, Defaults.CACHE_SIZE),
  /** NAME ADDR[:PORT]...: questions at or below NAME go to these servers, with RD (Unbound: forward-zone). */
  FORWARD_ZONE("resolver", "forward-zone", "--forward-zone", true),
  DO_NOT_QUERY_LOCALHOST("resolver", "do-not-query-localhost", "--[no-]do-not-query-localhost", false, "yes"),
  HARDEN_GLUE("resolver", "harden-glue", "--[no-]harden-glue", false, "yes"),
  /** For test networks whose authoritative servers listen on another port; not documented. */
  UPSTREAM_PORT("resolver", "upstream-port", "--upstream-port", false, Defaults.UPSTREAM_PORT),

  /** The memory ceiling of the whole process; bin/jvm-launch reads it to size the JVM's heap. */
  MAX_MEMORY("server", "max-memory", "--max-memory", false, Defaults.MAX_MEMORY),
  /** Connections open at once to each server, the mirror and the resolver each (Knot: tcp-max-clients). */
  TCP_CLIENTS("server", "tcp-clients", "--tcp-clients", false, Defaults.TCP_CLIENTS),
  /** Of those, from one source address (Unbound: tcp-connection-limit). */
  TCP_CLIENTS_PER_ADDRESS("server", "tcp-clients-per-address", "--tcp-clients-per-address", false, Defaults.TCP_CLIENTS_PER_ADDRESS),
  /** Seconds a TCP connection may stay idle (Knot: tcp-idle-timeout). */
  TCP_IDLE_TIMEOUT("server", "tcp-idle-timeout", "--tcp-idle-timeout", false, Defaults.TCP_IDLE_TIMEOUT),
  /** Seconds a client has to send a whole message once it has begun. */
  TCP_MESSAGE_TIMEOUT("server", "tcp-message-timeout", "--tcp-message-timeout", false, Defaults.TCP_MESSAGE_TIMEOUT),

  METRICS_LISTEN("metrics", "listen", "--metrics", false, Defaults.METRICS_LISTEN);

  /** The sections, in the order the file documents them; {@code [server]} holds what the mirror and the resolver share. */
  public static final List<String> SECTIONS = List.of("sync", "mirror", "resolver", "server", "metrics");

  private final String section;
  private final String key;
  private final String option;
  private final boolean repeatable;
  private final List<String> defaults;

  ConfigKey(String section, String key, String option, boolean repeatable, String... defaults) {
    this.section = section;
    this.key = key;
    this.option = option;
    this.repeatable = repeatable;
    this.defaults = List.of(defaults);
  }

  public String section() {
    return section;
  }

  /** The name in the file, unique within its section. */
  public String key() {
    return key;
  }

  /** The option of {@code rootmirror run} that overrides this key; {@code --[no-]x} for yes/no keys. */
  public String option() {
    return option;
  }

  /** A list: the key may appear more than once, each line adding a value. */
  public boolean repeatable() {
    return repeatable;
  }

  /** Left out of the shipped file and of {@code config show} unless set. */
  public boolean hidden() {
    return this == UPSTREAM_PORT;
  }

  /** The built-in value as the file would write it; empty when there is none (built-in data, or nothing). */
  public List<String> defaults() {
    return defaults;
  }

  /** "[resolver] listen", for messages. */
  public String qualifiedName() {
    return "[" + section + "] " + key;
  }

  public static Optional<ConfigKey> find(String section, String key) {
    return Arrays.stream(values()).filter(k -> k.section.equals(section) && k.key.equals(key)).findFirst();
  }
}
