package org.rootmirror.sync.accept;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.dnssec.anchor.TrustAnchor;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.dnssec.rollover.KeyState;
import org.rootmirror.dnssec.testing.TestZoneSigner;
import org.rootmirror.sync.source.FileSource;
import org.rootmirror.sync.store.ManagedKeysStore;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneStore;
import org.rootmirror.sync.testing.TestZones;
import org.xbill.DNS.DNSSEC.Algorithm;
import org.xbill.DNS.Name;

/** The sync's trust anchors kept in the state directory and moved on by each zone it accepts (RFC 5011). */
class AnchorTrackingTest {
  private static final Instant NOW = Instant.parse("2027-03-01T00:00:00Z");

  @TempDir Path dir;
  private final KeyPair ksk = TestZoneSigner.newKeyPair(Algorithm.ECDSAP256SHA256);
  private final KeyPair other = TestZoneSigner.newKeyPair(Algorithm.ECDSAP256SHA256);
  private final KeyPair zsk = TestZoneSigner.newKeyPair(Algorithm.ECDSAP256SHA256);

  @Test
  void aZoneAcceptedMakesItsAnchoredKeyValidAndTheStateSurvivesARestart() throws Exception {
    TestZoneSigner.SignedZone zone = signed(ksk, 1);
    Path state = dir.resolve("state");
    AnchorTracking tracking = AnchorTracking.open(state, zone.anchors());
    assertFalse(tracking.keys().started());
    assertEquals(SyncOutcome.Result.UPDATED, sync(tracking, zone).result());

    assertTrue(Files.exists(state.resolve(ManagedKeysStore.FILE)));
    AnchorTracking reopened = AnchorTracking.open(state, zone.anchors());
    assertEquals(List.of(KeyState.VALID), reopened.keys().keys().stream().map(k -> k.state()).toList());
    assertEquals(List.of(zone.ds().getFootprint()), reopened.trusted().all().stream().map(TrustAnchor::keyTag).toList());
  }

  @Test
  void aKeyThatIsNotTrustedYetCannotCarryAZone() throws Exception {
    Path state = dir.resolve("state");
    AnchorTracking tracking = AnchorTracking.open(state, signed(ksk, 1).anchors());
    assertEquals(SyncOutcome.Result.UPDATED, sync(tracking, signed(ksk, 1)).result());
    // a zone signed by another key alone: that key was never in a validated DNSKEY RRset
    ZoneSync sync = zoneSync(tracking, signed(other, 2));
    SyncOutcome refused = sync.sync(SyncRequest.SCHEDULED);
    assertEquals(SyncOutcome.Result.FAILED, refused.result(), refused.describe());
    assertEquals(java.util.Map.of(SyncCounters.INVALID, 1L), sync.counters().snapshot().values().iterator().next(),
        "refused by validation");
  }

  @Test
  void otherConfiguredAnchorsStartTheTrackingAgain() throws Exception {
    Path state = dir.resolve("state");
    AnchorTracking first = AnchorTracking.open(state, signed(ksk, 1).anchors());
    sync(first, signed(ksk, 1));
    TrustAnchors changed = signed(other, 1).anchors();
    AnchorTracking again = AnchorTracking.open(state, changed);
    assertFalse(again.keys().started(), "the operator's new anchors win over the state");
    assertEquals(changed.fingerprint(), again.trusted().fingerprint());
  }

  @Test
  void anchorsInstalledByAnotherProcessAreTakenAtTheNextSyncAndKeptAcrossARestart() throws Exception {
    Path state = dir.resolve("state");
    TrustAnchors configured = signed(ksk, 1).anchors();
    AnchorTracking running = AnchorTracking.open(state, configured);
    assertEquals(SyncOutcome.Result.UPDATED, sync(running, signed(ksk, 1)).result());
    // the root moved to another key meanwhile; `anchor update` installs it from IANA's signed file
    TrustAnchors verified = signed(other, 1).anchors();
    AnchorTracking.install(state, configured, verified);
    SyncOutcome next = sync(running, signed(other, 2));
    assertEquals(SyncOutcome.Result.UPDATED, next.result(), next.describe());
    AnchorTracking restarted = AnchorTracking.open(state, configured);
    assertEquals(List.of(verified.all().get(0).keyTag()), restarted.trusted().all().stream().map(TrustAnchor::keyTag).toList());
    assertEquals(List.of(KeyState.VALID), restarted.keys().keys().stream().map(k -> k.state()).toList());
  }

  @Test
  void aDamagedStateFileStopsTheSyncWithAMessageSayingHowToStartAgain() throws Exception {
    Path state = Files.createDirectories(dir.resolve("state"));
    Files.writeString(state.resolve(ManagedKeysStore.FILE), ". 172800 IN DNSKEY 257 3 13 AAAA ;state=Sleeping\n");
    IOException e = assertThrows(IOException.class, () -> AnchorTracking.open(state, signed(ksk, 1).anchors()));
    assertTrue(e.getMessage().contains(ManagedKeysStore.FILE + ":1: "), e.getMessage());
    assertTrue(e.getMessage().contains("remove " + state.resolve(ManagedKeysStore.FILE)), e.getMessage());
  }

  @Test
  void fixedAnchorsWriteNothing() throws Exception {
    AnchorTracking fixed = AnchorTracking.fixed(signed(ksk, 1).anchors());
    assertEquals(SyncOutcome.Result.UPDATED, sync(fixed, signed(ksk, 1)).result());
    assertFalse(Files.exists(dir.resolve("state").resolve(ManagedKeysStore.FILE)));
    assertFalse(fixed.keys().started());
  }

  private SyncOutcome sync(AnchorTracking tracking, TestZoneSigner.SignedZone zone) throws IOException {
    return zoneSync(tracking, zone).sync(SyncRequest.SCHEDULED);
  }

  private ZoneSync zoneSync(AnchorTracking tracking, TestZoneSigner.SignedZone zone) throws IOException {
    Path file = zone.write(dir.resolve("root.zone." + zone.zone().soa().getSerial()));
    return new ZoneSync(List.of(new FileSource(file.toUri())), uri -> {
      throw new IllegalArgumentException("no ad-hoc sources");
    }, new ZoneStore(dir.resolve("state")), new PublishedZone(), tracking, Clock.fixed(NOW, ZoneOffset.UTC), SyncPolicy.defaults());
  }

  private TestZoneSigner.SignedZone signed(KeyPair key, long serial) {
    return TestZoneSigner.withKeys(Name.root, Algorithm.ECDSAP256SHA256, key, zsk)
        .validity(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(14)))
        .sign(TestZones.small(serial));
  }

}
