package org.rootmirror.sync.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rootmirror.sync.server.testing.HandlerClient.query;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.sync.server.QueryHandler;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.server.testing.HandlerClient;
import org.rootmirror.sync.server.testing.RecordingSink;
import org.rootmirror.sync.store.PublishedZone;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** RFC 1035 section 4.1.1: the header decides first. */
class HeaderChecksTest {
  private final PublishedZone published = SmallZone.published();
  private final HandlerClient client = SmallZone.client(published, SmallZone.OPTIONS);

  @Test
  void responsesGetNoReply() {
    Message m = query("com.", Type.NS);
    m.getHeader().setFlag(Flags.QR);
    assertTrue(client.send(m.toWire(), Transport.UDP).isEmpty());
  }

  @Test
  void packetsShorterThanAHeaderGetNoReply() {
    byte[] wire = query("com.", Type.NS).toWire();
    assertTrue(client.send(Arrays.copyOf(wire, 11), Transport.UDP).isEmpty());
    assertTrue(client.send(new byte[0], Transport.UDP).isEmpty());
  }

  @Test
  void unknownOpcodesGetNotimpWithTheirOpcodeAndId() {
    for (int opcode : new int[] {Opcode.IQUERY, Opcode.STATUS, 3, Opcode.UPDATE, 6, 15}) {
      Message m = query("com.", Type.SOA);
      m.getHeader().setOpcode(opcode);
      Message response = client.ask(m);
      assertEquals(Rcode.NOTIMP, response.getRcode(), "opcode " + opcode);
      assertEquals(opcode, response.getHeader().getOpcode());
      assertTrue(response.getHeader().getFlag(Flags.QR));
    }
  }

  @Test
  void notifyWithoutATransferHandlerIsNotimp() {
    Message m = query(".", Type.SOA);
    m.getHeader().setOpcode(Opcode.NOTIFY);
    assertEquals(Rcode.NOTIMP, client.ask(m).getRcode());
  }

  @Test
  void notifyAndTransfersGoToTheTransferHandler() {
    List<String> seen = new ArrayList<>();
    QueryHandler transfers = (query, transport, from, out) -> {
      Message m = new Message(query);
      seen.add(Opcode.string(m.getHeader().getOpcode()) + " " + Type.string(m.getQuestion().getType()) + " " + transport);
    };
    HandlerClient withTransfers = new HandlerClient(new RootQueryHandler(published, SmallZone.OPTIONS, transfers));
    Message notify = query(".", Type.SOA);
    notify.getHeader().setOpcode(Opcode.NOTIFY);
    withTransfers.send(notify.toWire(), Transport.UDP);
    withTransfers.send(query(".", Type.AXFR).toWire(), Transport.TCP);
    withTransfers.send(query(".", Type.IXFR).toWire(), Transport.UDP);
    assertEquals(List.of("NOTIFY SOA UDP", "QUERY AXFR TCP", "QUERY IXFR UDP"), seen);
  }

  @Test
  void transfersWithoutATransferHandlerAreRefused() {
    assertEquals(Rcode.REFUSED, client.ask(query(".", Type.AXFR), Transport.TCP).getRcode());
    assertEquals(Rcode.REFUSED, client.ask(query(".", Type.IXFR)).getRcode());
  }

  @Test
  void rdAndCdAreCopiedAndRaAndAdStayClear() {
    Message m = query("www.com.", Type.A);
    m.getHeader().setFlag(Flags.CD);
    m.getHeader().setFlag(Flags.AD);
    Message response = client.ask(m);
    assertTrue(response.getHeader().getFlag(Flags.RD));
    assertTrue(response.getHeader().getFlag(Flags.CD), "RFC 4035 section 3.1.6");
    assertFalse(response.getHeader().getFlag(Flags.RA));
    assertFalse(response.getHeader().getFlag(Flags.AD));
    Message noRd = query("www.com.", Type.A);
    noRd.getHeader().unsetFlag(Flags.RD);
    assertFalse(client.ask(noRd).getHeader().getFlag(Flags.RD));
  }

  @Test
  void queriesInDirectAndOffsetBuffersAreRead() throws IOException {
    RootQueryHandler handler = new RootQueryHandler(published, SmallZone.OPTIONS, null);
    byte[] wire = query("www.com.", Type.A).toWire();
    ByteBuffer direct = ByteBuffer.allocateDirect(wire.length + 7).position(7);
    direct.put(wire).position(7);
    ByteBuffer offset = ByteBuffer.wrap(SmallZone.concat(new byte[5], wire), 5, wire.length).slice();
    for (ByteBuffer buffer : List.of(direct, offset)) {
      RecordingSink sink = new RecordingSink();
      handler.handle(buffer, Transport.UDP, HandlerClient.CLIENT, sink);
      Message response = new Message(sink.messages().get(0));
      assertEquals(Name.fromConstantString("com."), response.getSection(Section.AUTHORITY).get(0).getName());
    }
  }
}
