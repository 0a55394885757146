package org.rootmirror.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rootmirror.cli.config.ConfigKey;
import org.rootmirror.cli.config.Defaults;
import org.rootmirror.cli.config.Settings;
import org.rootmirror.cli.config.Values;
import org.rootmirror.sync.server.MirrorService;
import org.rootmirror.sync.server.net.ServerNetOptions;
import org.rootmirror.sync.server.query.ServerOptions;
import picocli.CommandLine.Option;

/**
 * The options of the mirror server: who may transfer, whom it notifies, how its answers are rate
 * limited, and the TCP limits it shares with the resolver ({@code [server]}). Where it listens is the
 * command's own option ({@code --listen} for the mirror commands, {@code --mirror-listen} for
 * {@code run}, whose {@code --listen} is the resolver's). Null means not given: the values and
 * their defaults are {@link Settings}' ({@code [mirror]}).
 */
final class ServeOptions {
  @Option(names = "--allow-transfer", paramLabel = "CIDR",
      description = "Also allow AXFR/IXFR from this prefix, repeatable (loopback is always allowed).")
  List<String> allowTransfer;

  @Option(names = "--notify", paramLabel = "HOST[:PORT]", description = "Send NOTIFY to this secondary on each new serial, repeatable.")
  List<String> notify;

  @Option(names = "--primary", paramLabel = "CIDR", description = "Accept NOTIFY from this prefix and sync at once, repeatable.")
  List<String> primaries;

  @Option(names = "--chaos", negatable = true,
      description = "Answer CHAOS id.server, hostname.bind and version.bind (default); --no-chaos answers them REFUSED.")
  Boolean chaos;

  @Option(names = "--udp-threads", paramLabel = "N", description = "UDP receive threads (default: auto, one per core).")
  String udpThreads;

  @Option(names = "--tcp-clients", paramLabel = "N",
      description = "TCP connections open at once, each server; when all are taken a new one closes the connection idle longest (default: "
          + Defaults.TCP_CLIENTS + ").")
  String tcpClients;

  @Option(names = "--tcp-clients-per-address", paramLabel = "N",
      description = "TCP connections open at once from one client address (default: " + Defaults.TCP_CLIENTS_PER_ADDRESS + ").")
  String tcpClientsPerAddress;

  @Option(names = "--tcp-idle-timeout", paramLabel = "SECONDS",
      description = "Close a TCP connection idle this long (default: " + Defaults.TCP_IDLE_TIMEOUT + ").")
  String tcpIdleTimeout;

  @Option(names = "--tcp-message-timeout", paramLabel = "SECONDS",
      description = "Close a TCP connection whose client takes longer than this to send a whole message (default: "
          + Defaults.TCP_MESSAGE_TIMEOUT + ").")
  String tcpMessageTimeout;

  @Option(names = "--rate-limit", paramLabel = "N|off",
      description = "When listening beyond loopback, at most N UDP responses a second to one client prefix (/24, /56) of one kind,"
          + " for clients outside loopback (default: " + Defaults.RATE_LIMIT + "; off: no limit).")
  String rateLimit;

  @Option(names = "--rate-limit-slip", paramLabel = "N",
      description = "Send one in N of the rate-limited responses truncated, so real clients retry over TCP; 0: none (default: "
          + Defaults.RATE_LIMIT_SLIP + ").")
  String rateLimitSlip;

  @Option(names = "--rate-limit-window", paramLabel = "S",
      description = "Seconds a client must keep below the rate before it is answered again (default: " + Defaults.RATE_LIMIT_WINDOW + ").")
  String rateLimitWindow;

  /** Adds the options given to {@code given}, by the key they override. */
  void given(Map<ConfigKey, List<String>> given) {
    Given.put(given, ConfigKey.ALLOW_TRANSFER, allowTransfer);
    Given.put(given, ConfigKey.NOTIFY, notify);
    Given.put(given, ConfigKey.PRIMARY, primaries);
    Given.put(given, ConfigKey.CHAOS, chaos);
    Given.put(given, ConfigKey.UDP_THREADS, udpThreads);
    Given.put(given, ConfigKey.TCP_CLIENTS, tcpClients);
    Given.put(given, ConfigKey.TCP_CLIENTS_PER_ADDRESS, tcpClientsPerAddress);
    Given.put(given, ConfigKey.TCP_IDLE_TIMEOUT, tcpIdleTimeout);
    Given.put(given, ConfigKey.TCP_MESSAGE_TIMEOUT, tcpMessageTimeout);
    Given.put(given, ConfigKey.RATE_LIMIT, rateLimit);
    Given.put(given, ConfigKey.RATE_LIMIT_SLIP, rateLimitSlip);
    Given.put(given, ConfigKey.RATE_LIMIT_WINDOW, rateLimitWindow);
  }

  /** {@code net} with the TCP limits of {@code settings} ({@code [server]}), which the mirror and the resolver share. */
  static ServerNetOptions withTcpLimits(Settings settings, ServerNetOptions net) {
    return net.withTcpMaxClients(settings.tcpClients())
        .withTcpMaxClientsPerAddress(settings.tcpClientsPerAddress())
        .withTcpIdleTimeout(Duration.ofSeconds(settings.tcpIdleTimeout()))
        .withTcpMessageTimeout(Duration.ofSeconds(settings.tcpMessageTimeout()));
  }

  /** The mirror's options: {@code net} for where it listens, the rest from {@code settings}. */
  static MirrorService.Options mirror(Settings settings, ServerNetOptions net) {
    if (settings.udpThreads().isPresent()) {
      net = net.withUdpThreads(settings.udpThreads().getAsInt());
    }
    net = withTcpLimits(settings, net);
    ServerOptions answers = settings.chaos() ? ServerOptions.defaults() : ServerOptions.defaults().withoutChaos();
    return new MirrorService.Options(net, answers, settings.allowTransfer(), settings.primaries(), settings.notifyTargets(),
        settings.rateLimit());
  }

  /**
   * {@code defaults} moved to the addresses and the one port of {@code listen}, when given.
   *
   * @throws IllegalArgumentException naming {@code option} and the value that is wrong
   */
  static ServerNetOptions listening(List<String> listen, ServerNetOptions defaults, String option) {
    if (listen == null || listen.isEmpty()) {
      return defaults;
    }
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (String l : listen) {
      try {
        addresses.add(Values.listenAddress(l));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
      }
    }
    return listeningOn(addresses, defaults, option);
  }

  /** @throws IllegalArgumentException when the addresses do not share one port */
  static ServerNetOptions listeningOn(List<InetSocketAddress> addresses, ServerNetOptions defaults, String option) {
    int port = addresses.get(0).getPort();
    List<InetAddress> hosts = new ArrayList<>();
    for (InetSocketAddress a : addresses) {
      if (a.getPort() != port) {
        throw new IllegalArgumentException(option + ": all addresses share one port, not " + port + " and " + a.getPort());
      }
      hosts.add(a.getAddress());
    }
    return defaults.withAddresses(hosts).withPort(port);
  }
}
