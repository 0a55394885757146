package org.rootmirror.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the resolver listens when the host has no IPv6 loopback. */
class ResolverOptionsTest {
  private static final InetSocketAddress V4 = new InetSocketAddress("127.0.0.1", 53);
  private static final InetSocketAddress V6 = new InetSocketAddress("::1", 53);

  @Test
  void theDefaultLeavesIpv6OutOnAHostWithoutIt() {
    assertEquals(List.of(V4), ResolverOptions.listenable(List.of(V4, V6), true, false));
    assertEquals(List.of(V4, V6), ResolverOptions.listenable(List.of(V4, V6), true, true));
  }

  @Test
  void anAddressTheOperatorAskedForIsKeptEvenWithoutIpv6() {
    // it must then bind or fail the start, naming the address
    assertEquals(List.of(V4, V6), ResolverOptions.listenable(List.of(V4, V6), false, false));
  }
}
