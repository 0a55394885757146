package org.rootmirror.sync.server.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resolver configuration snippets shipped in {@code docs/snippets}, each run in the real
 * resolver from Debian against the mirror: Unbound (auth-zone), BIND (mirror zone), Knot
 * Resolver (root hints) and PowerDNS Recursor (forward-zones and zoneToCache). Each snippet is
 * read from its file with only the mirror's address or port and the zone file's path
 * substituted, so the shipped text is what is tested, and appended to a harness configuration
 * that gives the resolver a loopback address to listen on and the test KSK as its only trust
 * anchor (the zone is {@link ResignedRoot}).
 *
 * <p>Each resolver must answer a name under a nonexistent TLD with a validated NXDOMAIN (AD
 * set). The snippets that transfer the zone must have had it from the mirror by AXFR or IXFR;
 * Unbound and BIND must answer from that copy without asking the mirror about the name. And
 * strace must show that the resolver connected and sent to loopback addresses only: it asked no
 * other root server, though the real root servers' addresses are in the zone (and something
 * in this sandbox answers for them). A resolver that is not installed is skipped, saying so.
 */
@Timeout(120)
class ResolverSnippetsTest {
  /** Under no TLD of the root zone: the answer is NXDOMAIN, proved by the root's NSEC records. */
  private static final String NONEXISTENT = "something.nonexistent-tld-xyz.";
  /** Surefire runs the tests in the module directory; the snippets are in the repository's docs. */
  private static final Path SNIPPETS = Path.of("..", "docs", "snippets");
  private static final Duration LOAD_LIMIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  private WatchedMirror mirror;

  /** The mirror on the snippets' address and an ephemeral port. */
  private WatchedMirror mirror() throws IOException {
    return mirror(WatchedMirror.ADDRESS, 0);
  }

  private WatchedMirror mirror(String address, int port) throws IOException {
    try {
      mirror = WatchedMirror.start(ResignedRoot.get().snapshot(), InetAddress.getByName(address), port);
    } catch (BindException e) {
      assumeTrue(false, "cannot listen on " + address + " port " + port + " (" + e.getMessage() + "); skipping");
    }
    return mirror;
  }

  @AfterEach
  void stopMirror() throws IOException {
    if (mirror != null) {
      mirror.close();
    }
  }

  @Test
  void unboundSnippetTransfersTheZoneFromTheMirrorAndValidatesANameError() throws Exception {
    String unbound = Tools.require("unbound", "unbound");
    Tools.require("dig", "bind9-dnsutils");
    Tools.require("strace", "strace");
    WatchedMirror m = mirror();
    InetSocketAddress listen = loopbackPort("127.0.0.2");
    Path zonefile = dir.resolve("root.zone");
    String snippet = snippet("unbound.conf",
        "primary: 127.12.12.12\n", "primary: 127.12.12.12@" + m.port() + "\n",
        "\"/var/lib/unbound/root.zone\"", "\"" + zonefile + "\"");
    // outgoing-interface keeps Unbound's queries and transfers on loopback
    String harness = """
        server:
            verbosity: 1
            use-syslog: no
            logfile: ""
            log-time-ascii: yes
            num-threads: 1
            interface: %2$s
            port: %3$d
            do-ip4: yes
            do-ip6: no
            outgoing-interface: 127.0.0.1
            so-reuseport: no
            access-control: 127.0.0.0/8 allow
            username: ""
            chroot: ""
            directory: "%1$s"
            pidfile: "%1$s/unbound.pid"
            module-config: "validator iterator"
            trust-anchor: ". DS %4$s"
        remote-control:
            control-enable: no
        """.formatted(dir, listen.getAddress().getHostAddress(), listen.getPort(), ResignedRoot.get().dsRdata());
    Path conf = Files.writeString(dir.resolve("unbound.conf"), harness + snippet);

    checkTransferringResolver("Unbound", listen, List.of(unbound, "-d", "-c", conf.toString()),
        () -> nonEmpty(zonefile), true);
  }

  @Test
  void bindSnippetMirrorsTheZoneAndValidatesANameError() throws Exception {
    String named = Tools.require("named", "bind9");
    Tools.require("dig", "bind9-dnsutils");
    Tools.require("strace", "strace");
    WatchedMirror m = mirror();
    // BIND listens only on addresses an interface has; lo has 127.0.0.1 alone
    InetSocketAddress listen = loopbackPort("127.0.0.1");
    Path zonefile = dir.resolve("root.mirror");
    String snippet = snippet("named.conf",
        "primaries { 127.12.12.12; };", "primaries { 127.12.12.12 port " + m.port() + "; };",
        "\"/var/cache/bind/root.mirror\"", "\"" + zonefile + "\"");
    String harness = """
        options {
            directory "%1$s";
            pid-file "%1$s/named.pid";
            session-keyfile "%1$s/session.key";
            managed-keys-directory "%1$s";
            listen-on port %3$d { %2$s; };
            listen-on-v6 { none; };
            query-source address 127.0.0.1;
            transfer-source 127.0.0.1;
            notify no;
            recursion yes;
            allow-query { 127.0.0.0/8; };
            allow-recursion { 127.0.0.0/8; };
            dnssec-validation yes;
        };
        controls { };
        trust-anchors {
            %4$s
        };
        """.formatted(dir, listen.getAddress().getHostAddress(), listen.getPort(), ResignedRoot.get().bindStaticDs());
    Path conf = Files.writeString(dir.resolve("named.conf"), harness + snippet);

    // -4: IPv4 only; -g: foreground, logging to stderr
    checkTransferringResolver("BIND", listen, List.of(named, "-4", "-g", "-c", conf.toString()),
        () -> nonEmpty(zonefile), true);
  }

