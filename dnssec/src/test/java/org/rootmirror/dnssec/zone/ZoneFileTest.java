package org.rootmirror.dnssec.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.testing.Fixtures;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

class ZoneFileTest {
  @ParameterizedTest
  @ValueSource(strings = {Fixtures.ZONE_2026, Fixtures.ZONE_2019, Fixtures.ZONE_2014})
  void parallelParseGivesTheSameRecordsAsDnsjavaInOneThread(String fixture) throws IOException {
    byte[] text = Files.readAllBytes(Fixtures.rootZone(fixture));
    assertNotNull(RecordBoundaries.split(text, 4), "the root zone can be cut");
    List<Record> expected = new ArrayList<>();
    try (Master m = new Master(new ByteArrayInputStream(text), Name.root)) {
      for (Record r; (r = m.nextRecord()) != null; ) {
        expected.add(r);
      }
    }
    List<Record> actual = ZoneFile.parse(text, fixture, Name.root).records();
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      Record e = expected.get(i);
      Record a = actual.get(i);
      assertEquals(e, a, "record " + i);
      assertEquals(e.getTTL(), a.getTTL(), "TTL of record " + i);
    }
  }

  @Test
  void cutsFallOnlyWhereAnOwnerIsNamedOutsideParentheses() {
    String text = "a. 1 IN TXT ( \"x\"\nb. 1 IN TXT \"y\" )\n c 1 IN A 192.0.2.1\nd. 1 IN TXT \"(\" \n";
    int[] cuts = RecordBoundaries.split(text.getBytes(StandardCharsets.US_ASCII), 8);
    assertNotNull(cuts);
    // the only places a piece may start: offset 0 and the line of d.
    for (int i = 1; i < cuts.length - 1; i++) {
      assertEquals(text.indexOf("d."), cuts[i]);
    }
  }

  @Test
  void textWithDirectivesIsNotCut() {
    byte[] text = "$TTL 3600\na. IN A 192.0.2.1\nb. IN A 192.0.2.2\n".getBytes(StandardCharsets.US_ASCII);
    assertNull(RecordBoundaries.split(text, 2));
  }

  @Test
  void parseErrorNamesTheLine() {
    String text = "example. 3600 IN SOA ns admin 1 2 3 4 5\nexample. 3600 IN NS ns\nns 3600 IN A 192.0.2.300\n";
    ZoneParseException e = assertThrows(ZoneParseException.class, () -> parse(text));
    assertEquals(3, e.line(), e.getMessage());
    assertTrue(e.getMessage().startsWith("test:3: "), e.getMessage());
  }

  @Test
  void includeDirectiveIsRefused() {
    String text = "example. 3600 IN SOA ns admin 1 2 3 4 5\n$INCLUDE /etc/passwd\n";
    ZoneParseException e = assertThrows(ZoneParseException.class, () -> parse(text));
    assertEquals(2, e.line(), e.getMessage());
  }

  private static Zone parse(String text) throws IOException {
    return ZoneFile.parse(text.getBytes(StandardCharsets.UTF_8), "test", Name.fromConstantString("example."));
  }
}
