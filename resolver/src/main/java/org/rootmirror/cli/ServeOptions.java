package org.rootmirror.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.rootmirror.sync.server.MirrorService;
import org.rootmirror.sync.server.net.ServerNetOptions;
import org.rootmirror.sync.server.query.ServerOptions;
import org.rootmirror.sync.server.xfr.AddressAcl;
import org.rootmirror.sync.server.xfr.NotifySender;
import picocli.CommandLine.Option;

/**
 * The options of the mirror server: who may transfer, whom it notifies. Where it listens is the
 * command's own option ({@code --listen} for the mirror commands, {@code --mirror-listen} for
 * {@code run}, whose {@code --listen} is the resolver's).
 */
final class ServeOptions {
  @Option(names = "--allow-transfer", paramLabel = "CIDR",
      description = "Also allow AXFR/IXFR from this prefix, repeatable (loopback is always allowed).")
  List<String> allowTransfer = List.of();

  @Option(names = "--notify", paramLabel = "HOST[:PORT]", description = "Send NOTIFY to this secondary on each new serial, repeatable.")
  List<String> notify = List.of();

  @Option(names = "--primary", paramLabel = "CIDR", description = "Accept NOTIFY from this prefix and sync at once, repeatable.")
  List<String> primaries = List.of();

  @Option(names = "--no-chaos", description = "Answer CHAOS id.server, hostname.bind and version.bind with REFUSED.")
  boolean noChaos;

  @Option(names = "--udp-threads", paramLabel = "N", description = "UDP receive threads (default: one per core).")
  Integer udpThreads;

  /**
   * @param listen the ADDR:PORT values given, or null/empty for the defaults of {@code net}
   * @throws IllegalArgumentException naming the option value that is wrong
   */
  MirrorService.Options options(List<String> listen, ServerNetOptions defaults) {
    ServerNetOptions net = listening(listen, defaults, "--listen");
    if (udpThreads != null) {
      net = net.withUdpThreads(udpThreads);
    }
    ServerOptions answers = noChaos ? ServerOptions.defaults().withoutChaos() : ServerOptions.defaults();
    return new MirrorService.Options(net, answers, AddressAcl.parse(allowTransfer), AddressAcl.parse(primaries),
        notify.stream().map(NotifySender::target).toList());
  }

  /** {@code defaults} moved to the addresses and the one port of {@code listen}, when given. */
  static ServerNetOptions listening(List<String> listen, ServerNetOptions defaults, String option) {
    if (listen == null || listen.isEmpty()) {
      return defaults;
    }
    List<InetAddress> addresses = new ArrayList<>();
    int port = -1;
    for (String l : listen) {
      InetSocketAddress a = listenAddress(l, option);
      if (port >= 0 && a.getPort() != port) {
        throw new IllegalArgumentException(option + ": all addresses share one port, not " + port + " and " + a.getPort());
      }
      port = a.getPort();
      addresses.add(a.getAddress());
    }
    return defaults.withAddresses(addresses).withPort(port);
  }

  /** "127.0.0.1:5300" or "[::1]:5300"; addresses are literals, never looked up. */
  static InetSocketAddress listenAddress(String value, String option) {
    int colon = value.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(option + " wants ADDR:PORT, not \"" + value + "\"");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": bad port in \"" + value + "\"");
    }
    if (!host.matches("[0-9.]+|[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException(option + " takes an address literal, not \"" + host + "\"");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException | IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": bad address \"" + value + "\": " + e.getMessage());
    }
  }
}
