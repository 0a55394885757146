package org.rootmirror.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rootmirror.cli.config.ConfigKey;
import org.rootmirror.cli.config.Settings;
import org.rootmirror.cli.config.Values;
import org.rootmirror.sync.server.MirrorService;
import org.rootmirror.sync.server.net.ServerNetOptions;
import org.rootmirror.sync.server.query.ServerOptions;
import picocli.CommandLine.Option;

/**
 * The options of the mirror server: who may transfer, whom it notifies. Where it listens is the
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

  /** Adds the options given to {@code given}, by the key they override. */
  void given(Map<ConfigKey, List<String>> given) {
    Given.put(given, ConfigKey.ALLOW_TRANSFER, allowTransfer);
    Given.put(given, ConfigKey.NOTIFY, notify);
    Given.put(given, ConfigKey.PRIMARY, primaries);
    Given.put(given, ConfigKey.CHAOS, chaos);
    Given.put(given, ConfigKey.UDP_THREADS, udpThreads);
  }

  /** The mirror's options: {@code net} for where it listens, the rest from {@code settings}. */
  static MirrorService.Options mirror(Settings settings, ServerNetOptions net) {
    if (settings.udpThreads().isPresent()) {
      net = net.withUdpThreads(settings.udpThreads().getAsInt());
    }
    ServerOptions answers = settings.chaos() ? ServerOptions.defaults() : ServerOptions.defaults().withoutChaos();
    return new MirrorService.Options(net, answers, settings.allowTransfer(), settings.primaries(), settings.notifyTargets());
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
