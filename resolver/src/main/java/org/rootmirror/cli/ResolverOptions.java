package org.rootmirror.cli;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rootmirror.cli.config.ConfigKey;
import org.rootmirror.cli.config.Defaults;
import org.rootmirror.cli.config.Settings;
import org.rootmirror.resolver.ResolverStack;
import org.rootmirror.resolver.iterate.RootHints;
import org.rootmirror.resolver.net.ResolverService;
import org.rootmirror.sync.server.xfr.AddressAcl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

  @Option(names = "--upstream-port", paramLabel = "PORT", hidden = true,
      description = "The port authoritative servers are asked on (for test networks).")
  String upstreamPort;

  /** Adds the options given to {@code given}, by the key they override. */
  void given(Map<ConfigKey, List<String>> given) {
    Given.put(given, ConfigKey.RESOLVER_LISTEN, listen);
    Given.put(given, ConfigKey.ALLOW, allow);
    Given.put(given, ConfigKey.ROOT_SERVER, rootServers);
    Given.put(given, ConfigKey.HINTS, hints);
    Given.put(given, ConfigKey.UPSTREAM_PORT, upstreamPort);
  }

  static ResolverService.Options service(Settings settings) {
    ResolverService.Options defaults = ResolverService.Options.defaults();
    List<String> prefixes = new ArrayList<>(List.of("127.0.0.0/8", "::1/128"));
    prefixes.addAll(settings.allow());
    List<InetSocketAddress> listen = listenable(settings.resolverListen(),
        "default".equals(settings.origin(ConfigKey.RESOLVER_LISTEN)), ipv6LoopbackUsable());
    return defaults.withNet(ServeOptions.listeningOn(listen, defaults.net(), "--listen"))
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

  /** @throws IOException when the hints file cannot be read */
  static ResolverStack.Options stack(Settings settings) throws IOException {
    ResolverStack.Options options = ResolverStack.Options.defaults().withUpstreamPort(settings.upstreamPort());
    if (settings.hints().isPresent()) {
      options = options.withHints(RootHints.read(settings.hints().get()));
    }
    return options.withMirrors(settings.rootServers());
  }
}
