package org.rootmirror.sync.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class XfrClientTest {
  @Test
  void hostMayBeABracketedIpv6Literal() {
    XfrClient client = XfrClient.of(URI.create("axfr://[2001:500:200::b]:5353"), "axfr", Name.root);

    assertEquals("2001:500:200::b", client.host());
    assertEquals(5353, client.port());
  }

  @Test
  void portDefaultsTo53() {
    XfrClient client = XfrClient.of(URI.create("ixfr://lax.xfr.dns.icann.org"), "ixfr", Name.root);

    assertEquals("lax.xfr.dns.icann.org", client.host());
    assertEquals(53, client.port());
  }

  @Test
  void onlyANewerSerialByRfc1982IsWorthATransfer() {
    assertNull(XfrClient.unchanged(2026080101, 2026080100));
    assertNull(XfrClient.unchanged(5, 4294967295L));
    assertNull(XfrClient.unchanged(0, -1)); // nothing held
    assertNotNull(XfrClient.unchanged(2026080100, 2026080100));
    assertNotNull(XfrClient.unchanged(2026080099, 2026080100));
    assertNotNull(XfrClient.unchanged(4294967295L, 5));
  }
}
