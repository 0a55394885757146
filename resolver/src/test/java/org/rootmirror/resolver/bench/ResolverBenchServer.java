package org.rootmirror.resolver.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.rootmirror.dnssec.zone.ZoneLookup;
import org.rootmirror.resolver.ResolverStack;
import org.rootmirror.resolver.iterate.RootCopy;
import org.rootmirror.resolver.iterate.SocketUpstream;
import org.rootmirror.resolver.net.ResolverService;
import org.rootmirror.resolver.testing.MiniInternet;
import org.rootmirror.sync.server.net.ServerNetOptions;
import org.xbill.DNS.Name;

/**
 * The whole resolver serving 127.0.0.1 for benchmarks, resolving through the {@link MiniInternet}
 * on port 53 (127.53.0.x) with the mini-internet's root as its local copy, valid for a day. It can
 * also write an Unbound configuration for the same mini-internet, so that Unbound resolves through
 * the same servers while this process runs. Prints "ready" when both are up, then runs until
 * killed; on standard input, "flush" replaces the resolver by one with an empty cache (the same
 * listeners' port, the JIT left warm) and "stats" prints the counters.
 *
 * <pre>
 * ResolverBenchServer PORT [--unbound DIR UNBOUND_PORT] [--slow-delay-ms MS]
 * </pre>
 *
 * <p>Run by {@code bench/resolver-dnsperf}.
 */
public final class ResolverBenchServer {
  private final MiniInternet net;
  private final int port;
  private ResolverStack stack;
  private ResolverService service;

  private ResolverBenchServer(MiniInternet net, int port) {
    this.net = net;
    this.port = port;
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: ResolverBenchServer PORT [--unbound DIR UNBOUND_PORT] [--slow-delay-ms MS]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    Path unboundDir = null;
    int unboundPort = 0;
    Duration slowDelay = Duration.ZERO;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--unbound" -> {
          unboundDir = Path.of(args[++i]);
          unboundPort = Integer.parseInt(args[++i]);
        }
        case "--slow-delay-ms" -> slowDelay = Duration.ofMillis(Long.parseLong(args[++i]));
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    MiniInternet net = MiniInternet.builder().port(53).slowDelay(slowDelay).start();
    if (unboundDir != null) {
      writeUnboundConfig(net, unboundDir, unboundPort);
    }
    ResolverBenchServer server = new ResolverBenchServer(net, port);
    server.startResolver();
    System.out.println("ready");
    System.out.flush();
    server.commands();
  }

  /** A fresh stack (empty cache) behind a fresh front end on the same port. */
  private void startResolver() throws IOException {
    if (service != null) {
      service.close();
    }
    InstantSource time = InstantSource.system();
    RootCopy copy = new RootCopy(new ZoneLookup(net.rootZone()), net.rootZone().soa().getSerial(), time.instant().plus(Duration.ofDays(1)));
    var options = ResolverStack.Options.defaults().withHints(net.rootHints()).withUpstreamPort(net.port());
    stack = ResolverStack.build(options, () -> copy, net.trustAnchors(), new SocketUpstream(), time);
    service = ResolverService.start(ResolverService.Options.defaults()
        .withNet(ServerNetOptions.defaults().withAddresses(List.of(InetAddress.getByName("127.0.0.1"))).withPort(port)), stack.resolver());
  }

  /** Reads commands until standard input closes, then waits to be killed. */
  private void commands() throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      switch (line.strip()) {
        case "flush" -> {
          startResolver();
          System.out.println("flushed");
        }
        case "stats" -> System.out.printf("stats %s; cache hits %d, synthesised %d, misses %d, prefetches %d, entries %d%n",
            service.counters(), stack.cache().hits(), stack.cache().synthesised(), stack.cache().misses(),
            stack.cache().prefetches(), stack.cacheEntries());
        case "" -> { }
        default -> System.out.println("unknown command " + line);
      }
      System.out.flush();
    }
    try {
      Thread.sleep(Long.MAX_VALUE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * unbound.conf and root.hints: Unbound's defaults but for what a test hierarchy on loopback
   * needs (queries to 127.0.0.0/8; test. resolved rather than answered by Unbound's built-in
   * RFC 6761 local zone), one thread, and aggressive NSEC (RFC 8198) stated rather than assumed.
   */
  private static void writeUnboundConfig(MiniInternet net, Path dir, int unboundPort) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("root.hints"), net.rootHintsText());
    String conf = """
        server:
            interface: 127.0.0.1@%d
            num-threads: 1
            username: ""
            chroot: ""
            directory: "%s"
            pidfile: "%s"
            use-syslog: no
            logfile: ""
            do-not-query-localhost: no
            root-hints: "%s"
            trust-anchor: "%s"
            aggressive-nsec: yes
            local-zone: "test." nodefault
        remote-control:
            control-enable: no
        """.formatted(unboundPort, dir, dir.resolve("unbound.pid"), dir.resolve("root.hints"),
        net.ds(Name.root).toString().replace('\t', ' '));
    Files.writeString(dir.resolve("unbound.conf"), conf);
  }
}
