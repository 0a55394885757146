package org.rootmirror.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.sync.server.limit.RateLimitOptions;
import org.rootmirror.sync.server.net.ServerNetOptions;

/** Response rate limiting applies by default exactly when the mirror can be reached from beyond this host. */
class MirrorServiceOptionsTest {
  private static MirrorService.Options listeningOn(String... addresses) throws Exception {
    List<InetAddress> list = new ArrayList<>();
    for (String a : addresses) {
      list.add(InetAddress.getByName(a));
    }
    return MirrorService.Options.defaults().withNet(ServerNetOptions.defaults().withAddresses(list));
  }

  @Test
  void onLoopbackAloneNothingIsLimited() throws Exception {
    assertEquals(RateLimitOptions.defaults(), MirrorService.Options.defaults().rateLimit());
    assertFalse(MirrorService.Options.defaults().rateLimited(), "127.12.12.12 and ::1, the RFC 8806 default");
    assertFalse(listeningOn("127.0.0.1", "::1").rateLimited());
  }

  @Test
  void listeningOnAnyOtherAddressTurnsItOnUnlessItIsOff() throws Exception {
    assertTrue(listeningOn("127.0.0.1", "192.0.2.53").rateLimited());
    assertTrue(listeningOn("0.0.0.0").rateLimited(), "the wildcard reaches every interface");
    assertTrue(listeningOn("::").rateLimited());
    assertFalse(listeningOn("192.0.2.53").withRateLimit(RateLimitOptions.off()).rateLimited());
  }
}
