package org.rootmirror.sync.server.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.rootmirror.dnssec.testing.Fixtures;
import org.rootmirror.dnssec.testing.TestZoneSigner;
import org.rootmirror.dnssec.validate.ValidationReport;
import org.rootmirror.dnssec.validate.ZoneValidator;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.sync.server.testing.ServedZones;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The real root zone of 2026-07-31 re-signed with test keys (with a fresh ZONEMD), valid from an
 * hour ago for a week so that resolvers checking signatures against the real clock accept it,
 * validated and ready to serve; and the DS of its test KSK, the only trust anchor the resolvers
 * under test are given. Made once per test run, on first use, so that tests skipped for a
 * missing tool do not pay for it. {@code rootServers} are the addresses of the root's name
 * servers, the real ones, from the glue in the zone.
 */
record ResignedRoot(ZoneSnapshot snapshot, DSRecord ds, Set<InetAddress> rootServers) {
  private static ResignedRoot made;

  static synchronized ResignedRoot get() throws IOException {
    if (made == null) {
      Instant now = Instant.now();
      TestZoneSigner.SignedZone signed = TestZoneSigner.resign(Fixtures.rootZone(Fixtures.ZONE_2026),
          now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7)));
      ValidationReport report = new ZoneValidator(signed.anchors(), true).validate(signed.zone(), now);
      made = new ResignedRoot(ServedZones.snapshot(signed.zone(), report), signed.ds(), rootServers(signed.zone()));
    }
    return made;
  }

  private static Set<InetAddress> rootServers(Zone zone) {
    Set<InetAddress> addresses = new HashSet<>();
    for (Record ns : zone.apex(Type.NS)) {
      for (int type : new int[] {Type.A, Type.AAAA}) {
        RRset glue = zone.rrset(((NSRecord) ns).getTarget(), type);
        if (glue != null) {
          glue.rrs(false).forEach(r -> addresses.add(r instanceof ARecord a ? a.getAddress() : ((AAAARecord) r).getAddress()));
        }
      }
    }
    return Set.copyOf(addresses);
  }

  /** The DS as presentation-format RDATA ({@code tag algorithm digest-type digest}). */
  String dsRdata() {
    return ds.rdataToString();
  }

  /** The DS as a BIND {@code trust-anchors} entry: {@code . static-ds tag algorithm digest-type "HEX";}. */
  String bindStaticDs() {
    StringBuilder hex = new StringBuilder();
    for (byte b : ds.getDigest()) {
      hex.append("%02X".formatted(b & 0xFF));
    }
    return ". static-ds %d %d %d \"%s\";".formatted(ds.getFootprint(), ds.getAlgorithm(), ds.getDigestID(), hex);
  }
}
