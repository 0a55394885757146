package org.rootmirror.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import org.rootmirror.resolver.ResolverStack;
import org.rootmirror.resolver.iterate.RootHints;
import org.rootmirror.resolver.net.ResolverService;
import org.rootmirror.sync.server.xfr.AddressAcl;
import picocli.CommandLine.Option;

/** The options of the recursive resolver: where clients reach it, who may, and where the root is when the local copy is not valid. */
final class ResolverOptions {
  @Option(names = "--listen", paramLabel = "ADDR:PORT",
      description = "Address and port the resolver serves clients on, repeatable, one port for all (default: 127.0.0.1:53 and [::1]:53).")
  List<String> listen;

  @Option(names = "--allow", paramLabel = "CIDR",
      description = "Also answer clients from this prefix, repeatable (loopback is always allowed; others get REFUSED).")
  List<String> allow = List.of();

  @Option(names = "--root-server", paramLabel = "ADDR[:PORT]",
      description = "When the local copy is missing or expired, ask this root mirror (another rootmirror or any RFC 8806 server) "
          + "before the public root servers, repeatable.")
  List<String> rootServers = List.of();

  @Option(names = "--hints", paramLabel = "FILE", description = "Root hints in named.root format (default: IANA's, built in).")
  Path hints;

  @Option(names = "--upstream-port", paramLabel = "PORT", defaultValue = "53", hidden = true,
      description = "The port authoritative servers are asked on (for test networks).")
  int upstreamPort;

  /** @throws IllegalArgumentException naming the option value that is wrong */
  ResolverService.Options service() {
    ResolverService.Options defaults = ResolverService.Options.defaults();
    List<String> prefixes = new java.util.ArrayList<>(List.of("127.0.0.0/8", "::1/128"));
    prefixes.addAll(allow);
    return defaults.withNet(ServeOptions.listening(listen, defaults.net(), "--listen")).withClients(AddressAcl.parse(prefixes));
  }

  /** @throws IOException when the hints file cannot be read; IllegalArgumentException for bad values */
  ResolverStack.Options stack() throws IOException {
    ResolverStack.Options options = ResolverStack.Options.defaults().withUpstreamPort(upstreamPort);
    if (hints != null) {
      options = options.withHints(RootHints.read(hints));
    }
    return options.withMirrors(rootServers.stream().map(ResolverOptions::server).toList());
  }

  /** "192.0.2.1", "192.0.2.1:5300", "2001:db8::1" or "[2001:db8::1]:5300"; literals only. */
  static InetSocketAddress server(String value) {
    String host = value;
    int port = 53;
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("--root-server: no closing ] in \"" + value + "\"");
      }
      host = value.substring(1, close);
      if (value.length() > close + 1) {
        port = port(value.substring(close + 1), value);
      }
    } else if (value.indexOf(':') == value.lastIndexOf(':') && value.indexOf(':') > 0) {
      host = value.substring(0, value.indexOf(':'));
      port = port(value.substring(value.indexOf(':')), value);
    }
    if (!host.matches("[0-9.]+|[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("--root-server takes an address literal, not \"" + host + "\"");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--root-server: bad address \"" + value + "\"");
    }
  }

  private static int port(String colonPort, String value) {
    try {
      if (!colonPort.startsWith(":")) {
        throw new NumberFormatException();
      }
      int port = Integer.parseInt(colonPort.substring(1));
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--root-server: bad port in \"" + value + "\"");
    }
  }
}
