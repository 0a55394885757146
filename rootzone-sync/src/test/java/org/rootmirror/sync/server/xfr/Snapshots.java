package org.rootmirror.sync.server.xfr;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.dnssec.testing.Fixtures;
import org.rootmirror.dnssec.validate.ValidationReport;
import org.rootmirror.dnssec.validate.ZoneValidator;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.rootmirror.sync.store.ZoneMetadata;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.xbill.DNS.Name;

/** Validated snapshots for transfer tests, as the sync would publish them. */
final class Snapshots {
  private static ZoneSnapshot root2026;

  private Snapshots() {}

  /**
   * The real root zone of 2026-07-31, validated with the fixture's anchors at {@link
   * Fixtures#TIME_2026}, read once; skips the calling test when the fixtures are absent.
   */
  static synchronized ZoneSnapshot root2026() throws IOException {
    var file = Fixtures.rootZone(Fixtures.ZONE_2026);
    if (root2026 == null) {
      TrustAnchors anchors = TrustAnchors.read(Fixtures.trustAnchor("root.key"));
      root2026 = validated(ZoneFile.read(file, Name.root), anchors, Fixtures.TIME_2026);
    }
    return root2026;
  }

  /** Master-file text, validated (ZONEMD required) at {@code time}. */
  static ZoneSnapshot validated(byte[] text, TrustAnchors anchors, Instant time) throws IOException {
    return validated(ZoneFile.parse(text, "test zone", Name.root), anchors, time);
  }

  static ZoneSnapshot validated(Zone zone, TrustAnchors anchors, Instant time) {
    ValidationReport report = new ZoneValidator(anchors, true).validate(zone, time);
    assertTrue(report.valid(), report::summary);
    return new ZoneSnapshot(zone, metadata(zone.soa().getSerial(), time, report), report);
  }

  static ZoneMetadata metadata(long serial, Instant fetchedAt, ValidationReport report) {
    return new ZoneMetadata(serial, URI.create("file:/test/root.zone." + serial), null, fetchedAt, report.summary(),
        report.earliestExpiry(), true, null, null);
  }
}
