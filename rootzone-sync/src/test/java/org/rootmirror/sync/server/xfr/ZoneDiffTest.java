package org.rootmirror.sync.server.xfr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.sync.testing.TestZones;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

class ZoneDiffTest {
  private static List<String> text(List<Record> records) {
    return records.stream().map(Record::toString).toList();
  }

  @Test
  void deletionsAndAdditionsComeInCanonicalOrderWithoutTheSoa() {
    List<Record> older = TestZones.small(1);
    List<Record> newer = TestZones.withSerial(TestZones.with(TestZones.without(older, Name.fromConstantString("bbb.")),
        "zzz. 172800 IN NS ns1.example.\naab. 172800 IN NS ns1.example."), 2);

    ZoneDiff diff = ZoneDiff.between(older, newer);

    assertEquals(text(TestZones.parse("""
        bbb.     172800 IN NS   ns1.bbb.
        bbb.     86400  IN DS   12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF
        ns1.bbb. 172800 IN AAAA 2001:db8::1
        """)), text(diff.deleted()));
    assertEquals(text(TestZones.parse("aab. 172800 IN NS ns1.example.\nzzz. 172800 IN NS ns1.example.\n")),
        text(diff.added()));
  }

  @Test
  void aChangedTtlIsADeletionAndAnAddition() {
    List<Record> older = TestZones.parse("ccc. 172800 IN NS ns1.example.\n");
    List<Record> newer = TestZones.parse("ccc. 3600 IN NS ns1.example.\n");

    ZoneDiff diff = ZoneDiff.between(older, newer);

    assertEquals(text(older), text(diff.deleted()));
    assertEquals(text(newer), text(diff.added()));
  }

  @Test
  void repeatsAndNameCaseAreNoDifference() {
    List<Record> older = TestZones.parse("ccc. 172800 IN NS ns1.example.\nccc. 172800 IN NS ns1.example.\n");
    List<Record> newer = TestZones.parse("CCC. 172800 IN NS NS1.example.\n");

    assertEquals(0, ZoneDiff.between(older, newer).size());
  }
}
