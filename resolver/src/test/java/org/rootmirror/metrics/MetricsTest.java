package org.rootmirror.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.dnssec.zone.ZoneLookup;
import org.rootmirror.resolver.ResolverStack;
import org.rootmirror.resolver.iterate.RootCopy;
import org.rootmirror.resolver.iterate.SocketUpstream;
import org.rootmirror.resolver.net.ResolverService;
import org.rootmirror.resolver.testing.MiniInternet;
import org.rootmirror.sync.accept.AnchorTracking;
import org.rootmirror.sync.accept.SyncOutcome;
import org.rootmirror.sync.accept.SyncPolicy;
import org.rootmirror.sync.accept.SyncRequest;
import org.rootmirror.sync.accept.ZoneSync;
import org.rootmirror.sync.server.MirrorService;
import org.rootmirror.sync.server.net.ServerNetOptions;
import org.rootmirror.sync.source.FileSource;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneStore;
import org.rootmirror.sync.testing.MutableClock;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The exposition read from real components: a root zone synced from files into the published
 * zone, the mirror answering from it, and the resolver on the mini-internet starting from it.
 */
class MetricsTest {
  private static MiniInternet net;

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private final PublishedZone published = new PublishedZone();
  private MirrorService mirror;
  private ResolverService resolver;

  @BeforeAll
  static void startInternet() throws IOException {
    net = MiniInternet.builder().start();
  }

  @AfterAll
  static void stopInternet() throws IOException {
    net.close();
  }

  @AfterEach
  void stop() throws IOException {
    try (MirrorService m = mirror; ResolverService r = resolver) {
      // closed
    }
  }

