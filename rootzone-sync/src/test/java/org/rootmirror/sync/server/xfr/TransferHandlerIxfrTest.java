package org.rootmirror.sync.server.xfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rootmirror.sync.server.xfr.Handlers.LOCAL;
import static org.rootmirror.sync.server.xfr.Handlers.ask;
import static org.rootmirror.sync.server.xfr.Handlers.assertHeader;
import static org.rootmirror.sync.server.xfr.Handlers.handler;
import static org.rootmirror.sync.server.xfr.Handlers.unsigned;
import static org.rootmirror.sync.server.xfr.Handlers.withoutTrailingSoa;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.store.ZoneMetadata;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.rootmirror.sync.store.ZoneStore;
import org.rootmirror.sync.testing.TestZones;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** IXFR out (RFC 1995), the handler called directly, differences from versions in a real store. */
@Timeout(30)
class TransferHandlerIxfrTest {
  @TempDir
  Path dir;

  /** Checks the one condensed sequence of section 4 and applies it to {@code from}: the zone it leads to. */
  private Set<String> apply(List<Record> answers, List<Record> from, long fromSerial, SOARecord to) {
    String newest = to.toString();
    assertEquals(newest, answers.get(0).toString(), "the newest SOA first");
    assertEquals(newest, answers.get(answers.size() - 1).toString(), "and last");
    SOARecord older = assertInstanceOf(SOARecord.class, answers.get(1), "then the client's version's SOA");
    assertEquals(fromSerial, older.getSerial());
    int middle = -1;
    for (int i = 2; i < answers.size() - 1; i++) {
      if (answers.get(i) instanceof SOARecord) {
        assertEquals(-1, middle, "one condensed sequence: a single SOA between deletions and additions");
        middle = i;
      }
    }
    assertTrue(middle > 0, "the newer SOA between deletions and additions");
    assertEquals(newest, answers.get(middle).toString());
    List<Record> deleted = answers.subList(2, middle);
    List<Record> added = answers.subList(middle + 1, answers.size() - 1);
    assertFalse(deleted.isEmpty(), "re-signing deletes the old signatures");
    assertFalse(added.isEmpty(), "and adds the new ones");

    Set<String> zone = new HashSet<>(TestZones.recordSet(from));
    zone.remove(from.stream().filter(r -> r instanceof SOARecord).findFirst().orElseThrow().toString());
    for (Record r : deleted) {
      assertTrue(zone.remove(r.toString()), () -> "deletes what the older version does not hold: " + r);
    }
    for (Record r : added) {
      assertTrue(zone.add(r.toString()), () -> "adds what the older version holds already: " + r);
    }
    zone.add(newest);
    return zone;
  }

  @Test
  void aKeptVersionGetsTheDifferenceAndApplyingItGivesTheNewVersionExactly() throws Exception {
    Versions v = Versions.get();
    TransferHandler handler = handler(v.snapshot(2), v.store(dir, 1, 2));
    CollectingSink sink = ask(handler, Queries.ixfr(77, v.serial(1)));

    for (Message m : sink.messages()) {
      assertHeader(m, 77, Rcode.NOERROR);
    }
    assertEquals(Type.IXFR, sink.messages().get(0).getQuestion().getType());
    Set<String> result = apply(sink.answers(), v.records(1), v.serial(1), v.snapshot(2).zone().soa());
    assertEquals(TestZones.recordSet(v.records(2)), result);
  }

  @Test
  void aVersionTwoBehindGetsOneCondensedDifference() throws Exception {
    Versions v = Versions.get();
    TransferHandler handler = handler(v.snapshot(3), v.store(dir, 1, 2, 3));
    CollectingSink sink = ask(handler, Queries.ixfr(78, v.serial(1)));

    Set<String> result = apply(sink.answers(), v.records(1), v.serial(1), v.snapshot(3).zone().soa());
    assertEquals(TestZones.recordSet(v.records(3)), result);
  }

  @Test
  void theSameDifferenceIsServedAgainFromTheCache() throws Exception {
    Versions v = Versions.get();
    ZoneStore store = v.store(dir, 1, 2);
    TransferHandler handler = handler(v.snapshot(2), store);
    List<byte[]> first = ask(handler, Queries.ixfr(5, v.serial(1))).wires();
    // the kept version's file is gone: only a cached difference can still be sent
    for (var kept : store.versions()) {
      Files.delete(kept.file());
    }
    List<byte[]> second = ask(handler, Queries.ixfr(5, v.serial(1))).wires();

    assertEquals(first.size(), second.size());
    for (int i = 0; i < first.size(); i++) {
      assertEquals(ByteBuffer.wrap(first.get(i)), ByteBuffer.wrap(second.get(i)));
    }
  }

