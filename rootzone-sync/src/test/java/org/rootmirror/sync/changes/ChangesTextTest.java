package org.rootmirror.sync.changes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** The readable summary: a line per serial, then a line per change. */
class ChangesTextTest {
  private static final Instant AT = Instant.parse("2026-07-31T21:00:00Z");

  private static Zone zone(String text) throws IOException {
    return ZoneFile.parse(text.getBytes(StandardCharsets.UTF_8), "test", Name.root);
  }

  @Test
  void eachChangeIsOneLineUnderTheSerial() throws IOException {
    Zone before = zone("""
        . 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 86400
        . 172800 IN DNSKEY 257 3 8 AwEAAaz/tAm8yTn4Mfeh
        old. 172800 IN NS ns.old.
        ns.old. 172800 IN A 192.0.2.1
        kept. 172800 IN NS ns1.kept.
        kept. 86400 IN DS 2 8 2 1A0B0C0D0E0F101112131415161718191A1B1C1D1E1F20212223242526272829
        """);
    Zone after = zone("""
        . 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 2 1800 900 604800 86400
        . 172800 IN DNSKEY 385 3 8 AwEAAaz/tAm8yTn4Mfeh
        kept. 172800 IN NS ns2.kept.
        kept. 86400 IN DS 3 8 2 2A0B0C0D0E0F101112131415161718191A1B1C1D1E1F20212223242526272829
        new. 172800 IN NS a.nic.new.
        new. 86400 IN DS 4 13 2 3A0B0C0D0E0F101112131415161718191A1B1C1D1E1F20212223242526272829
        a.nic.new. 172800 IN A 192.0.2.2
        """);
    ChangeEntry e = new ChangeEntry(2, 1, AT, 2, ZoneComparison.between(before, after), null);
    List<String> lines = ChangesText.lines(e);
    int oldTag = ((DNSKEYRecord) before.apex(Type.DNSKEY).get(0)).getFootprint();
    int newTag = ((DNSKEYRecord) after.apex(Type.DNSKEY).get(0)).getFootprint(); // the REVOKE bit changes the tag
    assertEquals(List.of(
        "2 (published 2026-07-31T21:00:00Z, after 1): 2 TLDs; 1 added, 1 removed, 1 changed",
        "  ~ .  DNSKEY +" + newTag + " (KSK, algorithm 8, revoked) -" + oldTag + " (KSK, algorithm 8)",
        "  + new.  TLD added: NS a.nic.new.; DS 4 13 2 3A0B0C0D...; 1 glue address",
        "  - old.  TLD removed (had NS ns.old.; no DS (unsigned); 1 glue address)",
        "  ~ kept.  NS +ns2.kept. -ns1.kept.",
        "  ~ kept.  DS +3 8 2 2A0B0C0D... -2 8 2 1A0B0C0D..."), lines);
  }

  @Test
  void aSerialThatChangedNothingIsOneLine() {
    ChangeEntry e = new ChangeEntry(2, 1, AT, 1438, ZoneDifference.NONE, null);
    assertEquals(List.of("2 (published 2026-07-31T21:00:00Z, after 1): 1438 TLDs; no change to delegations or apex keys"),
        ChangesText.lines(e));
  }

  @Test
  void theStartOfTheRecordSaysWhy() {
    ChangeEntry e = ChangeEntry.start(1, AT, 1438, "the first version recorded");
    assertEquals(List.of("1 (published 2026-07-31T21:00:00Z): 1438 TLDs; the first version recorded"), ChangesText.lines(e));
  }
}
