package org.rootmirror.sync.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rootmirror.sync.server.testing.HandlerClient.query;

import org.junit.jupiter.api.Test;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.server.testing.HandlerClient;
import org.rootmirror.sync.server.testing.ServedZones;
import org.rootmirror.sync.store.PublishedZone;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The mirror's responses counted for metrics: once each, by the RCODE the client received. */
class ResponseCountersTest {
  private final PublishedZone published = new PublishedZone();
  private final RootQueryHandler handler = new RootQueryHandler(published, SmallZone.OPTIONS, null);
  private final HandlerClient client = new HandlerClient(handler);

  @Test
  void everyResponseIsCountedOnceByTheRcodeSent() {
    ask(query(".", Type.SOA)); // SERVFAIL: nothing published yet (RFC 8806 section 4)
    published.publish(ServedZones.small());
    ask(query(".", Type.SOA));
    ask(query("com.", Type.NS)); // a referral is NOERROR too
    ask(query("nosuchtld.", Type.A));
    ask(query("version.bind.", Type.TXT, DClass.HS));
    Message status = query(".", Type.SOA);
    status.getHeader().setOpcode(Opcode.STATUS);
    ask(status);
    ask(new Message()); // no question, no cookie: FORMERR
    Message badvers = query(".", Type.SOA);
    badvers.addRecord(new OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);
    ask(badvers);

    ResponseCounters counters = handler.counters();
    assertEquals(1, counters.responses(Rcode.SERVFAIL));
    assertEquals(2, counters.responses(Rcode.NOERROR));
    assertEquals(1, counters.responses(Rcode.NXDOMAIN));
    assertEquals(1, counters.responses(Rcode.REFUSED));
    assertEquals(1, counters.responses(Rcode.NOTIMP));
    assertEquals(1, counters.responses(Rcode.FORMERR));
    assertEquals(1, counters.responses(Rcode.BADVERS), "the extended RCODE, not its low four bits");
    long total = 0;
    for (int rcode = 0; rcode < ResponseCounters.RCODES; rcode++) {
      total += counters.responses(rcode);
    }
    assertEquals(8, total, "one count per response, nothing elsewhere");
  }

  @Test
  void messagesThatGetNoReplyAreNotCounted() {
    published.publish(ServedZones.small());
    Message response = query(".", Type.SOA);
    response.getHeader().setFlag(Flags.QR);
    assertTrue(client.send(response.toWire(), Transport.UDP).isEmpty());
    assertTrue(client.send(new byte[5], Transport.UDP).isEmpty());
    for (int rcode = 0; rcode < ResponseCounters.RCODES; rcode++) {
      assertEquals(0, handler.counters().responses(rcode), Rcode.string(rcode));
    }
  }

  private void ask(Message query) {
    client.ask(query);
  }
}
