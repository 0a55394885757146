package org.rootmirror.sync.changes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.xbill.DNS.Name;

/** A change entry as one JSON line, read back as it was written; damaged lines named. */
class ChangesJsonTest {
  private static final Instant AT = Instant.parse("2026-07-31T21:00:00Z");
  private static final String BEFORE = """
      . 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 2026073102 1800 900 604800 86400
      . 172800 IN DNSKEY 257 3 8 AwEAAaz/tAm8yTn4Mfeh
      gone. 172800 IN NS ns.gone.
      gone. 86400 IN DS 1 8 2 0A0B0C0D0E0F101112131415161718191A1B1C1D1E1F20212223242526272829
      ns.gone. 172800 IN A 192.0.2.1
      kept. 172800 IN NS ns1.kept.
      kept. 86400 IN DS 2 8 2 1A0B0C0D0E0F101112131415161718191A1B1C1D1E1F20212223242526272829
      ns1.kept. 172800 IN AAAA 2001:db8::1
      """;
  private static final String AFTER = """
      . 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 2026073103 1800 900 604800 86400
      . 172800 IN DNSKEY 257 3 8 AwEAAaz/tAm8yTn4Mfeh
      . 172800 IN DNSKEY 385 3 8 AwEAAbEbGCpGTDrahSoB
      kept. 172800 IN NS ns2.kept.
      kept. 86400 IN DS 3 8 2 2A0B0C0D0E0F101112131415161718191A1B1C1D1E1F20212223242526272829
      ns2.kept. 172800 IN AAAA 2001:db8::2
      new. 172800 IN NS a.nic.new.
      a.nic.new. 172800 IN A 192.0.2.2
      """;

  private static ChangeEntry entry() throws IOException {
    ZoneDifference d = ZoneComparison.between(zone(BEFORE), zone(AFTER));
    return new ChangeEntry(2026073103L, 2026073102L, AT, 2, d, null);
  }

  private static Zone zone(String text) throws IOException {
    return ZoneFile.parse(text.getBytes(StandardCharsets.UTF_8), "test", Name.root);
  }

  @Test
  void anEntryIsOneLineThatStartsWithItsSerial() throws IOException {
    String line = ChangesJson.write(entry());
    assertTrue(line.startsWith("{\"serial\":2026073103,\"previous\":2026073102,"), line);
    assertFalse(line.contains("\n"));
    assertTrue(line.contains("\"glue\":[\"a.nic.new. A 192.0.2.2\"]"), line);
    assertTrue(line.contains("\"flags\":385"), "the new key, revoked, with its flags: " + line);
  }

  @Test
  void anEntryReadsBackAsItWasWritten() throws IOException {
    ChangeEntry written = entry();
    ChangeEntry read = ChangesJson.read(ChangesJson.write(written));
    assertEquals(written, read); // records compare without their TTLs, which the line leaves out
    assertEquals(ChangesJson.write(written), ChangesJson.write(read));
  }

  @Test
  void anEntryThatComparesWithNothingKeepsItsNote() {
    ChangeEntry start = ChangeEntry.start(2026073102L, AT, 1438, "the first version recorded");
    String line = ChangesJson.write(start);
    assertTrue(line.startsWith("{\"serial\":2026073102,\"previous\":null,"), line);
    assertEquals(start, ChangesJson.read(line));
  }

  @Test
  void damagedLinesAreRefusedWithWhatIsWrong() throws IOException {
    String good = ChangesJson.write(entry());
    assertEquals("\"at\" is not a time: yesterday", message(good.replace(AT.toString(), "yesterday")));
    assertEquals("\"serial\" is not a zone serial: 4294967296", message(good.replace("2026073103", "4294967296")));
    assertTrue(message(good.substring(0, good.length() - 2)).startsWith("']' expected at the end"));
    assertTrue(message(good.replace("192.0.2.2", "192.0.2.x")).startsWith("\"glue\" holds a bad A record"));
    assertEquals("not a JSON object", message("[1,2]"));
    assertTrue(message("[".repeat(100)).startsWith("nested more than"));
  }

  private static String message(String line) {
    return assertThrows(IllegalArgumentException.class, () -> ChangesJson.read(line)).getMessage();
  }
}
