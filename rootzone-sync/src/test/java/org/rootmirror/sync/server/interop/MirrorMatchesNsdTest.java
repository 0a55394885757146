package org.rootmirror.sync.server.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.dnssec.testing.Fixtures;
import org.rootmirror.sync.testing.NsdConfig;
import org.rootmirror.sync.server.MirrorService;
import org.rootmirror.sync.server.testing.ServedZones;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.xbill.DNS.Rcode;

/**
 * A differential test against NSD (Debian package nsd): the mirror and NSD serve the same file,
 * the real root zone of 2026-07-31 (the mirror after validating it at its time), and answer the
 * same few thousand generated queries ({@link QueryMix}, fixed seed) over UDP; where either
 * response is truncated, and for every tenth query besides, both are asked again over TCP. The
 * two must give the same RCODE, AA and TC flags and EDNS echo, the same records in the answer and
 * authority sections and the same glue, or differ in one of the {@link KnownDifference}s, each
 * with its reason. Anything else fails the test with the query and both answers in full.
 *
 * <p>NSD runs unprivileged from a configuration in a temporary directory on 127.0.0.1 (a free high
 * port), without response rate limiting (Debian's NSD limits by default, and this test sends
 * thousands of queries from one address), and is stopped at the end. The test is skipped, saying
 * so, where NSD is not installed.
 */
@Timeout(60)
class MirrorMatchesNsdTest {
  private static final long SEED = 8806;
  private static final int QUERIES = 3000;
  /** Besides every truncated exchange, this share of the queries is also compared over TCP. */
  private static final int TCP_EVERY = 10;
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final int REPORTED = 10;

  @TempDir
  Path dir;

  @Test
  void theMirrorAnswersAsNsdDoesExceptForKnownDifferences() throws Exception {
    String nsdProgram = Tools.require("nsd", "nsd");
    ZoneSnapshot root = ServedZones.root2026();
    RootFacts facts = new RootFacts(root.zone());
    List<Probe> probes = QueryMix.generate(root.zone(), SEED, QUERIES);

    MirrorService mirror = LoopbackMirror.start(root);
    InetSocketAddress ours = mirror.localAddresses().get(0);
    List<Exchange> exchanges = new ArrayList<>(probes.size());
    try (mirror; Daemon nsd = startNsd(nsdProgram)) {
      int id = 0;
      for (Probe probe : probes) {
        exchanges.add(exchange(probe, ++id, ours, nsd.address()));
      }
    }
    Tools.awaitReleased(ours, "the mirror");

    Map<KnownDifference, Integer> explained = new EnumMap<>(KnownDifference.class);
    List<Exchange> unexplained = new ArrayList<>();
    Map<String, Integer> unexplainedAspects = new TreeMap<>();
    int same = 0;
    for (Exchange e : exchanges) {
      List<String> differences = e.differences();
      if (differences.isEmpty()) {
        same++;
        continue;
      }
      KnownDifference known = null;
      for (KnownDifference k : KnownDifference.values()) {
        if (k.explains(e, facts)) {
          known = k;
          break;
        }
      }
      if (known != null) {
        explained.merge(known, 1, Integer::sum);
      } else {
        unexplained.add(e);
        differences.forEach(d -> unexplainedAspects.merge(d, 1, Integer::sum));
      }
    }
    System.out.println(summary(exchanges, same, explained, unexplained.size()));

    assertTrue(unexplained.isEmpty(), () -> unexplained.size() + " of " + exchanges.size()
        + " queries got answers that differ in ways not explained (" + unexplainedAspects + "); the first "
        + Math.min(REPORTED, unexplained.size()) + ":\n\n"
        + String.join("\n", unexplained.stream().limit(REPORTED).map(Exchange::report).toList()));
    assertCovers(exchanges);
  }

  /** The mix did what it is for: many name errors and referrals, some truncation, some TCP. */
  private static void assertCovers(List<Exchange> exchanges) {
    long nameErrors = exchanges.stream().filter(e -> e.nsdUdp().rcode() == Rcode.NXDOMAIN).count();
    long referrals = exchanges.stream()
        .filter(e -> RootFacts.referralCut(e.hasTcp() ? e.nsdTcp() : e.nsdUdp()) != null)
        .count();
    long truncated = exchanges.stream().filter(Exchange::truncated).count();
    long tcp = exchanges.stream().filter(Exchange::hasTcp).count();
    assertTrue(nameErrors > QUERIES / 5 && referrals > QUERIES / 3 && truncated > QUERIES / 100 && tcp > QUERIES / 10,
        "name errors %d, referrals %d, truncated %d, over TCP %d".formatted(nameErrors, referrals, truncated, tcp));
  }

  /** Asks both servers over UDP, and over TCP too when either answer is truncated or {@code id} is picked. */
  private static Exchange exchange(Probe probe, int id, InetSocketAddress mirror, InetSocketAddress nsd) throws Exception {
    byte[] query = probe.wire(id & 0xFFFF);
    Reply mirrorUdp = Reply.parse(udp(mirror, query));
    Reply nsdUdp = Reply.parse(udp(nsd, query));
    if (!mirrorUdp.tc() && !nsdUdp.tc() && id % TCP_EVERY != 0) {
      return new Exchange(probe, mirrorUdp, nsdUdp, null, null);
    }
    Reply mirrorTcp = Reply.parse(DnsClient.tcp(mirror, query, TIMEOUT));
    Reply nsdTcp = Reply.parse(DnsClient.tcp(nsd, query, TIMEOUT));
    return new Exchange(probe, mirrorUdp, nsdUdp, mirrorTcp, nsdTcp);
  }

  /** UDP with one retry: a datagram can be lost even on loopback. */
  private static byte[] udp(InetSocketAddress server, byte[] query) throws IOException {
    try {
      return DnsClient.udp(server, query, TIMEOUT);
    } catch (SocketTimeoutException lost) {
      return DnsClient.udp(server, query, TIMEOUT);
    }
  }

  private static String summary(List<Exchange> exchanges, int same, Map<KnownDifference, Integer> explained,
      int unexplained) {
    long tcp = exchanges.stream().filter(Exchange::hasTcp).count();
    int known = explained.values().stream().mapToInt(Integer::intValue).sum();
    StringBuilder s = new StringBuilder("mirror vs NSD: %d queries (seed %d), %d also over TCP: %d the same, %d explained, %d not"
        .formatted(exchanges.size(), SEED, tcp, same, known, unexplained));
    explained.forEach((k, n) -> s.append("\n  ").append(k).append(" (").append(n).append("): ").append(k.reason()));
    return s.toString();
  }

  private Daemon startNsd(String program) throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    InetSocketAddress address = new InetSocketAddress(loopback, Tools.freePort(loopback));
    Path home = Files.createDirectories(dir.resolve("nsd"));
    Path zoneFile = Fixtures.rootZone(Fixtures.ZONE_2026).toAbsolutePath().normalize();
    Path conf = Files.writeString(home.resolve("nsd.conf"), NsdConfig.serving(home, zoneFile, address.getPort()));
    return Daemon.start("NSD", home, address, List.of(program, "-d", "-c", conf.toString()));
  }
}
