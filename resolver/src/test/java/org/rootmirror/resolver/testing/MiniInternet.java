package org.rootmirror.resolver.testing;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Assumptions;
import org.rootmirror.dnssec.anchor.TrustAnchor;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneLookup;
import org.rootmirror.resolver.iterate.RootHints;
import org.rootmirror.sync.server.QueryHandler;
import org.rootmirror.sync.server.net.MirrorServer;
import org.rootmirror.sync.server.net.ServerNetOptions;
import org.rootmirror.sync.server.query.ServerOptions;
import org.rootmirror.sync.server.query.ZoneQueryHandler;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;

/**
 * A synthetic DNS hierarchy served on loopback by the project's own authoritative engine ({@link
 * ZoneQueryHandler} behind {@link MirrorServer}), every server on 127.53.S.N and all on one port,
 * for resolver tests. S is 0 unless a fixed port is taken there (by another mini-internet, say):
 * then the next /24 is tried, up to 127.53.7.0. Use the accessors, not literal addresses. Zones are signed with fresh test keys (ECDSA P-256) valid from an hour
 * before the build time to 30 days after it; each signed child's DS is in its parent.
 *
 * <pre>
 * zone                 signed         DS in parent  served by (127.53.S.N)
 * .                    NSEC + ZONEMD  (anchor)      a.root-servers.test. .1, b.root-servers.test. .2
 * test.                NSEC           yes           ns1.test. .11, ns2.test. .12 (SLOW)
 * sec.test.            NSEC           yes           ns1.sec.test. .21
 * bogus.test.          NSEC           yes           ns1.bogus.test. .22 (www.bogus.test. A has a broken RRSIG)
 * unsigned.test.       no             no (NSEC)     ns1.unsigned.test. .23
 * example.             NSEC           yes           ns1.example. .31, ns2.example. .32 (LAME)
 * nsec3.               NSEC3 salt AB12 yes          ns.example. .33 (out of bailiwick: no glue in the root)
 * child.nsec3.         NSEC3 Opt-Out  yes           ns1.child.nsec3. .34
 * legacy.child.nsec3.  no             no (Opt-Out)  ns1.legacy.child.nsec3. .35
 * insecure.            no             no (NSEC)     ns1.insecure. .41, ns2.insecure. .42 (UNREACHABLE)
 * </pre>
 *
 * <p>Data: {@code www.test. A}; {@code sec.test. MX 10 mail.sec.test.}, {@code mail.sec.test.}
 * and {@code host.sec.test.} A and AAAA; {@code www.sec.test. CNAME www.example.} → {@code
 * www.example. CNAME host.child.nsec3.} → {@code host.child.nsec3.} A 192.0.2.51 and AAAA (a
 * chain across three zones, signed with NSEC, NSEC and NSEC3); {@code old.example. DNAME
 * sec.test.}; a wildcard {@code *.wild.sec.test.} A 192.0.2.77 and TXT; {@code big.sec.test.} TXT,
 * 8 strings of 200 bytes (over 1232 bytes: truncated over UDP, whole over TCP); {@code
 * www.bogus.test.} A 192.0.2.66 (bogus) and {@code ok.bogus.test.} A 192.0.2.67 (valid); {@code
 * www.unsigned.test.} A; {@code example. MX 10 mail.example.}, {@code host.example.} A and AAAA;
 * {@code host.nsec3.} A; {@code www.legacy.child.nsec3.} A; {@code www.insecure.} A and AAAA. The
 * root's NS names live in {@code test.}, with glue in the root.
 *
 * <p>Faults: SLOW answers every query only after {@link Builder#slowDelay} (2 s by default);
 * LAME answers REFUSED to everything; UNREACHABLE has nothing listening (no answer over UDP,
 * connection refused over TCP). Every query any server received is in {@link #queries()}.
 *
 * <p>{@code MiniInternetUnboundTest} shows Unbound reaching the intended verdict for each name
 * (secure, insecure, bogus with EDE 6); Unbound needs port 53 and {@code local-zone: "test."
 * nodefault}, as it answers {@code test.} itself (RFC 6761 section 6.2).
 *
 * <pre>{@code
 * try (MiniInternet net = MiniInternet.builder().slowDelay(Duration.ofMillis(300)).start()) {
 *   resolver = new Iterator(net.rootHints(), net.port(), ...);
 * }
 * }</pre>
 */
public final class MiniInternet implements AutoCloseable {
  /** How a name server misbehaves. */
  public enum Fault {
    NONE,
    /** Answers correctly, after the configured delay. */
    SLOW,
    /** Listed as a name server but serves no zone: REFUSED to everything. */
    LAME,
    /** Listed as a name server, but nothing listens at its address. */
    UNREACHABLE
  }

  /**
   * One name server of the hierarchy.
   *
   * @param zones the zones it is listed as a name server for (a LAME server serves none of them)
   */
  public record NameServer(Name name, InetAddress address, List<Name> zones, Fault fault) {
    public NameServer {
      zones = List.copyOf(zones);
    }
  }

