package org.rootmirror.sync.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The .meta file: plain properties an operator can read, and nothing partial taken for whole. */
class ZoneStoreMetadataTest {
  private static final ZoneMetadata FULL = new ZoneMetadata(2026073102L,
      URI.create("https://www.internic.net/domain/root.zone"), Sha256.hex(new byte[] {1}),
      Instant.parse("2026-08-01T00:00:00Z"), "valid: 1452 RRsets", Instant.parse("2026-08-13T20:00:00Z"),
      true, "\"6617a0b2-22e7c0\"", Instant.parse("2026-07-31T18:51:03Z"));

  @Test
  void theFileIsPropertiesWithStableKeysAndIsoTimes() throws IOException {
    String text = new String(MetadataFile.format(FULL, "root.zone.2026073102"), StandardCharsets.US_ASCII);
    assertEquals(List.of(
        "# rootmirror: metadata of root.zone.2026073102",
        "serial=2026073102",
        "source=https://www.internic.net/domain/root.zone",
        "fetched=2026-08-01T00:00:00Z",
        "validation=valid: 1452 RRsets",
        "earliest-expiry=2026-08-13T20:00:00Z",
        "zonemd-verified=true",
        "etag=\"6617a0b2-22e7c0\"",
        "modified=2026-07-31T18:51:03Z",
        "sha256=" + FULL.sha256()), text.lines().toList());
    Properties p = new Properties();
    p.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
    assertEquals(Set.of("serial", "source", "fetched", "validation", "earliest-expiry", "zonemd-verified", "etag",
        "modified", "sha256"), p.stringPropertyNames());
  }

  @Test
  void theTrustAnchorsAZoneWasValidatedWithRoundTripAndOlderFilesHaveNone() throws Exception {
    ZoneMetadata withAnchors = new ZoneMetadata(FULL.serial(), FULL.source(), FULL.sha256(), FULL.fetchedAt(), FULL.validation(),
        FULL.earliestExpiry(), true, null, null, Sha256.hex(new byte[] {2}));
    String text = new String(MetadataFile.format(withAnchors, "root.zone.2026073102"), StandardCharsets.US_ASCII);
    assertTrue(text.contains("\nanchors=" + withAnchors.anchors() + "\n"), text);
    assertEquals(withAnchors, MetadataFile.parse(MetadataFile.format(withAnchors, "root.zone.2026073102")));
    assertEquals(null, MetadataFile.parse(MetadataFile.format(FULL, "root.zone.2026073102")).anchors());
  }

  @Test
  void awkwardTextAndAbsentValidatorsRoundTrip() throws Exception {
    ZoneMetadata awkward = new ZoneMetadata(0, URI.create("file:/var/tmp/root%20zone"), FULL.sha256(),
        Instant.parse("2026-08-01T00:00:00.123456789Z"),
        "  bogus: RRSIG = expired\n\tline two # not a comment \\ é ✓ \uD83D\uDD11 ", FULL.earliestExpiry(),
        false, null, null);
    assertEquals(awkward, MetadataFile.parse(MetadataFile.format(awkward, "root.zone.0")));
    ZoneMetadata empty = new ZoneMetadata(4294967295L, FULL.source(), FULL.sha256(), FULL.fetchedAt(), "",
        FULL.earliestExpiry(), true, "", FULL.modified());
    assertEquals(empty, MetadataFile.parse(MetadataFile.format(empty, "root.zone.4294967295")));
  }

  @Test
  void aFileCutShortAnywhereIsRefused() throws Exception {
    byte[] whole = MetadataFile.format(FULL, "root.zone.2026073102");
    // everything but the last newline is needed
    assertEquals(FULL, MetadataFile.parse(Arrays.copyOf(whole, whole.length - 1)));
    for (int n = 0; n < whole.length - 1; n++) {
      byte[] cut = Arrays.copyOf(whole, n);
      assertThrows(MetadataFile.BadMetadataException.class, () -> MetadataFile.parse(cut), "cut at " + n);
    }
  }

  @Test
  void unknownKeysAreIgnored() throws Exception {
    byte[] whole = MetadataFile.format(FULL, "root.zone.2026073102");
    byte[] more = ("future-key=something\n" + new String(whole, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
    assertEquals(FULL, MetadataFile.parse(more));
  }
}
