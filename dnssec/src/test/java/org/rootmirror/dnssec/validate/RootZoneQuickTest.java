package org.rootmirror.dnssec.validate;

import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.dnssec.testing.Fixtures;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.xbill.DNS.Name;

class RootZoneQuickTest {
  @Test
  void quick() throws Exception {
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      Zone z = ZoneFile.read(Fixtures.rootZone(Fixtures.ZONE_2026), Name.root);
      long t1 = System.nanoTime();
      ValidationReport r = new ZoneValidator(TrustAnchors.builtIn(), true).validate(z, Fixtures.TIME_2026);
      long t2 = System.nanoTime();
      System.out.println("parse " + (t1 - t0) / 1e6 + " ms, validate " + (t2 - t1) / 1e6 + " ms");
      System.out.println(r.summary());
      r.problems().stream().limit(10).forEach(System.out::println);
    }
  }
}
