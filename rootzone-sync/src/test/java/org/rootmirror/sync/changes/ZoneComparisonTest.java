package org.rootmirror.sync.changes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.rootmirror.sync.changes.ZoneDifference.Delegation;
import org.rootmirror.sync.changes.ZoneDifference.DelegationChange;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** Comparing two versions of a small root zone written out by hand. */
class ZoneComparisonTest {
  private static final String APEX = """
      . 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. %d 1800 900 604800 86400
      . 518400 IN NS a.root-servers.net.
      """;
  private static final String KSK = ". 172800 IN DNSKEY 257 3 8 AwEAAaz/tAm8yTn4Mfeh\n";
  private static final String ZSK = ". 172800 IN DNSKEY 256 3 8 AwEAAbEbGCpGTDrahSoB\n";
  private static final String COM = """
      com. 172800 IN NS a.gtld-servers.net.
      com. 172800 IN NS b.gtld-servers.net.
      com. 86400 IN DS 19718 13 2 8ACBB0CD28F41250A80A491389424D341522D946B0DA0C0291F2D3D771D7805A
      """;
  private static final String NET = """
      net. 172800 IN NS a.gtld-servers.net.
      net. 172800 IN NS b.gtld-servers.net.
      net. 86400 IN DS 37331 13 2 2F0BEC2D6F79DFBD1D08FD21A3AF92D0E39A4B9EF1E3F4111FFF282490DA453B
      a.gtld-servers.net. 172800 IN A 192.5.6.30
      a.gtld-servers.net. 172800 IN AAAA 2001:503:a83e::2:30
      b.gtld-servers.net. 172800 IN A 192.33.14.30
      """;
  private static final String UNSIGNED = """
      plain. 172800 IN NS ns.plain.
      ns.plain. 172800 IN A 192.0.2.53
      """;

  private static Zone zone(long serial, String... parts) throws IOException {
    String text = APEX.formatted(serial) + String.join("", parts);
    return ZoneFile.parse(text.getBytes(StandardCharsets.UTF_8), "test", Name.root);
  }

  @Test
  void theSameDelegationsAndKeysUnderANewSerialDifferInNothing() throws IOException {
    ZoneDifference d = ZoneComparison.between(zone(1, KSK, COM, NET), zone(2, KSK, COM, NET));
    assertTrue(d.isEmpty(), d.toString());
  }

  @Test
  void aTtlChangeAloneIsNoChange() throws IOException {
    ZoneDifference d = ZoneComparison.between(zone(1, COM, NET), zone(2, COM.replace("86400", "3600"), NET.replace("172800", "86400")));
    assertTrue(d.isEmpty(), d.toString());
  }

  @Test
  void aNewDelegationIsAddedWithItsNsAndGlueAndNoDs() throws IOException {
    ZoneDifference d = ZoneComparison.between(zone(1, COM, NET), zone(2, COM, NET, UNSIGNED));
    assertEquals(1, d.added().size());
    Delegation plain = d.added().get(0);
    assertEquals(name("plain."), plain.name());
    assertEquals(List.of("ns.plain."), rdata(plain.ns()));
    assertEquals(List.of(), plain.ds());
    assertEquals(List.of("192.0.2.53"), rdata(plain.glue()));
    assertEquals(List.of(), d.removed());
    assertEquals(List.of(), d.changed());
    assertEquals(0, d.dsAdded());
  }

  @Test
  void aRemovedDelegationTakesItsDsAndGlueWithIt() throws IOException {
    ZoneDifference d = ZoneComparison.between(zone(1, COM, NET), zone(2, COM));
    assertEquals(List.of(name("net.")), d.removed().stream().map(Delegation::name).toList());
    assertEquals(3, d.removed().get(0).glue().size(), "the gtld-servers addresses lived under net.");
    assertEquals(1, d.dsRemoved());
    assertEquals(List.of(), d.changed(), "com. keeps its NS RRset: only the glue for it went, and that is net.'s");
  }

  @Test
  void aDsRolloverShowsOneDsAddedAndOneRemoved() throws IOException {
    String rolled = COM.replace("19718 13 2 8ACB", "21321 13 2 7ACB");
    ZoneDifference d = ZoneComparison.between(zone(1, COM, NET), zone(2, rolled, NET));
    assertEquals(1, d.changed().size());
    DelegationChange com = d.changed().get(0);
    assertEquals(name("com."), com.name());
    assertEquals(1, com.ds().added().size());
    assertEquals(1, com.ds().removed().size());
    assertTrue(com.ns().isEmpty() && com.glue().isEmpty());
    assertEquals(1, d.dsAdded());
    assertEquals(1, d.dsRemoved());
  }

  @Test
  void glueIsReportedOnceUnderTheDelegationThatHoldsIt() throws IOException {
    // a.gtld-servers.net. serves com. and net.; its address is net.'s data, and changes only there
    ZoneDifference d = ZoneComparison.between(zone(1, COM, NET), zone(2, COM, NET.replace("192.5.6.30", "192.5.6.31")));
    assertEquals(List.of(name("net.")), d.changed().stream().map(DelegationChange::name).toList());
    assertEquals(List.of("192.5.6.31"), rdata(d.changed().get(0).glue().added()));
    assertEquals(List.of("192.5.6.30"), rdata(d.changed().get(0).glue().removed()));
  }

  @Test
  void aNameServerReplacedChangesTheNsRRset() throws IOException {
    ZoneDifference d = ZoneComparison.between(zone(1, COM, NET), zone(2, COM.replace("b.gtld-servers.net.", "c.gtld-servers.net."), NET));
    DelegationChange com = d.changed().get(0);
    assertEquals(List.of("c.gtld-servers.net."), rdata(com.ns().added()));
    assertEquals(List.of("b.gtld-servers.net."), rdata(com.ns().removed()));
  }

  @Test
  void keysAddedToAndRemovedFromTheApexDnskeyRRset() throws IOException {
    ZoneDifference d = ZoneComparison.between(zone(1, KSK, COM), zone(2, ZSK, COM));
    assertEquals(List.of(257), d.dnskey().removed().stream().map(r -> ((DNSKEYRecord) r).getFlags()).toList());
    assertEquals(List.of(256), d.dnskey().added().stream().map(r -> ((DNSKEYRecord) r).getFlags()).toList());
    assertTrue(d.added().isEmpty() && d.removed().isEmpty() && d.changed().isEmpty());
  }

  @Test
  void signaturesAndNsecRecordsAreNotLookedAt() throws IOException {
    String nsec1 = "com. 86400 IN NSEC net. NS DS RRSIG NSEC\n";
    String nsec2 = "com. 86400 IN NSEC plain. NS DS RRSIG NSEC\n";
    assertTrue(ZoneComparison.between(zone(1, COM, nsec1, NET), zone(2, COM, nsec2, NET)).isEmpty());
  }

  @Test
  void zonesOfDifferentOriginsAreNotCompared() throws IOException {
    Zone root = zone(1, COM);
    Zone other = Zone.of(name("example."), List.of());
    assertThrows(IllegalArgumentException.class, () -> ZoneComparison.between(root, other));
  }

  @Test
  void delegationsAreCountedOncePerCut() throws IOException {
    assertEquals(3, ZoneComparison.delegationCount(zone(1, COM, NET, UNSIGNED)));
  }

  private static Name name(String s) throws IOException {
    return Name.fromString(s);
  }

  private static List<String> rdata(List<Record> records) {
    return records.stream().map(Record::rdataToString).toList();
  }
}
