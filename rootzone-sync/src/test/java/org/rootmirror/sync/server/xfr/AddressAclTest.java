package org.rootmirror.sync.server.xfr;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressAclTest {
  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @Test
  void loopbackAllowsAll127AndIpv6LoopbackOnly() throws Exception {
    AddressAcl acl = AddressAcl.loopback();
    assertTrue(acl.allows(ip("127.0.0.1")));
    assertTrue(acl.allows(ip("127.12.12.12")));
    assertTrue(acl.allows(ip("::1")));
    assertFalse(acl.allows(ip("128.0.0.1")));
    assertFalse(acl.allows(ip("::2")));
    assertFalse(acl.allows(ip("192.0.2.1")));
  }

  @Test
  void prefixesMatchTheirLeadingBitsInTheirOwnFamily() throws Exception {
    AddressAcl acl = AddressAcl.parse(List.of("192.0.2.128/25", "2001:db8:1::/48", "198.51.100.7"));
    assertTrue(acl.allows(ip("192.0.2.200")));
    assertFalse(acl.allows(ip("192.0.2.127")));
    assertTrue(acl.allows(ip("2001:db8:1:ffff::1")));
    assertFalse(acl.allows(ip("2001:db8:2::1")));
    assertTrue(acl.allows(ip("198.51.100.7")));
    assertFalse(acl.allows(ip("198.51.100.8")));
    assertFalse(acl.allows(ip("::ffff:c633:6408")), "an IPv4-mapped address is the IPv4 one, not in the list");
  }

  @Test
  void aZeroLengthPrefixAllowsItsWholeFamily() throws Exception {
    AddressAcl acl = AddressAcl.parse(List.of("0.0.0.0/0"));
    assertTrue(acl.allows(ip("203.0.113.9")));
    assertFalse(acl.allows(ip("2001:db8::1")));
  }

  @Test
  void withAddsToTheList() throws Exception {
    AddressAcl acl = AddressAcl.loopback().with(AddressAcl.parse(List.of("10.0.0.0/8")));
    assertTrue(acl.allows(ip("10.1.2.3")));
    assertTrue(acl.allows(ip("127.0.0.1")));
    assertFalse(AddressAcl.none().allows(ip("127.0.0.1")));
  }

  @Test
  void namesBadLengthsAndHostBitsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> AddressAcl.parse(List.of("localhost")));
    assertThrows(IllegalArgumentException.class, () -> AddressAcl.parse(List.of("192.0.2.0/33")));
    assertThrows(IllegalArgumentException.class, () -> AddressAcl.parse(List.of("2001:db8::/129")));
    assertThrows(IllegalArgumentException.class, () -> AddressAcl.parse(List.of("192.0.2.0/x")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AddressAcl.parse(List.of("192.0.2.1/24")));
    assertTrue(e.getMessage().contains("192.0.2.0/24"), e.getMessage());
  }
}