  @Test
  void exposesEachMetricWithTheValuesOfTheComponents() throws Exception {
    // three sources: a missing file, a file that is no zone, and the mini-internet's root
    Path good = dir.resolve("root.zone");
    Files.writeString(good, net.rootZone().records().stream().map(Record::toString).collect(Collectors.joining("\n", "", "\n")));
    Path garbage = dir.resolve("garbage.zone");
    Files.writeString(garbage, "this is not a zone file\n");
    URI missing = dir.resolve("missing.zone").toUri();
    ZoneSync sync = new ZoneSync(List.of(new FileSource(missing), new FileSource(garbage.toUri()), new FileSource(good.toUri())),
        uri -> {
          throw new IllegalArgumentException("no ad-hoc sources");
        }, new ZoneStore(dir.resolve("state")), published, AnchorTracking.open(dir.resolve("state"), net.trustAnchors()), clock,
        SyncPolicy.defaults());
    assertEquals(SyncOutcome.Result.UPDATED, sync.sync(SyncRequest.SCHEDULED).result());
    clock.advance(Duration.ofSeconds(30));
    SyncOutcome second = sync.sync(SyncRequest.SCHEDULED);
    assertEquals(SyncOutcome.Result.UNCHANGED, second.result(), second.describe());

    InetAddress loopback = InetAddress.getLoopbackAddress();
    ServerNetOptions anyPort = ServerNetOptions.defaults().withAddresses(List.of(loopback)).withPort(0);
    mirror = MirrorService.start(MirrorService.Options.defaults().withNet(anyPort), published, null, primary -> {});
    SimpleResolver toMirror = client(mirror.localAddresses().get(0));
    assertEquals(Rcode.NOERROR, toMirror.send(query(".", Type.SOA, DClass.IN)).getRcode());
    assertEquals(Rcode.NXDOMAIN, toMirror.send(query("nosuchtld.", Type.A, DClass.IN)).getRcode());
    assertEquals(Rcode.NXDOMAIN, toMirror.send(query("nosuchtle.", Type.A, DClass.IN)).getRcode());
    assertEquals(Rcode.REFUSED, toMirror.send(query("version.bind.", Type.TXT, DClass.HS)).getRcode());

    var options = ResolverStack.Options.defaults().withHints(net.rootHints()).withUpstreamPort(net.port());
    Supplier<RootCopy> rootCopy = () -> published.current()
        .map(z -> new RootCopy(new ZoneLookup(z.zone()), z.serial(), z.report().earliestExpiry()))
        .orElse(null);
    ResolverStack stack = ResolverStack.build(options, rootCopy, net.trustAnchors(), new SocketUpstream(), clock);
    resolver = ResolverService.start(ResolverService.Options.defaults().withNet(anyPort), stack.resolver());
    net.clearLog();
    SimpleResolver toResolver = client(resolver.localAddresses().get(0));
    assertEquals(Rcode.NXDOMAIN, toResolver.send(query("www.nosuchtld.", Type.A, DClass.IN)).getRcode());
    assertEquals(Rcode.NOERROR, toResolver.send(query("host.sec.test.", Type.A, DClass.IN)).getRcode());
    assertEquals(Rcode.NOERROR, toResolver.send(query("host.sec.test.", Type.A, DClass.IN)).getRcode()); // from the cache
    assertEquals(Rcode.NXDOMAIN, toResolver.send(query("www.nosuchtle.", Type.A, DClass.IN)).getRcode()); // from the root's NSEC
    int upstreamPackets = net.queries().size();
    for (InetAddress root : net.rootServers()) {
      assertEquals(List.of(), net.queriesTo(root), "the local copy answers every root question");
    }

    clock.advance(Duration.ofSeconds(60));
    Metrics metrics = Metrics.builder(clock).zone(published).sync(sync).mirror(mirror).resolver(resolver, stack).build();
    Exposition e = Exposition.parse(metrics.scrape());

    // the zone: fetched 90 s ago; expiry computed here from the RRSIGs of the zone as synced (whole seconds)
    assertEquals(1, e.value("rootmirror_zone_serving"));
    assertEquals(net.rootZone().soa().getSerial(), e.value("rootmirror_zone_serial"));
    assertTrue(metrics.scrape().contains("\nrootmirror_zone_serial " + net.rootZone().soa().getSerial() + "\n"), "the serial as an integer");
    assertEquals(90, e.value("rootmirror_zone_age_seconds"));
    Instant earliest = published.current().orElseThrow().zone().records().stream().filter(r -> r instanceof RRSIGRecord)
        .map(r -> ((RRSIGRecord) r).getExpire()).min(Instant::compareTo).orElseThrow();
    assertEquals(Duration.between(clock.instant(), earliest).toMillis() / 1000.0, e.value("rootmirror_zone_signature_expiry_seconds"));
    assertEquals("gauge", e.type("rootmirror_zone_serial"));

    // sync: two runs, each trying the sources in order
    assertEquals(2, e.value("rootmirror_sync_total", "source", missing.toString(), "result", "failed_not_found"));
    assertEquals(2, e.value("rootmirror_sync_total", "source", garbage.toUri().toString(), "result", "failed_unparsable"));
    assertEquals(1, e.value("rootmirror_sync_total", "source", good.toUri().toString(), "result", "updated"));
    assertEquals(1, e.value("rootmirror_sync_total", "source", good.toUri().toString(), "result", "unchanged"));
    assertEquals("counter", e.type("rootmirror_sync_total"));
    assertEquals(second.finishedAt().getEpochSecond(), e.value("rootmirror_sync_last_run_timestamp_seconds"));
    assertEquals(second.finishedAt().getEpochSecond(), e.value("rootmirror_sync_last_success_timestamp_seconds"));

    // the root's keys, tracked from the zone synced: its KSK, which the anchors named, is Valid
    long ksks = net.rootZone().apex(Type.DNSKEY).stream().filter(k -> ((DNSKEYRecord) k).getFlags() == 257).count();
    assertEquals(ksks, e.value("rootmirror_trust_anchor_keys", "state", "Valid"));
    assertEquals(0, e.value("rootmirror_trust_anchor_keys", "state", "AddPend"));
    assertFalse(metrics.scrape().contains("rootmirror_trust_anchor_next_change_seconds "), "no change due by time alone");

    // the mirror: one response per query, by RCODE; common RCODEs present at 0
    assertEquals(1, e.value("rootmirror_mirror_responses_total", "rcode", "NOERROR"));
    assertEquals(2, e.value("rootmirror_mirror_responses_total", "rcode", "NXDOMAIN"));
    assertEquals(1, e.value("rootmirror_mirror_responses_total", "rcode", "REFUSED"));
    assertEquals(0, e.value("rootmirror_mirror_responses_total", "rcode", "SERVFAIL"));
    assertEquals(4, e.value("rootmirror_net_udp_received_total", "service", "mirror"));
    assertEquals(4, e.value("rootmirror_net_udp_sent_total", "service", "mirror"));

    // the resolver
    assertEquals(2, e.value("rootmirror_resolver_responses_total", "rcode", "NOERROR"));
    assertEquals(2, e.value("rootmirror_resolver_responses_total", "rcode", "NXDOMAIN"));
    assertEquals(0, e.value("rootmirror_resolver_responses_total", "rcode", "SERVFAIL"));
    assertEquals(2, e.value("rootmirror_resolver_cache_hits_total")); // the repeat, and the synthesised NXDOMAIN
    assertEquals(2, e.value("rootmirror_resolver_cache_misses_total"));
    assertEquals(1, e.value("rootmirror_resolver_aggressive_nsec_answers_total"));
    assertEquals(0, e.value("rootmirror_resolver_stale_answers_total"));
    double avoided = e.value("rootmirror_resolver_root_queries_avoided_total");
    assertTrue(avoided >= 2, "at least the junk TLD and test.: " + avoided);
    assertEquals(stack.iterator().counters().localRootAnswers(), avoided);
    assertEquals(upstreamPackets, e.value("rootmirror_resolver_upstream_queries_total"), "every packet the authorities received");
    assertTrue(upstreamPackets > 0);
    // the mini-internet has servers that never answer: how many were tried depends on the selection
    assertEquals(stack.iterator().counters().timeouts(), e.value("rootmirror_resolver_upstream_timeouts_total"));
    assertEquals(stack.iterator().counters().lostReplies(), e.value("rootmirror_resolver_upstream_lost_replies_total"));
    assertEquals(stack.cacheEntries(), e.value("rootmirror_resolver_cache_entries"));
    assertEquals(stack.cacheBytes(), e.value("rootmirror_resolver_cache_bytes"));
    assertTrue(stack.cacheBytes() > 0 && stack.cacheBytes() <= org.rootmirror.resolver.cache.CacheConfig.DEFAULT_BYTES, "within cache-size: " + stack.cacheBytes());
    assertEquals(4, e.value("rootmirror_net_udp_received_total", "service", "resolver"));
    assertEquals("counter", e.type("rootmirror_resolver_root_queries_avoided_total"));
  }

