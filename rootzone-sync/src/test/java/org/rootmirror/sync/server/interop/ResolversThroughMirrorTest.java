package org.rootmirror.sync.server.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.sync.server.MirrorService;

/**
 * Real resolvers from Debian, Unbound and BIND, each configured as a validating recursive
 * resolver whose only root is the mirror and whose only trust anchor is a test key, resolve a
 * name under a nonexistent TLD to a validated NXDOMAIN (AD set) through the mirror; and {@code
 * dig} and {@code kdig} read a referral and a signed name error from the mirror directly.
 *
 * <p>The zone is the real root zone of 2026-07-31 re-signed with test keys, valid from an hour ago
 * for a week, so that resolvers checking signatures against the real clock accept it. Everything
 * listens on loopback: the mirror on 127.0.0.1 (an ephemeral port), Unbound on 127.0.0.2, and BIND
 * on 127.0.0.1 with a port of its own (BIND listens only on addresses an interface has, and lo has
 * 127.0.0.1 alone unless one adds more). Neither resolver can reach anything but the mirror, and
 * both send from 127.0.0.1: Unbound has the mirror as the stub for the root without priming, so
 * the real root servers' addresses in the zone are never used; BIND has the root as a static-stub
 * zone, whose server addresses stand in for the NS records, again without priming. That the
 * resolvers' answers validate with the test key shows they came from the mirror; its query
 * counters show it too. A resolver that is not installed is skipped, saying so.
 */
@Timeout(60)
class ResolversThroughMirrorTest {
  /** Under no TLD of the root zone: the mirror answers NXDOMAIN and the resolver has nothing else to ask. */
  private static final String NONEXISTENT = "something.nonexistent-tld-xyz.";
  private static final Duration CLIENT_LIMIT = Duration.ofSeconds(20);

  @TempDir
  static Path dir;

  private static Mirror mirror;

  /** The mirror serving the re-signed root zone (with the DS of its test KSK), and where it listens. */
  private record Mirror(MirrorService service, ResignedRoot root, InetSocketAddress address) {
    String port() {
      return Integer.toString(address.getPort());
    }

    long queriesRead() {
      return LoopbackMirror.queriesRead(service);
    }
  }

  /**
   * Re-signs, validates, publishes and serves the zone on first use. Done from each test rather
   * than in a @BeforeAll, so that a test skipped for a missing tool does not pay for it.
   */
  private static synchronized Mirror mirror() throws IOException {
    if (mirror == null) {
      ResignedRoot root = ResignedRoot.get();
      MirrorService service = LoopbackMirror.start(root.snapshot());
      mirror = new Mirror(service, root, service.localAddresses().get(0));
    }
    return mirror;
  }

  @AfterAll
  static synchronized void stopMirror() throws Exception {
    if (mirror != null) {
      mirror.service().close();
      Tools.awaitReleased(mirror.address(), "the mirror");
      mirror = null;
    }
  }

  @Test
  void unboundValidatesANameErrorFromTheMirror() throws Exception {
    String unbound = Tools.require("unbound", "unbound");
    String dig = Tools.require("dig", "bind9-dnsutils");
    Mirror m = mirror();
    InetAddress address = InetAddress.getByName("127.0.0.2");
    InetSocketAddress listen = new InetSocketAddress(address, Tools.freePort(address));
    Path home = Files.createDirectories(dir.resolve("unbound"));
    Path conf = Files.writeString(home.resolve("unbound.conf"), unboundConf(home, listen, m));
    long before = m.queriesRead();

    try (Daemon resolver = Daemon.start("Unbound", home, listen, List.of(unbound, "-d", "-c", conf.toString()))) {
      ToolAnswer answer = resolve(dig, listen);

      assertValidatedNameError(answer, resolver);
      assertTrue(m.queriesRead() > before, "the mirror saw no query from Unbound");
    }
  }

  @Test
  void bindValidatesANameErrorFromTheMirror() throws Exception {
    String named = Tools.require("named", "bind9");
    String dig = Tools.require("dig", "bind9-dnsutils");
    Mirror m = mirror();
    InetAddress address = InetAddress.getByName("127.0.0.1");
    InetSocketAddress listen = new InetSocketAddress(address, Tools.freePort(address));
    Path home = Files.createDirectories(dir.resolve("bind"));
    Path conf = Files.writeString(home.resolve("named.conf"), namedConf(home, listen, m));
    long before = m.queriesRead();

    // -4: IPv4 only; -g: foreground, logging to stderr
    try (Daemon resolver = Daemon.start("BIND", home, listen, List.of(named, "-4", "-g", "-c", conf.toString()))) {
      ToolAnswer answer = resolve(dig, listen);

      assertValidatedNameError(answer, resolver);
      assertTrue(m.queriesRead() > before, "the mirror saw no query from BIND");
    }
  }

  @Test
  void digReadsASignedReferralAndASignedNameErrorFromTheMirror() throws Exception {
    String dig = Tools.require("dig", "bind9-dnsutils");
    Mirror m = mirror();

    ToolAnswer referral = ToolAnswer.parse(Tools.run(CLIENT_LIMIT, dig, "@127.0.0.1", "-p", m.port(),
        "+norec", "+dnssec", "+tries=1", "+timeout=5", "www.example.com.", "A"));
    ToolAnswer nameError = ToolAnswer.parse(Tools.run(CLIENT_LIMIT, dig, "@127.0.0.1", "-p", m.port(),
        "+norec", "+dnssec", "+tries=1", "+timeout=5", NONEXISTENT, "A"));

    assertSignedReferralToCom(referral);
    assertSignedNameError(nameError);
  }

