package org.rootmirror.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.validate.ValidationReport;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.ResolverStack;
import org.rootmirror.resolver.iterate.IterativeResolver;
import org.rootmirror.resolver.iterate.RootHints;
import org.rootmirror.resolver.testing.FakeAuthorities;
import org.rootmirror.resolver.testing.MutableTime;
import org.rootmirror.resolver.validate.ValidationConfig;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneMetadata;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * {@code rootmirror run}'s start-up, at the level of the resolver stack it builds: the resolver
 * answers before the stored zone is validated, and questions that need the root wait for it
 * ({@link RootCopyFeed#starting}) instead of asking a public root server. The recording upstream
 * serves a root server on the hints' address, so a leak would show in its log.
 */
class StartupHoldsRootQuestionsTest {
  private static final String SOA = " 3600 IN SOA ns.invalid. admin.invalid. 1 1800 900 604800 300\n";
  private static final String ROOT_SERVER = "192.0.2.1";
  private static final Zone ROOT = FakeAuthorities.zone(".", "." + SOA + """
      . 518400 IN NS a.root.
      a.root. 518400 IN A 192.0.2.1
      test. 172800 IN NS ns.test.
      ns.test. 172800 IN A 192.0.2.11
      """);
  private static final Zone TEST = FakeAuthorities.zone("test.", "test." + SOA + """
      test. 3600 IN NS ns.test.
      ns.test. 3600 IN A 192.0.2.11
      www.test. 3600 IN A 192.0.2.100
      """);

  private final MutableTime time = new MutableTime();
  private final FakeAuthorities net = new FakeAuthorities().serve(ROOT_SERVER, ROOT).serve("192.0.2.11", TEST);
  private final PublishedZone published = new PublishedZone();

  private ResolverStack stack(RootCopyFeed feed, Duration resolutionTime) {
    RootHints hints = RootHints.parse(". 3600000 NS a.root.\na.root. 3600000 A " + ROOT_SERVER + "\n", "test hints");
    var options = new ResolverStack.Options(ResolverStack.Options.defaults().cache(),
        IterativeResolver.Limits.defaults().withResolutionTime(resolutionTime), hints, List.of(), 53);
    return ResolverStack.build(options, feed, ValidationConfig.none(), net, time);
  }

  /** The stored zone as the sync publishes it once validated: good for a month. */
  private ZoneSnapshot stored() {
    Instant until = time.instant().plus(Duration.ofDays(30));
    ValidationReport report = new ValidationReport(Name.root, 1, time.instant(), List.of(),
        new ValidationReport.Counts(0, 0, 0, 0, 0, 0), new ValidationReport.Zonemd(ValidationReport.Zonemd.State.ABSENT, ""), until,
        Duration.ZERO);
    ZoneMetadata meta = new ZoneMetadata(1, URI.create("file:/test/root.zone.1"), null, time.instant(), report.summary(), until, false,
        null, null);
    return new ZoneSnapshot(ROOT, meta, report);
  }

  private static Resolution ask(ResolverStack stack, String name) {
    return stack.resolver().resolve(Question.of(Name.fromConstantString(name), Type.A), false);
  }

  @Test
  void questionsBeforeTheStoredZoneIsPublishedWaitForItAndNoneReachesARootServer() throws Exception {
    RootCopyFeed feed = RootCopyFeed.starting(published);
    ResolverStack stack = stack(feed, Duration.ofSeconds(60));
    CompletableFuture<Resolution> answer = new CompletableFuture<>();
    Thread t = Thread.ofPlatform().daemon().start(() -> answer.complete(ask(stack, "www.test.")));
    // waits until the question is parked in the feed (or, wrongly, answered)
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (t.getState() != Thread.State.TIMED_WAITING && !answer.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertFalse(answer.isDone(), "answered before the stored zone was read: " + (answer.isDone() ? answer.get() : ""));
    assertEquals(List.of(), net.log(), "no packet while the stored zone is being validated");

    published.publish(stored()); // what SyncService.start does with a valid stored zone
    Resolution res = answer.get(30, TimeUnit.SECONDS);
    assertEquals(Rcode.NOERROR, res.rcode(), String.valueOf(res.error()));
    assertEquals(List.of(), net.logOf(ROOT_SERVER), "the root came from the stored copy");
    assertEquals(1, stack.iterator().counters().localRootAnswers());
  }

  @Test
  void withNoValidStoredZoneTheWaitingQuestionsGoOnToTheRootServers() {
    RootCopyFeed feed = RootCopyFeed.starting(published);
    ResolverStack stack = stack(feed, Duration.ofSeconds(60));
    feed.known(); // the stored zone was read: none is valid
    Resolution res = ask(stack, "www.test.");
    assertEquals(Rcode.NOERROR, res.rcode(), String.valueOf(res.error()));
    assertTrue(net.logOf(ROOT_SERVER).size() >= 1, "primed and asked the root server: " + net.log());
  }

  @Test
  void aQuestionStillWaitingAtItsDeadlineGetsServfailNotReadyAndNoPacketLeaves() {
    RootCopyFeed feed = RootCopyFeed.starting(published);
    ResolverStack stack = stack(feed, Duration.ofMillis(200));
    Resolution res = ask(stack, "www.test.");
    assertEquals(Rcode.SERVFAIL, res.rcode());
    assertEquals(ExtendedErrorCodeOption.NOT_READY, res.error().getErrorCode(), res.error().getText());
    assertEquals(List.of(), net.log());
  }

  @Test
  void aFeedFollowingAZoneAlreadyPublishedNeverWaits() throws Exception {
    published.publish(stored());
    RootCopyFeed feed = RootCopyFeed.following(published);
    assertTrue(feed.awaitKnown(Duration.ZERO));
    assertEquals(1, feed.get().serial());
  }
}
