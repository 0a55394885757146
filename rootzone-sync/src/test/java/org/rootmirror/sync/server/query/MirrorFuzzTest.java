package org.rootmirror.sync.server.query;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.rootmirror.sync.server.fuzz.FuzzRun;
import org.rootmirror.sync.server.testing.ServedZones;
import org.rootmirror.sync.server.xfr.AddressAcl;
import org.rootmirror.sync.server.xfr.NotifyReceiver;
import org.rootmirror.sync.server.xfr.TransferHandler;
import org.rootmirror.sync.store.PublishedZone;
import org.xbill.DNS.Rcode;

/**
 * The mirror's query handler, with transfers and NOTIFY behind it as {@code serve-zone} and
 * {@code run} wire it, fed malformed and mutated queries from a fixed seed and from a new one
 * each build ({@link FuzzRun}): it never throws, answers every query it can read, never answers a
 * response, keeps every UDP reply within the client's size, and every reply parses with the
 * query's ID. About 70,000 packets, a few seconds.
 */
class MirrorFuzzTest {
  private static final List<InetSocketAddress> OUTSIDE = List.of(
      new InetSocketAddress("192.0.2.1", 40000), new InetSocketAddress("2001:db8::1", 40001));
  private static final List<InetSocketAddress> LOOPBACK_AND_OUTSIDE = List.of(
      new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress("::1", 40001), new InetSocketAddress("192.0.2.1", 40002));
  private static final List<String> ROOT_NAMES = List.of(".", "com.", "net.", "org.", "arpa.", "de.", "xn--p1ai.",
      "a.root-servers.net.", "www.example.com.", "nosuchtld.", "version.bind.", "id.server.", "hostname.bind.");

  @Test
  void theRealRootZoneSurvivesFuzzedQueriesFromOutside() throws IOException {
    PublishedZone published = new PublishedZone();
    published.publish(ServedZones.root2026()); // skips without the fixtures
    // from outside loopback: transfers refused, so no fuzzed AXFR sends the whole 2 MB zone
    TransferHandler transfers = new TransferHandler(published, null, AddressAcl.loopback(), NotifyReceiver.refusingAll());
    for (long seed : FuzzRun.seeds()) {
      RootQueryHandler handler = new RootQueryHandler(published, ServerOptions.defaults(), transfers);
      FuzzRun.Summary summary = FuzzRun.run(new FuzzRun.Target(handler, ServerOptions.DEFAULT_MAX_UDP_PAYLOAD, OUTSIDE, ROOT_NAMES, true,
          () -> handler.counters().failures()),
          seed, FuzzRun.count(25_000));
      System.out.println("mirror, root zone: " + summary);
      assertReachesEveryAnswer(summary);
    }
  }

  @Test
  void aSmallZoneWithTransfersNotifyAndALargerUdpCapSurvivesFuzzedQueries() {
    PublishedZone published = SmallZone.published();
    AtomicInteger syncs = new AtomicInteger();
    NotifyReceiver notifies = new NotifyReceiver(AddressAcl.loopback(), from -> syncs.incrementAndGet());
    TransferHandler transfers = new TransferHandler(published, null, AddressAcl.loopback(), notifies);
    int cap = 4096;
    for (long seed : FuzzRun.seeds()) {
      RootQueryHandler handler = new RootQueryHandler(published, SmallZone.OPTIONS.withMaxUdpPayload(cap), transfers);
      FuzzRun.Summary summary = FuzzRun.run(new FuzzRun.Target(handler, cap, LOOPBACK_AND_OUTSIDE,
          List.of(".", "com.", "www.example.com.", "aaa.", "ns1.aaa.", "zz.", "a.root-servers.net.", "version.bind."), true,
          () -> handler.counters().failures()),
          seed, FuzzRun.count(10_000));
      System.out.println("mirror, small zone: " + summary);
      assertTrue(summary.rcodes().keySet().containsAll(Set.of(Rcode.NOERROR, Rcode.NXDOMAIN, Rcode.FORMERR, Rcode.NOTIMP,
          Rcode.REFUSED, Rcode.NOTAUTH)), "the fuzz reaches every kind of answer: " + summary.rcodes());
    }
  }

  /** A fuzz whose packets all died at the first check would prove little. */
  private static void assertReachesEveryAnswer(FuzzRun.Summary summary) {
    assertTrue(summary.rcodes().keySet().containsAll(Set.of(Rcode.NOERROR, Rcode.NXDOMAIN, Rcode.FORMERR, Rcode.NOTIMP,
        Rcode.REFUSED, Rcode.BADVERS)), "the fuzz reaches every kind of answer: " + summary.rcodes());
    assertTrue(summary.truncated() > 0, "some answers are truncated: " + summary);
  }
}
