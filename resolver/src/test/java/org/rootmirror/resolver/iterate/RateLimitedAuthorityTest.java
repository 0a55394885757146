package org.rootmirror.resolver.iterate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneLookup;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.cache.CacheConfig;
import org.rootmirror.resolver.cache.DnsCache;
import org.rootmirror.resolver.testing.FakeAuthorities;
import org.rootmirror.resolver.testing.MutableTime;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Issue 12: a flood of new names under one zone, whose only server limits its response rate as
 * NSD does by default (200 a second for all the names one wildcard answers): over the limit, it
 * drops UDP replies (or truncates them) and answers everything that comes over TCP. Alone, every
 * name resolves; under the flood, a resolution whose UDP replies were dropped must still resolve.
 * The fake clock stands still and the network has no delay: what is checked is what the resolver
 * does after a lost reply, not how long anything takes.
 */
class RateLimitedAuthorityTest {
  private static final String SOA = " 3600 IN SOA ns.invalid. admin.invalid. 1 1800 900 604800 300\n";
  private static final Zone ROOT = FakeAuthorities.zone(".", "." + SOA + """
      . 518400 IN NS a.root.
      a.root. 518400 IN A 192.0.2.1
      flood. 172800 IN NS ns1.flood.
      ns1.flood. 172800 IN A 192.0.2.91
      """);
  private static final Zone FLOOD = FakeAuthorities.zone("flood.", "flood." + SOA + """
      flood. 3600 IN NS ns1.flood.
      ns1.flood. 3600 IN A 192.0.2.91
      *.flood. 3600 IN A 192.0.2.1
      """);
  private static final int NAMES = 500;

  private final MutableTime time = new MutableTime();
  private final RateLimitingServer server = new RateLimitingServer(new FakeAuthorities().serve("192.0.2.91", FLOOD));

  /** An authority whose rate limiting drops the next {@link #drops} UDP replies; TCP is answered unless refused. */
  private static final class RateLimitingServer implements Upstream {
    private final FakeAuthorities zones;
    final AtomicInteger drops = new AtomicInteger();
    volatile boolean refusesTcp;
    final AtomicInteger dropped = new AtomicInteger();
    final AtomicInteger overTcp = new AtomicInteger();
    /** The wait of each query, in the order sent: "UDP 50 ms", "TCP 100 ms". */
    final List<String> waits = java.util.Collections.synchronizedList(new ArrayList<>());

    RateLimitingServer(FakeAuthorities zones) {
      this.zones = zones;
    }

    @Override
    public Message exchange(InetSocketAddress server, Message query, Duration timeout) throws IOException {
      waits.add("UDP " + timeout.toNanos());
      if (drops.getAndUpdate(d -> d > 0 ? d - 1 : 0) > 0) {
        dropped.incrementAndGet();
        throw new SocketTimeoutException("dropped by rate limiting");
      }
      return zones.exchange(server, query, timeout);
    }

    @Override
    public Message exchangeOverTcp(InetSocketAddress server, Message query, Duration timeout) throws IOException {
      waits.add("TCP " + timeout.toNanos());
      if (refusesTcp) {
        throw new ConnectException("connection refused");
      }
      overTcp.incrementAndGet();
      return zones.exchange(server, query, timeout);
    }
  }

  private IterativeResolver resolver() {
    return resolver(IterativeResolver.Limits.defaults());
  }

  private IterativeResolver resolver(IterativeResolver.Limits limits) {
    RootHints hints = RootHints.parse(". 3600000 NS a.root.\na.root. 3600000 A 192.0.2.1\n", "test hints");
    RootCopy copy = new RootCopy(new ZoneLookup(ROOT), 1, time.instant().plus(Duration.ofDays(30)));
    var config = new IterativeResolver.Config(() -> copy, List.<InetSocketAddress>of(), hints, 53, limits);
    return new IterativeResolver(config, server, new DnsCache(CacheConfig.defaults(), time), new ServerSelection(time, new Random(7)), time,
        new Random(11));
  }

  private static Resolution ask(IterativeResolver r, String name) {
    return r.resolve(Question.of(Name.fromConstantString(name), Type.A), false);
  }

  @Test
  void newNamesResolveUnderAFloodWhileTheAuthorityDropsEveryUdpReply() throws Exception {
    IterativeResolver resolver = resolver();
    assertEquals(Rcode.NOERROR, ask(resolver, "alone.flood.").rcode(), "alone, a new name resolves");

    server.drops.set(Integer.MAX_VALUE); // the flood took the server over its limit: every UDP reply is dropped
    List<Future<Resolution>> answers = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      for (int i = 0; i < NAMES; i++) {
        String name = "n" + i + ".flood.";
        answers.add(pool.submit(() -> ask(resolver, name)));
      }
      List<String> failed = new ArrayList<>();
      for (Future<Resolution> answer : answers) {
        Resolution r = answer.get(60, TimeUnit.SECONDS);
        if (r.rcode() != Rcode.NOERROR) {
          failed.add(Rcode.string(r.rcode()) + " " + r.error().getText());
        }
      }
      assertEquals(List.of(), failed.subList(0, Math.min(3, failed.size())), failed.size() + " of " + NAMES + " failed");
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
    }
    // each name lost its UDP reply once and was asked again over TCP, once
    assertEquals(NAMES, server.dropped.get());
    assertEquals(NAMES, server.overTcp.get());
    assertEquals(NAMES, resolver.counters().lostReplies());
  }

  @Test
  void theTryAfterALostReplyWaitsTwiceAsLong() {
    IterativeResolver resolver = resolver();
    assertEquals(Rcode.NOERROR, ask(resolver, "alone.flood.").rcode());
    server.drops.set(1);
    server.waits.clear();
    assertEquals(Rcode.NOERROR, ask(resolver, "n1.flood.").rcode());
    // the server's RTO did not grow with the loss (it answers others); this resolution backs off itself
    List<String> waits = server.waits;
    assertEquals(2, waits.size(), waits.toString());
    long udp = Long.parseLong(waits.get(0).substring(4));
    assertEquals("TCP " + 2 * udp, waits.get(1));
  }

  @Test
  void aServerThatNeverAnsweredIsAskedAgainOverUdpNotTcp() {
    IterativeResolver resolver = resolver();
    server.drops.set(Integer.MAX_VALUE); // silent from the start: nothing says it is up
    Resolution r = ask(resolver, "first.flood.");
    assertEquals(Rcode.SERVFAIL, r.rcode());
    assertEquals(2, server.dropped.get(), "two tries over UDP");
    assertEquals(0, server.overTcp.get());
    assertEquals(0, resolver.counters().lostReplies());
  }

  @Test
  void aRefusedTcpRetryIsOneTryNotTheEndOfTheServer() {
    var defaults = IterativeResolver.Limits.defaults();
    IterativeResolver resolver = resolver(new IterativeResolver.Limits(defaults.referrals(), defaults.chain(), defaults.nsLookups(),
        defaults.queries(), defaults.depth(), 3));
    assertEquals(Rcode.NOERROR, ask(resolver, "alone.flood.").rcode());
    server.drops.set(1);
    server.refusesTcp = true;
    // UDP lost, TCP refused, then UDP again: answered
    Resolution r = ask(resolver, "n1.flood.");
    assertEquals(Rcode.NOERROR, r.rcode(), String.valueOf(r.error()));
    assertEquals(1, server.dropped.get());
  }
}