  @Test
  void kdigReadsASignedReferralAndASignedNameErrorFromTheMirror() throws Exception {
    String kdig = Tools.require("kdig", "knot-dnsutils");
    Mirror m = mirror();

    ToolAnswer referral = ToolAnswer.parse(Tools.run(CLIENT_LIMIT, kdig, "@127.0.0.1", "-p", m.port(),
        "+norec", "+dnssec", "+retry=0", "+time=5", "+noidn", "www.example.com.", "A"));
    ToolAnswer nameError = ToolAnswer.parse(Tools.run(CLIENT_LIMIT, kdig, "@127.0.0.1", "-p", m.port(),
        "+norec", "+dnssec", "+retry=0", "+time=5", "+noidn", NONEXISTENT, "A"));

    assertSignedReferralToCom(referral);
    assertSignedNameError(nameError);
  }

  /** Asks the resolver at {@code listen} for the nonexistent name, DO set (dig also sets AD in the query). */
  private static ToolAnswer resolve(String dig, InetSocketAddress listen) throws Exception {
    return ToolAnswer.parse(Tools.run(CLIENT_LIMIT, dig, "@" + listen.getAddress().getHostAddress(), "-p",
        Integer.toString(listen.getPort()), "+dnssec", "+tries=1", "+timeout=15", NONEXISTENT, "A"));
  }

  private static void assertValidatedNameError(ToolAnswer answer, Daemon resolver) {
    String context = answer.output() + "\n" + resolver.output();
    assertEquals("NXDOMAIN", answer.status(), context);
    assertTrue(answer.flags().contains("ad"), () -> "AD not set: the resolver did not validate the name error\n" + context);
    assertTrue(answer.flags().contains("ra"), context);
  }

  /** RFC 1034 section 4.3.2 step 3b, RFC 4035 section 3.1.4: NS and signed DS in authority, AA clear, glue. */
  private static void assertSignedReferralToCom(ToolAnswer answer) {
    String out = answer.output();
    assertEquals("NOERROR", answer.status(), out);
    assertTrue(answer.flags().contains("qr"), out);
    assertFalse(answer.flags().contains("aa"), () -> "a referral is not authoritative:\n" + out);
    assertTrue(answer.section("ANSWER").isEmpty(), out);
    assertTrue(answer.has("AUTHORITY", "com\\.", "NS"), out);
    assertTrue(answer.has("AUTHORITY", "com\\.", "DS"), out);
    assertTrue(answer.has("AUTHORITY", "com\\.", "RRSIG DS"), out);
    assertTrue(answer.has("ADDITIONAL", "[a-m]\\.gtld-servers\\.net\\.", "A"), out);
  }

  /** RFC 4035 section 3.1.3.2: the SOA and the NSEC records denying the name and the wildcard, each signed. */
  private static void assertSignedNameError(ToolAnswer answer) {
    String out = answer.output();
    assertEquals("NXDOMAIN", answer.status(), out);
    assertTrue(answer.flags().contains("aa"), out);
    assertTrue(answer.section("ANSWER").isEmpty(), out);
    assertTrue(answer.has("AUTHORITY", "\\.", "SOA"), out);
    assertTrue(answer.has("AUTHORITY", "\\.", "RRSIG SOA"), out);
    assertTrue(answer.has("AUTHORITY", "[a-z0-9.-]+", "NSEC"), out);
    assertTrue(answer.has("AUTHORITY", "[a-z0-9.-]+", "RRSIG NSEC"), out);
  }

  private static String unboundConf(Path home, InetSocketAddress listen, Mirror m) {
    // stub-zone "." without priming: the mirror is the root and its NS records (the real root
    // servers) are never looked up; outgoing-interface keeps every query on loopback
    return """
        server:
            verbosity: 1
            val-log-level: 2
            use-syslog: no
            logfile: ""
            log-time-ascii: yes
            num-threads: 1
            interface: %2$s
            port: %3$d
            do-ip4: yes
            do-ip6: no
            outgoing-interface: 127.0.0.1
            outgoing-range: 64
            so-reuseport: no
            access-control: 127.0.0.0/8 allow
            do-not-query-localhost: no
            username: ""
            chroot: ""
            directory: "%1$s"
            pidfile: "%1$s/unbound.pid"
            module-config: "validator iterator"
            trust-anchor: ". DS %4$s"
            prefetch: no
        remote-control:
            control-enable: no
        stub-zone:
            name: "."
            stub-addr: %5$s@%6$d
            stub-prime: no
        """.formatted(home.toAbsolutePath(), listen.getAddress().getHostAddress(), listen.getPort(),
        m.root().dsRdata(), m.address().getAddress().getHostAddress(), m.address().getPort());
  }

  private static String namedConf(Path home, InetSocketAddress listen, Mirror m) {
    // a static-stub zone's server-addresses (BIND ARM: they stand in for the zone's NS records and
    // glue, and are always used) take no port; the "port" option, which the ARM describes as the
    // port the server receives and sends DNS traffic on, meant for testing, makes BIND send its
    // queries to the mirror's port, and listen-on names BIND's own
    return """
        options {
            directory "%1$s";
            pid-file "%1$s/named.pid";
            session-keyfile "%1$s/session.key";
            managed-keys-directory "%1$s";
            port %5$d;
            listen-on port %3$d { %2$s; };
            listen-on-v6 { none; };
            query-source address 127.0.0.1;
            notify no;
            recursion yes;
            allow-query { 127.0.0.0/8; };
            allow-recursion { 127.0.0.0/8; };
            dnssec-validation yes;
        };
        controls { };
        trust-anchors {
            %6$s
        };
        zone "." {
            type static-stub;
            server-addresses { %4$s; };
        };
        """.formatted(home.toAbsolutePath(), listen.getAddress().getHostAddress(), listen.getPort(),
        m.address().getAddress().getHostAddress(), m.address().getPort(), m.root().bindStaticDs());
  }
}
