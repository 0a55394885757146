package org.rootmirror.sync.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rootmirror.sync.server.testing.HandlerClient.edns;
import static org.rootmirror.sync.server.testing.HandlerClient.query;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.server.testing.HandlerClient;
import org.rootmirror.sync.store.PublishedZone;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** RFC 6891: EDNS0. */
class EdnsTest {
  private final PublishedZone published = SmallZone.published();
  private final HandlerClient client = SmallZone.client(published, SmallZone.OPTIONS);

  @Test
  void everyReplyToAnEdnsQueryCarriesAnOpt() {
    Message chaosOff = query("foo.bind.", Type.TXT, DClass.CH);
    Message notimp = query("com.", Type.NS);
    notimp.getHeader().setOpcode(Opcode.STATUS);
    for (Message m : List.of(query("www.com.", Type.A), query("nope.", Type.A), query(".", Type.A),
        query("com.", Type.DS), query(".", Type.SOA, DClass.HS), chaosOff, notimp)) {
      Message response = client.ask(edns(m, 1232, false));
      OPTRecord opt = response.getOPT();
      assertNotNull(opt, m.getQuestion().toString());
      assertEquals(1232, opt.getPayloadSize());
      assertEquals(0, opt.getVersion());
    }
  }

  @Test
  void aQueryWithoutEdnsGetsNoOpt() {
    assertNull(client.ask(query("www.com.", Type.A)).getOPT());
  }

  @Test
  void versionsAbove0GetBadvers() {
    Message m = query("www.com.", Type.A);
    m.addRecord(new OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);
    Message response = client.ask(m);
    assertEquals(Rcode.BADVERS, response.getRcode(), "RFC 6891 section 6.1.3");
    assertEquals(0, response.getOPT().getVersion());
    assertTrue(response.getSection(Section.AUTHORITY).isEmpty());
  }

  @Test
  void theDoBitIsCopiedAndBringsSignatures() {
    Message signed = client.ask(edns(query(".", Type.SOA), 1232, true));
    assertEquals(0x8000, signed.getOPT().getFlags());
    assertEquals(List.of(Type.SOA, Type.RRSIG), signed.getSection(Section.ANSWER).stream().map(Record::getType).toList());
    Message plain = client.ask(edns(query(".", Type.SOA), 1232, false));
    assertEquals(0, plain.getOPT().getFlags());
    assertEquals(List.of(Type.SOA), plain.getSection(Section.ANSWER).stream().map(Record::getType).toList());
  }

  @Test
  void theUdpLimitIsTheSmallerOfTheClientsBufferAndTheConfiguredMaximum() {
    // every signature at the apex (five P-256 signatures) and the cookies: 526 bytes
    HandlerClient small = new HandlerClient(new RootQueryHandler(published, SmallZone.OPTIONS.withMaxUdpPayload(512), null));
    Message capped = small.ask(edns(query(".", Type.RRSIG), 4096, true, new CookieOption(new byte[8])));
    assertTrue(capped.getHeader().getFlag(Flags.TC), "512 configured: the apex signatures do not fit");
    assertEquals(512, capped.getOPT().getPayloadSize());
    assertFalse(client.ask(edns(query(".", Type.RRSIG), 4096, true, new CookieOption(new byte[8]))).getHeader().getFlag(Flags.TC));
    Message tiny = client.ask(edns(query(".", Type.RRSIG), 100, true, new CookieOption(new byte[8])));
    assertTrue(tiny.getHeader().getFlag(Flags.TC), "below 512 counts as 512 (RFC 6891 section 6.2.5)");
  }

  @Test
  void overTcpAReplyMayUseTheWhole64k() {
    Message response = client.ask(edns(query(".", Type.ANY), 512, true), Transport.TCP);
    assertFalse(response.getHeader().getFlag(Flags.TC));
    assertTrue(response.toWire().length > 512);
  }
}