  /** A row of the table above: a server's name, the last octet of its address, its fault, its zones. */
  private record Spec(String name, int host, Fault fault, String... zones) {}

  private static final List<Spec> SERVERS = List.of(
      new Spec("a.root-servers.test.", 1, Fault.NONE, "."),
      new Spec("b.root-servers.test.", 2, Fault.NONE, "."),
      new Spec("ns1.test.", 11, Fault.NONE, "test."),
      new Spec("ns2.test.", 12, Fault.SLOW, "test."),
      new Spec("ns1.sec.test.", 21, Fault.NONE, "sec.test."),
      new Spec("ns1.bogus.test.", 22, Fault.NONE, "bogus.test."),
      new Spec("ns1.unsigned.test.", 23, Fault.NONE, "unsigned.test."),
      new Spec("ns1.example.", 31, Fault.NONE, "example."),
      new Spec("ns2.example.", 32, Fault.LAME, "example."),
      new Spec("ns.example.", 33, Fault.NONE, "nsec3."),
      new Spec("ns1.child.nsec3.", 34, Fault.NONE, "child.nsec3."),
      new Spec("ns1.legacy.child.nsec3.", 35, Fault.NONE, "legacy.child.nsec3."),
      new Spec("ns1.insecure.", 41, Fault.NONE, "insecure."),
      new Spec("ns2.insecure.", 42, Fault.UNREACHABLE, "insecure."));
  /** With an ephemeral port, how often to start again when the port drawn is taken on another address. */
  private static final int PORT_ATTEMPTS = 10;
  /** With a fixed port, how many /24s (127.53.0.0 up) to try. */
  private static final int NETWORKS = 8;
  /** The last octet of {@link #spareAddress()}. */
  private static final int SPARE_HOST = 100;

  private final MiniZones zones;
  private final String network;
  private final List<NameServer> servers;
  private final Duration slowDelay;
  private final QueryLog log = new QueryLog();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final List<MirrorServer> running = new ArrayList<>();
  private int port;

  private MiniInternet(Instant now, String network, Duration slowDelay) {
    this.zones = MiniZones.build(now, network);
    this.network = network;
    this.servers = SERVERS.stream().map(spec -> new NameServer(Name.fromConstantString(spec.name()),
        literal(network + spec.host()), Arrays.stream(spec.zones()).map(Name::fromConstantString).toList(), spec.fault()))
        .toList();
    this.slowDelay = slowDelay;
  }

  /** How to start one; {@code builder().start()} serves on an ephemeral port, signed now. */
  public static Builder builder() {
    return new Builder();
  }

  /** Options of a mini-internet. */
  public static final class Builder {
    private int port;
    private Duration slowDelay = Duration.ofSeconds(2);
    private Instant now;

    private Builder() {}

    /** The one port every server listens on: 0 (the default) for an ephemeral one; 53 for resolvers that cannot use another. */
    public Builder port(int port) {
      if (port < 0 || port > 0xffff) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /** How long the SLOW server ({@code ns2.test.}) waits before each answer. */
    public Builder slowDelay(Duration delay) {
      this.slowDelay = Objects.requireNonNull(delay);
      return this;
    }

    /** The time signatures are valid around (an hour before to 30 days after); the clock's time when not set. */
    public Builder signedAt(Instant now) {
      this.now = Objects.requireNonNull(now);
      return this;
    }

    /** Signs the zones and starts every server. */
    public MiniInternet start() throws IOException {
      Instant time = now != null ? now : Instant.now();
      for (int subnet = 0; ; subnet++) {
        MiniInternet net = new MiniInternet(time, "127.53." + subnet + ".", slowDelay);
        try {
          net.serve(port);
          return net;
        } catch (BindException e) {
          if (port == 0 || subnet == NETWORKS - 1) {
            throw e;
          }
        }
      }
    }

    /** {@link #start()}, or aborts the calling test (skipped, not failed) when the port cannot be bound. */
    public MiniInternet startOrSkip() throws IOException {
      try {
        return start();
      } catch (BindException e) {
        return Assumptions.abort("cannot serve the mini-internet on port " + port + ": " + e.getMessage());
      }
    }
  }

  private static InetAddress literal(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError("a literal address needs no lookup", e);
    }
  }

