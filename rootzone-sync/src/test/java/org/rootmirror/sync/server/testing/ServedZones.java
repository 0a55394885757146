package org.rootmirror.sync.server.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.dnssec.testing.Fixtures;
import org.rootmirror.dnssec.testing.TestZoneSigner;
import org.rootmirror.dnssec.validate.ValidationReport;
import org.rootmirror.dnssec.validate.ZoneValidator;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zonemd.ZoneDigest;
import org.rootmirror.sync.store.ZoneMetadata;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.rootmirror.sync.testing.TestZones;
import org.xbill.DNS.DNSSEC.Algorithm;
import org.xbill.DNS.Name;

/**
 * Snapshots as the server gets them, each validated and read once per JVM: the real root zone of
 * 2026-07-31 validated at its time against the fixture's anchors, and a small root-like zone
 * signed with a test key, which needs no fixture.
 */
public final class ServedZones {
  /** When the small zone's signatures are valid: a week from this instant. */
  public static final Instant SMALL_TIME = Instant.parse("2026-08-01T00:00:00Z");

  /**
   * A root zone in miniature: com and net signed (DS), aaa unsigned with in-domain glue, zz
   * unsigned with its name server outside the zone, and the root servers' addresses as glue
   * under net, as in the real zone.
   */
  public static final String SMALL_TEXT = """
      .                   86400  IN SOA  a.root-servers.net. nstld.verisign-grs.com. 2026073102 1800 900 604800 86400
      .                   518400 IN NS   a.root-servers.net.
      .                   518400 IN NS   b.root-servers.net.
      aaa.                172800 IN NS   ns1.aaa.
      aaa.                172800 IN NS   ns2.aaa.
      ns1.aaa.            172800 IN A    192.0.2.1
      ns2.aaa.            172800 IN AAAA 2001:db8::2
      com.                172800 IN NS   a.gtld-servers.net.
      com.                172800 IN NS   b.gtld-servers.net.
      com.                86400  IN DS   19718 13 2 8ACBB0CD28F41250A80A491389424D341522D946B0DA0C0291F2D3D771D7805A
      net.                172800 IN NS   a.gtld-servers.net.
      net.                172800 IN NS   b.gtld-servers.net.
      net.                86400  IN DS   37331 13 2 2F0BEC2D6F79DFBD1D08FD21A3AF92D0E39A4B9EF1E3F4111FFF282490DA453B
      a.gtld-servers.net. 172800 IN A    192.5.6.30
      a.gtld-servers.net. 172800 IN AAAA 2001:503:a83e::2:30
      b.gtld-servers.net. 172800 IN A    192.33.14.30
      a.root-servers.net. 518400 IN A    198.41.0.4
      a.root-servers.net. 518400 IN AAAA 2001:503:ba3e::2:30
      b.root-servers.net. 518400 IN A    170.247.170.2
      zz.                 172800 IN NS   ns1.example.org.
      """;

  private static ZoneSnapshot root2026;
  private static ZoneSnapshot small;

  private ServedZones() {}

  /** The real 2026 root zone, validated; skips the calling test when the fixtures are absent. */
  public static synchronized ZoneSnapshot root2026() throws IOException {
    if (root2026 == null) {
      Zone zone = TestZones.root2026();
      TrustAnchors anchors = TrustAnchors.read(Fixtures.trustAnchor("root.key"));
      root2026 = snapshot(zone, new ZoneValidator(anchors, true).validate(zone, Fixtures.TIME_2026));
    }
    return root2026;
  }

  /** The small zone, signed with a fresh ECDSA key and a ZONEMD, validated at {@link #SMALL_TIME}. */
  public static synchronized ZoneSnapshot small() {
    if (small == null) {
      TestZoneSigner.SignedZone signed = TestZoneSigner.generate(Name.root, Algorithm.ECDSAP256SHA256)
          .validity(SMALL_TIME.minus(Duration.ofDays(1)), SMALL_TIME.plus(Duration.ofDays(7)))
          .zonemd(ZoneDigest.HASH_SHA384)
          .sign(TestZones.parse(SMALL_TEXT));
      Zone zone = signed.zone();
      small = snapshot(zone, new ZoneValidator(signed.anchors(), true).validate(zone, SMALL_TIME));
    }
    return small;
  }

  /** Wraps a zone that validated, as the sync does before publishing it. */
  public static ZoneSnapshot snapshot(Zone zone, ValidationReport report) {
    assertTrue(report.valid(), report.summary());
    ZoneMetadata metadata = new ZoneMetadata(report.serial(), URI.create("file:/fixtures/root.zone"), null,
        report.validationTime(), report.summary(), report.earliestExpiry(), true, null, null);
    return new ZoneSnapshot(zone, metadata, report);
  }
}
