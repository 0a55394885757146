package org.rootmirror.cli.config;

/**
 * The built-in defaults that have a single value, as text, for {@link ConfigKey} and for the
 * help of the command-line options (annotation values must be constants).
 */
public final class Defaults {
  public static final String CONFIG_FILE = "/etc/rootmirror/rootmirror.conf";
  public static final String STATE_DIR = "/var/lib/rootmirror";
  public static final String RUNTIME_DIR = "/run/rootmirror";
  public static final String REQUIRE_AGREEMENT = "1";
  /** RFC 8806 section 3: the mirror on loopback; the resolver holds 127.0.0.1 and ::1. */
  public static final String MIRROR_LISTEN = "127.12.12.12:53";
  public static final String RESOLVER_LISTEN_V4 = "127.0.0.1:53";
  public static final String RESOLVER_LISTEN_V6 = "[::1]:53";
  /** The port Prometheus' exporter list gives DNS servers (CoreDNS also uses 9153). */
  public static final String METRICS_LISTEN = "127.0.0.1:9153";
  public static final String UDP_THREADS = "auto";
  /** ServerNetOptions.defaults(): a busy host's clients, as Knot and NSD size theirs. */
  public static final String TCP_CLIENTS = "1000";
  public static final String TCP_CLIENTS_PER_ADDRESS = "10";
  /** Seconds, as Knot's tcp-idle-timeout. */
  public static final String TCP_IDLE_TIMEOUT = "10";
  /** Seconds from the first octet of a message to its last. */
  public static final String TCP_MESSAGE_TIMEOUT = "3";
  /** RateLimitOptions.defaults(): NSD's rrl-ratelimit, BIND's slip and window. */
  public static final String RATE_LIMIT = "200";
  public static final String RATE_LIMIT_SLIP = "2";
  public static final String RATE_LIMIT_WINDOW = "15";
  /** {@code rate-limit = off}: no response rate limiting. */
  public static final String OFF = "off";
  public static final String UPSTREAM_PORT = "53";
  /** {@code [sync] anchors = none}: no root trust anchor at all. */
  public static final String NO_ANCHORS = "none";
  public static final String QNAME_MINIMISATION = "relaxed";
  public static final String CACHE_MIN_TTL = "0";
  /** One day, as Unbound. */
  public static final String CACHE_MAX_TTL = "86400";
  /** The JVM's heap is {@link Settings#heapFor} of it (bin/jvm-launch); docs/BENCHMARKS.md shows a flood held under it. */
  public static final String MAX_MEMORY = "512m";
  /** The least max-memory: a heap of 208 MB, room for the default cache, the root zone twice, some resolutions. */
  public static final long MIN_MAX_MEMORY = 384L << 20;
  /** What the JVM keeps for itself besides an eighth of max-memory: compiled code, classes, threads, the collector's tables. */
  public static final long JVM_OWN = 128L << 20;
  /** The cache's default bound, {@code CacheConfig.DEFAULT_BYTES}. */
  public static final String CACHE_SIZE = "64m";
  public static final long MIN_CACHE_SIZE = 1L << 20;

  private Defaults() {}
}
