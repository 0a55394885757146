package org.rootmirror.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.sync.accept.SyncOutcome;
import org.rootmirror.sync.accept.SyncPolicy;
import org.rootmirror.sync.accept.SyncRequest;
import org.rootmirror.sync.accept.ZoneSync;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneStore;
import org.rootmirror.sync.testing.MutableClock;
import org.rootmirror.sync.testing.RootZoneVersions;
import org.rootmirror.sync.testing.StaticSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The TLDs and DS records the published versions added and removed, as counters. */
class ChangeMetricsTest {
  private static final Instant SIGNED = Instant.parse("2026-11-01T00:00:00Z");

  @TempDir Path state;

  @Test
  void tldsAndDsRecordsAddedAndRemovedAreCounted() throws IOException {
    RootZoneVersions versions = new RootZoneVersions(SIGNED);
    MutableClock clock = new MutableClock(SIGNED.plus(Duration.ofHours(1)));
    StaticSource source = new StaticSource("https://test/root.zone");
    ZoneSync sync = new ZoneSync(List.of(source), uri -> {
      throw new IllegalArgumentException("no ad-hoc sources");
    }, new ZoneStore(state), new PublishedZone(), versions.anchors(), clock, SyncPolicy.defaults());
    Metrics metrics = Metrics.builder(clock).sync(sync).build();
    Exposition before = Exposition.parse(metrics.scrape());
    assertEquals(0, before.value("rootmirror_sync_tld_changes_total", "change", "added"), "present at 0 before any change");

    source.serve(versions.text(1));
    assertEquals(SyncOutcome.Result.UPDATED, sync.sync(SyncRequest.SCHEDULED).result());
    // version 2: aaa. and com. removed (one DS each), a signed TLD added
    source.serve(versions.text(2, records -> {
      List<Record> out = new ArrayList<>();
      try {
        for (Record r : records) {
          if (!r.getName().subdomain(Name.fromString("aaa.")) && !r.getName().equals(Name.fromString("com."))) {
            out.add(r);
          }
        }
        out.add(Record.fromString(Name.fromString("newtld."), Type.NS, DClass.IN, 172800, "ns.example.", Name.root));
        out.add(Record.fromString(Name.fromString("newtld."), Type.DS, DClass.IN, 86400, "1 13 2 " + "AB".repeat(32), Name.root));
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      return out;
    }));
    SyncOutcome second = sync.sync(SyncRequest.SCHEDULED);
    assertEquals(SyncOutcome.Result.UPDATED, second.result(), second.describe());

    Exposition e = Exposition.parse(metrics.scrape());
    assertEquals(1, e.value("rootmirror_sync_tld_changes_total", "change", "added"));
    assertEquals(2, e.value("rootmirror_sync_tld_changes_total", "change", "removed"));
    assertEquals(1, e.value("rootmirror_sync_ds_changes_total", "change", "added"));
    assertEquals(2, e.value("rootmirror_sync_ds_changes_total", "change", "removed"));
    assertEquals("counter", e.type("rootmirror_sync_ds_changes_total"));
  }
}
