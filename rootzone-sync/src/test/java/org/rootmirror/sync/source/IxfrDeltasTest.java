package org.rootmirror.sync.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.sync.testing.TestZones;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

class IxfrDeltasTest {
  private static final List<Record> ZONE = TestZones.small(1);

  private static SOARecord soa(long serial) {
    return (SOARecord) TestZones.withSerial(ZONE, serial).get(0);
  }

  private static Record record(String text) {
    return TestZones.parse(text).get(0);
  }

  @Test
  void eachDifferenceDeletesThenAdds() throws Exception {
    // a changed TTL: the record is deleted, then added again with the new TTL
    Record old = record("aaa. 172800 IN NS ns1.aaa.");
    Record changed = record("aaa. 3600 IN NS ns1.aaa.");
    var delta = new IxfrDeltas.Delta(soa(1), List.of(old), soa(2), List.of(changed));

    List<Record> result = IxfrDeltas.apply(ZONE, List.of(delta));

    assertEquals(soa(2), result.get(0));
    assertEquals(2, ((SOARecord) result.get(0)).getSerial());
    assertEquals(ZONE.size(), result.size());
    assertTrue(result.stream().anyMatch(r -> r.equals(changed) && r.getTTL() == 3600));
  }

  @Test
  void differencesApplyOneAfterAnother() throws Exception {
    Record ddd = record("ddd. 172800 IN NS ns1.example.");
    var add = new IxfrDeltas.Delta(soa(1), List.of(), soa(2), List.of(ddd));
    var remove = new IxfrDeltas.Delta(soa(2), List.of(ddd), soa(3), List.of());

    List<Record> result = IxfrDeltas.apply(ZONE, List.of(add, remove));

    assertEquals(TestZones.recordSet(TestZones.withSerial(ZONE, 3)), TestZones.recordSet(result));
  }

  @Test
  void differenceFromAnotherSerialDoesNotApply() {
    var delta = new IxfrDeltas.Delta(soa(5), List.of(), soa(6), List.of());

    var e = assertThrows(IxfrDeltas.Mismatch.class, () -> IxfrDeltas.apply(ZONE, List.of(delta)));
    assertTrue(e.getMessage().contains("from serial 5"), e.getMessage());
  }

  @Test
  void deletingARecordTheZoneDoesNotHoldDoesNotApply() {
    var delta = new IxfrDeltas.Delta(soa(1), List.of(record("zzz. 172800 IN NS ns1.example.")), soa(2), List.of());

    assertThrows(IxfrDeltas.Mismatch.class, () -> IxfrDeltas.apply(ZONE, List.of(delta)));
  }

  @Test
  void addingARecordTheZoneHoldsDoesNotApply() {
    var delta = new IxfrDeltas.Delta(soa(1), List.of(), soa(2), List.of(record("aaa. 172800 IN NS ns1.aaa.")));

    assertThrows(IxfrDeltas.Mismatch.class, () -> IxfrDeltas.apply(ZONE, List.of(delta)));
  }
}
