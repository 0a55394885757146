package org.rootmirror.dnssec.validate;

import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.dnssec.testing.Fixtures;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.rootmirror.dnssec.zonemd.ZoneDigest;
import org.xbill.DNS.Name;

class RootZoneQuickTest {
  @Test
  void quick() throws Exception {
    Zone z = ZoneFile.read(Fixtures.rootZone(Fixtures.ZONE_2026), Name.root);
    for (int i = 0; i < 8; i++) {
      long t0 = System.nanoTime();
      ZoneShape shape = ZoneShape.of(z);
      long t1 = System.nanoTime();
      KeyTrust trust = KeyTrust.check(z, TrustAnchors.builtIn(), Fixtures.TIME_2026);
      long t2 = System.nanoTime();
      SignatureCheck.run(z, shape, new RRsetVerifier(z.origin(), trust.zoneKeys, Fixtures.TIME_2026));
      long t3 = System.nanoTime();
      NsecChainCheck.run(z, shape);
      long t4 = System.nanoTime();
      ZoneDigest.compute(z.origin(), z.records(), 1);
      long t5 = System.nanoTime();
      System.out.printf("shape %.1f trust %.1f sigs %.1f nsec %.1f zonemd %.1f%n", (t1-t0)/1e6,(t2-t1)/1e6,(t3-t2)/1e6,(t4-t3)/1e6,(t5-t4)/1e6);
    }
  }
}