  /** Starts a server per address, all on one port: the first one's when {@code requested} is 0. */
  private void serve(int requested) throws IOException {
    Map<Name, ZoneLookup> lookups = new HashMap<>();
    zones.zones.forEach((origin, zone) -> lookups.put(origin, new ZoneLookup(zone)));
    for (int attempt = 1; ; attempt++) {
      port = requested;
      try {
        for (NameServer server : servers) {
          if (server.fault() != Fault.UNREACHABLE) {
            MirrorServer started = MirrorServer.start(netOptions(server.address(), port), handler(server, lookups));
            running.add(started);
            port = started.localAddresses().get(0).getPort();
          }
        }
        return;
      } catch (IOException | RuntimeException e) {
        try {
          closeServers();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
        if (!(e instanceof BindException) || requested != 0 || attempt == PORT_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private static ServerNetOptions netOptions(InetAddress address, int port) {
    return ServerNetOptions.defaults().withAddresses(List.of(address)).withPort(port)
        .withUdpThreads(2).withUdpReceiveBufferBytes(0).withTcpMaxClients(16);
  }

  /** The server's zones, its fault, and the log in front of both so that every query is logged as it arrives. */
  private QueryHandler handler(NameServer server, Map<Name, ZoneLookup> lookups) {
    ServerOptions options = ServerOptions.defaults().withIdServer(server.name().toString(true));
    List<ZoneLookup> served = server.fault() == Fault.LAME ? List.of() : server.zones().stream().map(lookups::get).toList();
    QueryHandler handler = new ZoneQueryHandler(served, options);
    if (server.fault() == Fault.SLOW) {
      handler = QueryLog.slow(slowDelay, closing, handler);
    }
    return log.recording(server.address(), handler);
  }

  /** The port every server listens on, UDP and TCP. */
  public int port() {
    return port;
  }

  /** Where a server of the hierarchy listens. */
  public InetSocketAddress socketAddress(InetAddress server) {
    return new InetSocketAddress(server, port);
  }

  /** Every name server, faulty ones included, in the order of the table above. */
  public List<NameServer> nameServers() {
    return servers;
  }

  /** An address in the mini-internet's /24 that no server uses (.100), for a resolver under test to listen on. */
  public InetAddress spareAddress() {
    return literal(network + SPARE_HOST);
  }

  /** The name server called {@code name} (for example {@code "ns2.test."}). */
  public NameServer nameServer(String name) {
    Name n = Name.fromConstantString(name);
    return servers.stream().filter(s -> s.name().equals(n)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no name server " + name));
  }

  /** The address of the name server called {@code name}. */
  public InetAddress address(String name) {
    return nameServer(name).address();
  }

  /** The addresses of the root servers. */
  public List<InetAddress> rootServers() {
    return servers.stream().filter(s -> s.zones().contains(Name.root)).map(NameServer::address).toList();
  }

  /** The root servers in named.root format. */
  public String rootHintsText() {
    StringBuilder text = new StringBuilder();
    for (NameServer s : servers) {
      if (s.zones().contains(Name.root)) {
        text.append(".  3600000  NS  ").append(s.name()).append('\n');
        text.append(s.name()).append("  3600000  A  ").append(s.address().getHostAddress()).append('\n');
      }
    }
    return text.toString();
  }

  public RootHints rootHints() {
    return RootHints.parse(rootHintsText(), "mini-internet root hints");
  }

  /** The root's KSK as a DS: the hierarchy's only trust anchor. */
  public TrustAnchors trustAnchors() {
    return TrustAnchors.of(List.of(TrustAnchor.of(zones.ds.get(Name.root))));
  }

  /** The signed root zone, as a resolver's local copy would hold it. */
  public Zone rootZone() {
    return zone(Name.root);
  }

  /** The zone at {@code origin}, as served. */
  public Zone zone(Name origin) {
    Zone zone = zones.zones.get(origin);
    if (zone == null) {
      throw new IllegalArgumentException("no zone " + origin + " in the mini-internet");
    }
    return zone;
  }

  public Zone zone(String origin) {
    return zone(Name.fromConstantString(origin));
  }

  /** Every zone by origin, parents before children. */
  public Map<Name, Zone> zones() {
    return Collections.unmodifiableMap(zones.zones);
  }

  /** The DS of the signed zone at {@code origin} (what its parent holds), or null for an unsigned zone. */
  public DSRecord ds(Name origin) {
    return zones.ds.get(origin);
  }

  /** How long the SLOW server waits before answering. */
  public Duration slowDelay() {
    return slowDelay;
  }

  /** Every query received since the start or the last {@link #clearLog()}, in arrival order. */
  public List<QueryLog.Entry> queries() {
    return log.entries();
  }

  /** The queries the server at {@code server} received. */
  public List<QueryLog.Entry> queriesTo(InetAddress server) {
    return log.entries().stream().filter(e -> e.server().equals(server)).toList();
  }

  public void clearLog() {
    log.clear();
  }

  /** Stops every server; a SLOW server's pending answers are dropped. */
  @Override
  public void close() throws IOException {
    closing.countDown();
    closeServers();
  }

  private void closeServers() throws IOException {
    IOException failure = null;
    for (MirrorServer server : running) {
      try {
        server.close();
      } catch (IOException e) {
        failure = e;
      }
    }
    running.clear();
    if (failure != null) {
      throw failure;
    }
  }
}
