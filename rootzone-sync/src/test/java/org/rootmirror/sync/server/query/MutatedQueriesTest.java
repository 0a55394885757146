package org.rootmirror.sync.server.query;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.server.testing.RecordingSink;
import org.rootmirror.sync.server.xfr.AddressAcl;
import org.rootmirror.sync.server.xfr.NotifyReceiver;
import org.rootmirror.sync.server.xfr.TransferHandler;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Whatever arrives on the socket, the handler (with transfers and NOTIFY behind it) never throws,
 * sends at most one reply over UDP, and every reply parses, keeps the query's ID and fits a UDP
 * client's limit: valid queries mutated byte by byte, truncated and extended, from a fixed seed.
 */
class MutatedQueriesTest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 5353);

  @Test
  void mutatedQueriesNeverBreakTheHandler() throws Exception {
    var published = SmallZone.published();
    var transfers = new TransferHandler(published, null, AddressAcl.loopback(), NotifyReceiver.refusingAll());
    RootQueryHandler handler = new RootQueryHandler(published, SmallZone.OPTIONS, transfers);
    Random random = new Random(1035);
    List<byte[]> seeds = List.of(
        query("www.example.", Type.A, 1232, true),
        query("nonexistent.", Type.AAAA, 512, false),
        query(".", Type.DNSKEY, 0, false),
        query(".", Type.AXFR, 0, false),
        query(".", Type.IXFR, 1232, false));
    int replies = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] wire = mutate(seeds.get(random.nextInt(seeds.size())), random);
      Transport transport = random.nextBoolean() ? Transport.UDP : Transport.TCP;
      RecordingSink sink = new RecordingSink();
      assertDoesNotThrow(() -> handler.handle(ByteBuffer.wrap(wire), transport, CLIENT, sink), () -> hex(wire));
      if (transport == Transport.UDP) {
        assertTrue(sink.messages().size() <= 1, () -> "several replies over UDP to " + hex(wire));
      }
      if (!sink.messages().isEmpty()) {
        replies++;
      }
      for (byte[] reply : sink.messages()) {
        Message m = assertDoesNotThrow(() -> new Message(reply), () -> "unparsable reply to " + hex(wire));
        assertEquals(((wire[0] & 0xff) << 8) | (wire[1] & 0xff), m.getHeader().getID(), () -> hex(wire));
        assertTrue(m.getHeader().getFlag(Flags.QR));
        if (transport == Transport.UDP) {
          assertTrue(reply.length <= 1232, () -> reply.length + " bytes over UDP for " + hex(wire));
        }
      }
    }
    assertTrue(replies > 10_000, "most mutated queries still get an answer: " + replies);
  }

  private static byte[] query(String name, int type, int payload, boolean dnssecOk) throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    if (payload > 0) {
      q.addRecord(new OPTRecord(payload, 0, 0, dnssecOk ? Flags.DO : 0), Section.ADDITIONAL);
    }
    return q.toWire();
  }

  private static byte[] mutate(byte[] seed, Random random) {
    byte[] wire;
    switch (random.nextInt(4)) {
      case 0 -> wire = java.util.Arrays.copyOf(seed, random.nextInt(seed.length + 1)); // cut short
      case 1 -> { // extended with junk
        wire = java.util.Arrays.copyOf(seed, seed.length + 1 + random.nextInt(64));
        for (int i = seed.length; i < wire.length; i++) {
          wire[i] = (byte) random.nextInt(256);
        }
      }
      default -> wire = seed.clone();
    }
    int flips = 1 + random.nextInt(4);
    for (int f = 0; f < flips && wire.length > 0; f++) {
      wire[random.nextInt(wire.length)] = (byte) random.nextInt(256);
    }
    return wire;
  }

  private static String hex(byte[] wire) {
    return java.util.HexFormat.of().formatHex(wire);
  }
}
