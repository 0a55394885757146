package org.rootmirror.sync.accept;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.sync.accept.SyncOutcome.Result;
import org.rootmirror.sync.changes.ChangeEntry;
import org.rootmirror.sync.changes.ChangesJson;
import org.rootmirror.sync.changes.ZoneDifference;
import org.rootmirror.sync.store.ChangeLog;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneStore;
import org.rootmirror.sync.testing.MutableClock;
import org.rootmirror.sync.testing.RootZoneVersions;
import org.rootmirror.sync.testing.StaticSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Each new serial the sync publishes adds what it changed to changes.jsonl, once. */
class ZoneSyncRecordsChangesTest {
  private static final Instant SIGNED = Instant.parse("2026-11-01T00:00:00Z");
  private static RootZoneVersions versions;

  @TempDir Path state;
  private final MutableClock clock = new MutableClock(SIGNED.plus(Duration.ofHours(1)));
  private final StaticSource source = new StaticSource("https://first.test/root.zone");

  @BeforeAll
  static void sign() throws IOException {
    versions = new RootZoneVersions(SIGNED);
  }

  private ZoneSync sync(PublishedZone published) {
    return new ZoneSync(List.of(source), uri -> {
      throw new IllegalArgumentException("no ad-hoc sources in this test");
    }, new ZoneStore(state), published, versions.anchors(), clock, SyncPolicy.defaults());
  }

  /** Version 2 without aaa., with newtld. (unsigned) and with another DS for de. */
  private static byte[] edited(int version) {
    return versions.text(version, records -> {
      List<Record> out = new ArrayList<>();
      try {
        for (Record r : records) {
          if (r.getName().subdomain(Name.fromString("aaa."))) {
            continue;
          }
          out.add(r.getType() == Type.DS && r.getName().equals(Name.fromString("de."))
              ? Record.fromString(r.getName(), Type.DS, DClass.IN, r.getTTL(), "1 13 2 " + "AB".repeat(32), Name.root)
              : r);
        }
        out.add(Record.fromString(Name.fromString("newtld."), Type.NS, DClass.IN, 172800, "ns.newtld.", Name.root));
        out.add(Record.fromString(Name.fromString("ns.newtld."), Type.A, DClass.IN, 172800, "192.0.2.1", Name.root));
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      return out;
    });
  }

  private List<ChangeEntry> recorded() throws IOException {
    return ChangeLog.read(state).lines().stream().map(l -> ChangesJson.read(l.text())).toList();
  }

  private void syncs(ZoneSync sync, byte[] zone) {
    source.serve(zone);
    clock.advance(Duration.ofMinutes(5));
    SyncOutcome outcome = sync.sync(SyncRequest.manual(false, null, null));
    assertEquals(Result.UPDATED, outcome.result(), outcome.describe());
  }

  @Test
  void theFirstVersionStartsTheRecord() throws IOException {
    ZoneSync sync = sync(new PublishedZone());
    syncs(sync, versions.text(1));
    List<ChangeEntry> entries = recorded();
    assertEquals(1, entries.size());
    assertTrue(entries.get(0).isStart());
    assertEquals(versions.serial(1), entries.get(0).serial());
    assertEquals(6, entries.get(0).delegations());
    assertEquals(0, sync.changeCounters().tldsAdded());
  }

  @Test
  void aNewSerialRecordsWhatItChangedAndCountsIt() throws IOException {
    ZoneSync sync = sync(new PublishedZone());
    syncs(sync, versions.text(1));
    syncs(sync, edited(2));
    ChangeEntry e = recorded().get(1);
    assertEquals(versions.serial(2), e.serial());
    assertEquals(versions.serial(1), e.previous());
    ZoneDifference d = e.difference();
    assertEquals(List.of("newtld."), d.added().stream().map(a -> a.name().toString()).toList());
    assertEquals(List.of("aaa."), d.removed().stream().map(r -> r.name().toString()).toList());
    assertEquals(List.of("de."), d.changed().stream().map(c -> c.name().toString()).toList());
    assertTrue(d.dnskey().isEmpty(), "the same test key signs every version");
    assertEquals(1, sync.changeCounters().tldsAdded());
    assertEquals(1, sync.changeCounters().tldsRemoved());
    assertEquals(1, sync.changeCounters().dsAdded());
    assertEquals(2, sync.changeCounters().dsRemoved(), "aaa.'s DS and de.'s old one");
  }

  @Test
  void aSerialPublishedAgainIsNotRecordedAgain() throws IOException {
    ZoneSync sync = sync(new PublishedZone());
    syncs(sync, versions.text(1));
    syncs(sync, edited(2));
    source.serve(versions.text(1));
    assertEquals(Result.UPDATED, sync.sync(SyncRequest.manual(true, null, null)).result(), "forced back to the older serial");
    assertEquals(List.of(versions.serial(1), versions.serial(2)), recorded().stream().map(ChangeEntry::serial).toList());
  }

  @Test
  void aSyncWithoutTheZoneInMemoryComparesWithTheStoredOne() throws IOException {
    syncs(sync(new PublishedZone()), versions.text(1));
    // as refresh does with no daemon running: a new process, nothing published
    syncs(sync(new PublishedZone()), edited(2));
    ChangeEntry e = recorded().get(1);
    assertEquals(versions.serial(1), e.previous());
    assertEquals(1, e.difference().added().size());
  }

  @Test
  void aLogThatCannotBeWrittenDoesNotStopTheZone() throws IOException {
    Files.createDirectories(state.resolve(ChangeLog.FILE));
    PublishedZone published = new PublishedZone();
    syncs(sync(published), versions.text(1));
    assertEquals(versions.serial(1), published.current().orElseThrow().serial());
  }
}