  @Test
  void knotResolverSnippetAsksOnlyTheMirrorAndValidatesANameError() throws Exception {
    String kresd = Tools.require("kresd", "knot-resolver");
    String dig = Tools.require("dig", "bind9-dnsutils");
    String strace = Tools.require("strace", "strace");
    // root hints take no port, so the mirror listens on port 53, on an address of its own in
    // case a real mirror holds 127.12.12.12 port 53 here
    WatchedMirror m = mirror("127.53.12.12", 53);
    InetSocketAddress listen = loopbackPort("127.0.0.1");
    String snippet = snippet("kresd.conf", "'127.12.12.12'", "'127.53.12.12'");
    String harness = """
        net.ipv6 = false
        net.listen('%2$s', %3$d, { kind = 'dns' })
        cache.open(10 * MB, 'lmdb://%1$s/cache')
        trust_anchors.remove('.')
        trust_anchors.add('. DS %4$s')
        """.formatted(dir, listen.getAddress().getHostAddress(), listen.getPort(), ResignedRoot.get().dsRdata());
    Path conf = Files.writeString(dir.resolve("kresd.conf"), harness + snippet);
    Path trace = dir.resolve("syscalls.trace");

    // -n: not interactive; the last argument is the run directory
    try (Daemon resolver = Daemon.start("Knot Resolver", dir, listen,
        Syscalls.traced(strace, trace, List.of(kresd, "-n", "-c", conf.toString(), dir.toString())))) {
      ToolAnswer answer = resolve(dig, listen);

      assertValidatedNameError(answer, resolver);
      assertTrue(m.asked().stream().anyMatch(a -> !a.isTransfer()), "the mirror saw no query from Knot Resolver");
    }
    // Knot Resolver also resolves names under net. of its own accord, at the .net servers the
    // mirror refers it to (in this sandbox something answers for them), so only the root
    // servers are ruled out
    assertAskedNoRootServer("Knot Resolver", trace, m);
  }

  @Test
  void powerDnsRecursorSnippetLoadsTheZoneFromTheMirrorAndValidatesANameError() throws Exception {
    String recursor = Tools.require("pdns_recursor", "pdns-recursor");
    Tools.require("dig", "bind9-dnsutils");
    Tools.require("strace", "strace");
    WatchedMirror m = mirror();
    InetSocketAddress listen = loopbackPort("127.0.0.1");
    String mirrorAddress = "\"127.12.12.12:" + m.port() + "\"";
    Path lua = Files.writeString(dir.resolve("recursor.lua"), """
        clearTA()
        addTA('.', "%s")
        """.formatted(ResignedRoot.get().dsRdata())
        + snippet("pdns-recursor.lua", "\"127.12.12.12\"", mirrorAddress));
    // security-poll-suffix empty: no polling of secpoll.powerdns.com, which is not the test's
    String harness = """
        config-dir=%1$s
        socket-dir=%1$s
        daemon=no
        write-pid=no
        disable-syslog=yes
        local-address=%2$s
        local-port=%3$d
        query-local-address=127.0.0.1
        allow-from=127.0.0.0/8
        dnssec=validate
        threads=1
        security-poll-suffix=
        lua-config-file=%4$s
        """.formatted(dir, listen.getAddress().getHostAddress(), listen.getPort(), lua);
    Files.writeString(dir.resolve("recursor.conf"), harness
        + snippet("pdns-recursor.conf", "=.=127.12.12.12\n", "=.=127.12.12.12:" + m.port() + "\n"));

    // 4.8 does not answer names under no TLD from the transferred NSEC records: it asks the mirror
    checkTransferringResolver("PowerDNS Recursor", listen, List.of(recursor, "--config-dir=" + dir),
        () -> log(dir).contains("Loaded zone into cache"), false);
  }

