package org.rootmirror.resolver.iterate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.cache.CacheConfig;
import org.rootmirror.resolver.cache.DnsCache;
import org.rootmirror.resolver.testing.FakeAuthorities;
import org.rootmirror.resolver.testing.MutableTime;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * No local root copy and a network that drops every packet: clients get SERVFAIL with Extended
 * DNS Error 22 within the resolution deadline, priming is not repeated for every question, and
 * the log hears of the outage once. Time is a fake clock that each lost packet moves on by the
 * whole time the iterator waited for it.
 */
class DeadNetworkTest {
  private static final String HINTS = """
      . 3600000 NS a.root.
      . 3600000 NS b.root.
      . 3600000 NS c.root.
      a.root. 3600000 A 192.0.2.1
      b.root. 3600000 A 192.0.2.2
      c.root. 3600000 A 192.0.2.3
      """;

  private final MutableTime time = new MutableTime();
  private final FakeAuthorities zones = new FakeAuthorities()
      .serve("192.0.2.1", IterativeResolverTest.ROOT).serve("192.0.2.2", IterativeResolverTest.ROOT).serve("192.0.2.3", IterativeResolverTest.ROOT)
      .serve("192.0.2.11", IterativeResolverTest.TEST).serve("192.0.2.12", IterativeResolverTest.TEST);
  private final List<String> sent = Collections.synchronizedList(new ArrayList<>());
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean down = true;

  /** Drops every packet while {@link #down}: the wait costs the whole timeout. */
  private final Upstream net = new Upstream() {
    @Override
    public Message exchange(InetSocketAddress server, Message query, Duration timeout) throws IOException {
      sent.add(server.getAddress().getHostAddress() + " " + query.getQuestion().getName() + " " + Type.string(query.getQuestion().getType()));
      if (down) {
        time.advance(timeout);
        throw new SocketTimeoutException("no answer from " + server);
      }
      return zones.exchange(server, query, timeout);
    }
  };

  private final RootPriming.Report report = new RootPriming.Report() {
    @Override
    public void failing(String message) {
      log.add("WARN " + message);
    }

    @Override
    public void recovered(String message) {
      log.add("INFO " + message);
    }
  };

  private IterativeResolver resolver(IterativeResolver.Limits limits) {
    var config = new IterativeResolver.Config(() -> null, List.of(), RootHints.parse(HINTS, "test hints"), 53, limits);
    return new IterativeResolver(config, net, new DnsCache(CacheConfig.defaults(), time), new ServerSelection(time, new Random(7)), time,
        new Random(11), report);
  }

  @Test
  void aDeadNetworkGivesServfailWithNoReachableAuthorityWithinTheDeadlineAndFewQueries() {
    IterativeResolver r = resolver(IterativeResolver.Limits.defaults());
    Instant asked = time.instant();
    Resolution res = IteratorTestNet.ask(r, "www.test.", Type.A);
    assertEquals(Rcode.SERVFAIL, res.rcode());
    assertEquals(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY, res.error().getErrorCode(), res.error().getText());
    Duration took = Duration.between(asked, time.instant());
    assertTrue(took.compareTo(IterativeResolver.Limits.RESOLUTION_TIME) <= 0, "took " + took);
    // priming: each hinted server at most twice (triesPerServer), and nothing after it failed
    assertTrue(sent.size() <= 6, sent.toString());
    assertTrue(sent.stream().allMatch(s -> s.endsWith(" . NS")), sent.toString());
  }

  @Test
  void noQuestionWaitsPastItsDeadlineWhateverTheServersTimeouts() {
    IterativeResolver r = resolver(IterativeResolver.Limits.defaults().withResolutionTime(Duration.ofMillis(900)));
    Instant asked = time.instant();
    Resolution res = IteratorTestNet.ask(r, "www.test.", Type.A);
    assertEquals(Rcode.SERVFAIL, res.rcode());
    assertEquals(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY, res.error().getErrorCode());
    assertEquals(Duration.ofMillis(900), Duration.between(asked, time.instant()), "the last wait was cut to the deadline");
  }

  @Test
  void questionsDuringAPrimingOutageCostNoPacketAndAreLoggedOnce() {
    IterativeResolver r = resolver(IterativeResolver.Limits.defaults());
    IteratorTestNet.ask(r, "www.test.", Type.A);
    int afterFirst = sent.size();
    for (int i = 0; i < 50; i++) {
      Resolution res = IteratorTestNet.ask(r, "q" + i + ".test.", Type.A);
      assertEquals(Rcode.SERVFAIL, res.rcode());
      assertEquals(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY, res.error().getErrorCode());
      assertTrue(res.error().getText().contains("next try in"), res.error().getText());
    }
    assertEquals(afterFirst, sent.size(), "no packet while priming backs off");
    assertEquals(50, r.counters().heldBackByPriming());

    // retries back off: over two minutes of questions every 100 ms, only a few more primings
    for (int i = 0; i < 1200; i++) {
      time.advance(Duration.ofMillis(100));
      IteratorTestNet.ask(r, "later" + i + ".test.", Type.A);
    }
    long primings = r.counters().primingFailures();
    assertTrue(primings >= 3 && primings <= 10, "priming attempts: " + primings);
    assertEquals(1, log.size(), log.toString());
    assertTrue(log.get(0).startsWith("WARN priming the root servers failed ("), log.get(0));
    assertTrue(log.get(0).length() < 400, "one short line: " + log.get(0));

    down = false;
    time.advance(RootPriming.MAX_RETRY);
    Resolution res = IteratorTestNet.ask(r, "www.test.", Type.A);
    assertEquals(Rcode.NOERROR, res.rcode(), String.valueOf(res.error()));
    assertEquals(2, log.size(), log.toString());
    assertTrue(log.get(1).startsWith("INFO priming the root servers works again, after " + primings + " failed attempts"), log.get(1));
    assertTrue(log.get(1).contains("questions were answered SERVFAIL meanwhile"), log.get(1));
  }

  @Test
  void aFailureReasonNamesOneServerAndCountsTheOthers() {
    assertEquals("192.0.2.1 timed out and 2 more",
        RootPriming.shortReason("no server of the root answered . NS: 192.0.2.1 timed out; 192.0.2.2 timed out; 192.0.2.3 timed out"));
    assertEquals("no answer within 4 s", RootPriming.shortReason("no answer within 4 s"));
  }
}