  @Test
  void zoneMetricsAreAbsentWhileNoZoneIsPublished() {
    Exposition e = Exposition.parse(Metrics.builder(clock).zone(published).build().scrape());
    assertEquals(0, e.value("rootmirror_zone_serving"));
    assertFalse(e.has("rootmirror_zone_serial"));
    assertFalse(e.has("rootmirror_zone_age_seconds"));
    assertFalse(e.has("rootmirror_zone_signature_expiry_seconds"));
    assertFalse(e.has("rootmirror_mirror_responses_total"), "only the components given are exposed");
  }

  @Test
  void wholeNumbersAreWrittenAsIntegersAndTheRestAsTheLibraryWroteThem() {
    assertEquals("# HELP x counted in 1.0 steps\nx 2026120701\ny{a=\"b c\"} 3\nz 0.25\nw NaN\nv 1.0E300\n",
        Metrics.wholeNumbers("# HELP x counted in 1.0 steps\nx 2.026120701E9\ny{a=\"b c\"} 3.0\nz 0.25\nw NaN\nv 1.0E300\n"));
  }

  @Test
  void endpointServesTheTextFormatOverHttpUntilClosed() throws Exception {
    Metrics metrics = Metrics.builder(clock).zone(published).build();
    URI uri;
    HttpClient http = HttpClient.newHttpClient();
    try (MetricsServer server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics)) {
      uri = server.uri();
      assertTrue(server.localAddress().getPort() > 0);
      assertEquals("/metrics", uri.getPath());
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode());
      assertEquals(Metrics.CONTENT_TYPE, response.headers().firstValue("Content-Type").orElse(""));
      assertTrue(Metrics.CONTENT_TYPE.contains("version=0.0.4"), Metrics.CONTENT_TYPE);
      assertEquals(0, Exposition.parse(response.body()).value("rootmirror_zone_serving"));
    }
    assertThrows(ConnectException.class, () -> http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void textFormatCheckRejectsWhatIsNotTheFormat() {
    assertThrows(AssertionError.class, () -> Exposition.parse("rootmirror_x 1\n"), "a sample without HELP and TYPE");
    assertThrows(AssertionError.class, () -> Exposition.parse("# HELP a b\n# TYPE a gauge\na{b=c} 1\n"), "unquoted label");
    assertThrows(AssertionError.class, () -> Exposition.parse("# HELP a b\n# TYPE a gauge\na\n"), "no value");
  }

  private static SimpleResolver client(InetSocketAddress server) {
    SimpleResolver client = new SimpleResolver(server);
    client.setTimeout(Duration.ofSeconds(10));
    client.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
    return client;
  }

  private static Message query(String name, int type, int dclass) {
    return Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, dclass));
  }
}