  /**
   * Runs a resolver whose snippet transfers the zone, waits until {@code loaded} says it has the
   * zone, then resolves the nonexistent name; checks the transfer, the validated answer, when
   * {@code answersFromCopy} that the mirror was not asked about the name, and that nothing left
   * loopback.
   */
  private void checkTransferringResolver(String name, InetSocketAddress listen, List<String> command,
      BooleanSupplier loaded, boolean answersFromCopy) throws Exception {
    String dig = Tools.require("dig", "bind9-dnsutils");
    String strace = Tools.require("strace", "strace");
    WatchedMirror m = mirror;
    Path trace = dir.resolve("syscalls.trace");
    try (Daemon resolver = Daemon.start(name, dir, listen, Syscalls.traced(strace, trace, command))) {
      await(() -> m.transferred() && loaded.getAsBoolean(), name + " loading the zone from the mirror", resolver);
      int before = m.asked().size();

      ToolAnswer answer = resolve(dig, listen);

      assertValidatedNameError(answer, resolver);
      List<WatchedMirror.Asked> all = m.asked();
      List<WatchedMirror.Asked> after = all.subList(before, all.size());
      assertTrue(!answersFromCopy || after.stream().noneMatch(a -> a.qname().toString().contains("nonexistent-tld-xyz")),
          () -> name + " asked the mirror about the name instead of answering from its copy: " + after);
    }
    assertOnlyLoopback(name, trace, m);
  }

  /** The snippet's text with each {@code from} replaced by the {@code to} after it; each {@code from} must be there. */
  private static String snippet(String file, String... fromTo) throws IOException {
    String text = Files.readString(SNIPPETS.resolve(file));
    for (int i = 0; i < fromTo.length; i += 2) {
      String from = fromTo[i];
      assertTrue(text.contains(from), () -> "docs/snippets/" + file + " no longer contains " + from + "; update the test");
      text = text.replace(from, fromTo[i + 1]);
    }
    return "\n" + text;
  }

  private static InetSocketAddress loopbackPort(String address) throws IOException {
    InetAddress a = InetAddress.getByName(address);
    return new InetSocketAddress(a, Tools.freePort(a));
  }

  private static boolean nonEmpty(Path file) {
    try {
      return Files.isRegularFile(file) && Files.size(file) > 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static String log(Path dir) {
    try (var files = Files.list(dir)) {
      StringBuilder all = new StringBuilder();
      for (Path f : files.filter(f -> f.toString().endsWith(".out")).toList()) {
        all.append(Files.readString(f));
      }
      return all.toString();
    } catch (IOException e) {
      return "";
    }
  }

  private static void await(BooleanSupplier condition, String what, Daemon resolver) throws InterruptedException {
    long end = System.nanoTime() + LOAD_LIMIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what + ":\n" + resolver.output());
      }
      Thread.sleep(100);
    }
  }

  /** Asks the resolver at {@code listen} for the nonexistent name, DO set (dig also sets AD in the query). */
  private static ToolAnswer resolve(String dig, InetSocketAddress listen) throws Exception {
    return ToolAnswer.parse(Tools.run(Duration.ofSeconds(20), dig, "@" + listen.getAddress().getHostAddress(), "-p",
        Integer.toString(listen.getPort()), "+dnssec", "+tries=1", "+timeout=15", NONEXISTENT, "A"));
  }

  private static void assertValidatedNameError(ToolAnswer answer, Daemon resolver) {
    String context = answer.output() + "\n" + resolver.output();
    assertEquals("NXDOMAIN", answer.status(), context);
    assertTrue(answer.flags().contains("ad"), () -> "AD not set: the resolver did not validate the name error\n" + context);
    assertTrue(answer.flags().contains("ra"), context);
  }

  /** The resolver connected and sent only to loopback (the mirror, and dig for the answer): to no other root server, nor anyone else. */
  private static void assertOnlyLoopback(String name, Path trace, WatchedMirror m) throws IOException {
    Set<String> off = assertAskedNoRootServer(name, trace, m);
    assertTrue(off.isEmpty(), () -> name + " sent to " + off + " besides the mirror");
  }

  /**
   * The resolver sent to the mirror and to none of the root servers whose addresses the zone (and
   * the resolver's built-in hints) hold; returns where else off loopback it sent.
   */
  private static Set<String> assertAskedNoRootServer(String name, Path trace, WatchedMirror m) throws IOException {
    Set<String> sentTo = Syscalls.destinations(trace);
    String mirror = m.address().getAddress().getHostAddress();
    assertTrue(sentTo.contains(mirror), () -> name + " never sent to the mirror: " + sentTo);
    Set<InetAddress> roots = ResignedRoot.get().rootServers();
    assertTrue(roots.size() >= 13, "root server addresses in the zone: " + roots);
    Set<String> asked = new TreeSet<>();
    for (String a : sentTo) {
      if (roots.contains(InetAddress.getByName(a))) {
        asked.add(a);
      }
    }
    assertTrue(asked.isEmpty(), () -> name + " asked root servers " + asked + " besides the mirror; the mirror was asked "
        + m.asked().stream().map(Object::toString).collect(Collectors.joining("\n  ", "\n  ", "")));
    return Syscalls.offLoopback(sentTo);
  }
}