  @Test
  void theCurrentSerialGetsTheSoaAlone() throws Exception {
    Versions v = Versions.get();
    CollectingSink sink = ask(handler(v.snapshot(2), v.store(dir, 1, 2)), Queries.ixfr(79, v.serial(2)));

    Message reply = sink.single();
    assertHeader(reply, 79, Rcode.NOERROR);
    assertEquals(List.of(v.snapshot(2).zone().soa().toString()),
        reply.getSection(Section.ANSWER).stream().map(Record::toString).toList());
  }

  @Test
  void aNewerSerialGetsTheSoaAloneToo() throws Exception {
    ZoneSnapshot current = unsigned(TestZones.small(5));
    Message reply = ask(handler(current, null), Queries.ixfr(80, 6)).single();

    assertEquals(List.of(current.zone().soa().toString()),
        reply.getSection(Section.ANSWER).stream().map(Record::toString).toList());
  }

  @Test
  void anUnknownSerialGetsTheWholeZone() throws Exception {
    Versions v = Versions.get();
    CollectingSink sink = ask(handler(v.snapshot(2), v.store(dir, 2)), Queries.ixfr(81, v.serial(1)));

    List<Record> answers = sink.answers();
    assertEquals(v.snapshot(2).zone().soa().toString(), answers.get(0).toString());
    assertEquals(v.snapshot(2).zone().soa().toString(), answers.get(answers.size() - 1).toString());
    assertEquals(TestZones.recordSet(v.records(2)), withoutTrailingSoa(answers));
  }

  @Test
  void withoutAStoreEveryVersionNotCurrentGetsTheWholeZone() throws Exception {
    ZoneSnapshot current = unsigned(TestZones.small(5));
    CollectingSink sink = ask(handler(current, null), Queries.ixfr(82, 4));

    assertEquals(TestZones.recordSet(TestZones.small(5)), withoutTrailingSoa(sink.answers()));
  }

  @Test
  void overUdpADifferenceThatFitsIsSentInOneDatagram() throws Exception {
    List<Record> v1 = TestZones.small(1);
    List<Record> v2 = TestZones.withSerial(TestZones.with(v1, "ddd. 172800 IN NS ns1.example."), 2);
    ZoneStore store = new ZoneStore(dir);
    store.save(text(v1), new ZoneMetadata(1, URI.create("file:/v1"), null, Instant.EPOCH, "test", Instant.EPOCH,
        false, null, null));
    CollectingSink sink = ask(handler(unsigned(v2), store), Queries.ixfr(83, 1), Transport.UDP, LOCAL);

    List<String> answers = sink.single().getSection(Section.ANSWER).stream().map(Record::toString).toList();
    String soa2 = v2.get(0).toString();
    assertEquals(List.of(soa2, v1.get(0).toString(), soa2, TestZones.parse("ddd. 172800 IN NS ns1.example.").get(0).toString(),
        soa2), answers);
  }

  @Test
  void overUdpADifferenceThatDoesNotFitIsTheSoaAloneSoTheClientAsksOverTcp() throws Exception {
    Versions v = Versions.get();
    CollectingSink sink = ask(handler(v.snapshot(2), v.store(dir, 1, 2)), Queries.ixfr(84, v.serial(1)),
        Transport.UDP, LOCAL);

    Message reply = sink.single();
    assertTrue(sink.wires().get(0).length <= 512);
    assertEquals(List.of(v.snapshot(2).zone().soa().toString()),
        reply.getSection(Section.ANSWER).stream().map(Record::toString).toList());
  }

  @Test
  void aQueryWithoutTheClientsSoaIsAFormatError() throws Exception {
    Message query = Queries.query(85, Name.root, Type.IXFR);
    assertHeader(ask(handler(unsigned(TestZones.small(1)), null), query).single(), 85, Rcode.FORMERR);
  }

  private static byte[] text(List<Record> records) {
    StringBuilder sb = new StringBuilder();
    records.forEach(r -> sb.append(r).append('\n'));
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
