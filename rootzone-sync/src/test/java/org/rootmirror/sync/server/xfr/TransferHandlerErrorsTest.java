package org.rootmirror.sync.server.xfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rootmirror.sync.server.xfr.Handlers.LOCAL;
import static org.rootmirror.sync.server.xfr.Handlers.STRANGER;
import static org.rootmirror.sync.server.xfr.Handlers.ask;
import static org.rootmirror.sync.server.xfr.Handlers.assertHeader;
import static org.rootmirror.sync.server.xfr.Handlers.handler;
import static org.rootmirror.sync.server.xfr.Handlers.publishing;
import static org.rootmirror.sync.server.xfr.Handlers.unsigned;
import static org.rootmirror.sync.server.xfr.Handlers.withoutTrailingSoa;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.testing.TestZones;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Who may transfer, and the error answers, cheapest check first. */
@Timeout(30)
class TransferHandlerErrorsTest {
  @Test
  void aClientOutsideTheAclIsRefusedWithoutData() throws Exception {
    TransferHandler handler = handler(unsigned(TestZones.small(1)), null);
    for (Message query : List.of(Queries.axfr(11), Queries.ixfr(12, 0))) {
      Message reply = ask(handler, query, Transport.TCP, STRANGER).single();
      assertHeader(reply, query.getHeader().getID(), Rcode.REFUSED);
      assertTrue(reply.getSection(Section.ANSWER).isEmpty());
    }
  }

  @Test
  void aClientInAConfiguredPrefixMayTransfer() throws Exception {
    AddressAcl acl = AddressAcl.loopback().with(AddressAcl.parse(List.of("192.0.2.0/24", "2001:db8::/32")));
    TransferHandler handler = new TransferHandler(publishing(unsigned(TestZones.small(1))), null, acl,
        NotifyReceiver.refusingAll());

    assertEquals(Rcode.NOERROR, ask(handler, Queries.axfr(13), Transport.TCP, STRANGER).messages().get(0).getRcode());
    InetSocketAddress v6 = new InetSocketAddress("2001:db8::35", 40053);
    assertEquals(Rcode.NOERROR, ask(handler, Queries.axfr(14), Transport.TCP, v6).messages().get(0).getRcode());
    InetSocketAddress outside = new InetSocketAddress("2001:db9::35", 40053);
    assertEquals(Rcode.REFUSED, ask(handler, Queries.axfr(15), Transport.TCP, outside).single().getRcode());
  }

  @Test
  void anotherZoneIsNotAuth() throws Exception {
    Message query = Queries.query(16, Name.fromConstantString("com."), Type.AXFR);
    assertHeader(ask(handler(unsigned(TestZones.small(1)), null), query).single(), 16, Rcode.NOTAUTH);
  }

  @Test
  void anotherClassIsRefused() throws Exception {
    Message query = new Message(17);
    query.addRecord(Record.newRecord(Name.root, Type.AXFR, DClass.CH), Section.QUESTION);
    assertHeader(ask(handler(unsigned(TestZones.small(1)), null), query).single(), 17, Rcode.REFUSED);
  }

  @Test
  void nothingPublishedIsServerFailure() throws Exception {
    TransferHandler handler = new TransferHandler(new PublishedZone(), null, AddressAcl.loopback(),
        NotifyReceiver.refusingAll());
    assertHeader(ask(handler, Queries.axfr(18)).single(), 18, Rcode.SERVFAIL);
  }

  @Test
  void ednsVersion1IsBadVersion() throws Exception {
    Message reply = ask(handler(unsigned(TestZones.small(1)), null), Queries.withEdns(Queries.axfr(19), 1)).single();
    assertEquals(Rcode.BADVERS, reply.getRcode(), Rcode.string(reply.getRcode()));
    assertNotNull(reply.getOPT());
  }

  @Test
  void aResponseAndAPacketShorterThanAHeaderGetNoReply() throws Exception {
    TransferHandler handler = handler(unsigned(TestZones.small(1)), null);
    Message response = Queries.axfr(20);
    response.getHeader().setFlag(Flags.QR);
    assertTrue(ask(handler, response).wires().isEmpty());

    CollectingSink sink = new CollectingSink();
    handler.handle(ByteBuffer.wrap(new byte[11]), Transport.TCP, LOCAL, sink);
    assertTrue(sink.wires().isEmpty());
  }

  @Test
  void anUndecodableQueryIsAFormatErrorWithItsId() throws Exception {
    byte[] wire = Queries.axfr(21).toWire();
    byte[] cut = Arrays.copyOf(wire, wire.length - 2); // the question's class cut off
    CollectingSink sink = new CollectingSink();
    handler(unsigned(TestZones.small(1)), null).handle(ByteBuffer.wrap(cut), Transport.TCP, LOCAL, sink);

    assertHeader(sink.single(), 21, Rcode.FORMERR);
  }

  @Test
  void theBufferIsReadFromItsPositionAndLeftAsItWas() throws Exception {
    byte[] wire = Queries.axfr(22).toWire();
    ByteBuffer buffer = ByteBuffer.allocate(wire.length + 10);
    buffer.position(5);
    buffer.put(wire);
    buffer.position(5).limit(5 + wire.length);
    CollectingSink sink = new CollectingSink();
    handler(unsigned(TestZones.small(1)), null).handle(buffer, Transport.TCP, LOCAL, sink);

    assertEquals(5, buffer.position());
    assertEquals(Rcode.NOERROR, sink.messages().get(0).getRcode());
    assertEquals(new ArrayList<>(TestZones.recordSet(TestZones.small(1))),
        new ArrayList<>(withoutTrailingSoa(sink.answers())));
  }
}
