package org.rootmirror.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.rootmirror.dnssec.zone.ZoneLookup;
import org.rootmirror.resolver.iterate.AwaitedRootCopy;
import org.rootmirror.resolver.iterate.RootCopy;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneSnapshot;

/**
 * Hands the resolver each root zone the sync publishes, as a {@link RootCopy}: built once per
 * snapshot, read with one volatile load per root question. A withdrawn zone (expired) becomes
 * null, and the resolver turns to the mirrors or the public roots until the next one.
 *
 * <p>At start-up the resolver answers before the stored zone is validated, but no root question
 * leaves the host meanwhile: until the stored zone is published or {@link #known} says there is
 * none, questions that need the root wait here (within their deadline), so that while a valid
 * stored zone exists no packet goes to a public root server.
 */
final class RootCopyFeed implements AwaitedRootCopy {
  private final CountDownLatch known = new CountDownLatch(1);
  private volatile boolean settled;
  private volatile RootCopy current;

  /** A feed known from the start: whatever {@code published} holds now is all there is. */
  static RootCopyFeed following(PublishedZone published) {
    RootCopyFeed feed = starting(published);
    feed.known();
    return feed;
  }

  /**
   * A feed whose questions wait until a zone is published or {@link #known} is called (the stored
   * zone was read, and there is none valid).
   */
  static RootCopyFeed starting(PublishedZone published) {
    RootCopyFeed feed = new RootCopyFeed();
    published.onChange(snapshot -> {
      feed.current = snapshot.map(RootCopyFeed::copyOf).orElse(null);
      feed.known();
    });
    published.current().ifPresent(snapshot -> {
      feed.current = copyOf(snapshot);
      feed.known();
    });
    return feed;
  }

  /** It is known now whether there is a copy: questions waiting go on, with it or without. */
  void known() {
    settled = true;
    known.countDown();
  }

  @Override
  public boolean awaitKnown(Duration max) throws InterruptedException {
    return settled || known.await(Math.max(0, max.toNanos()), TimeUnit.NANOSECONDS);
  }

  private static RootCopy copyOf(ZoneSnapshot snapshot) {
    // The sync withdraws the zone when its SOA expire timer runs out; the signatures bound it too.
    Instant validUntil = Optional.ofNullable(snapshot.report().earliestExpiry()).orElse(Instant.MAX);
    return new RootCopy(new ZoneLookup(snapshot.zone()), snapshot.serial(), validUntil);
  }

  @Override
  public RootCopy get() {
    return current;
  }
}
