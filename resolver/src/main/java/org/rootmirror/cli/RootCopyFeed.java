package org.rootmirror.cli;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.rootmirror.dnssec.zone.ZoneLookup;
import org.rootmirror.resolver.iterate.RootCopy;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneSnapshot;

/**
 * Hands the resolver each root zone the sync publishes, as a {@link RootCopy}: built once per
 * snapshot, read with one volatile load per root question. A withdrawn zone (expired) becomes
 * null, and the resolver turns to the mirrors or the public roots until the next one.
 */
final class RootCopyFeed implements Supplier<RootCopy> {
  private volatile RootCopy current;

  static RootCopyFeed following(PublishedZone published) {
    RootCopyFeed feed = new RootCopyFeed();
    published.onChange(snapshot -> feed.current = snapshot.map(RootCopyFeed::copyOf).orElse(null));
    published.current().ifPresent(snapshot -> feed.current = copyOf(snapshot));
    return feed;
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
