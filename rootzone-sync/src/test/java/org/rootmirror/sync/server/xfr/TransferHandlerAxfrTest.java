package org.rootmirror.sync.server.xfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rootmirror.sync.server.xfr.Handlers.LOCAL;
import static org.rootmirror.sync.server.xfr.Handlers.ask;
import static org.rootmirror.sync.server.xfr.Handlers.assertHeader;
import static org.rootmirror.sync.server.xfr.Handlers.handler;
import static org.rootmirror.sync.server.xfr.Handlers.unsigned;
import static org.rootmirror.sync.server.xfr.Handlers.withoutTrailingSoa;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.rootmirror.sync.testing.TestZones;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** AXFR out (RFC 5936), the handler called directly. */
@Timeout(30)
class TransferHandlerAxfrTest {
  @Test
  void theRootZoneGoesOutWholeWithTheSoaFirstAndLastAndTheQueryIdInEveryMessage() throws Exception {
    ZoneSnapshot root = Snapshots.root2026();
    CollectingSink sink = ask(handler(root, null), Queries.axfr(4242));

    List<Message> messages = sink.messages();
    assertTrue(messages.size() > 40, "the 2.2 MB zone in messages of 16 KB: " + messages.size());
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      assertHeader(m, 4242, Rcode.NOERROR);
      assertTrue(m.getHeader().getFlag(Flags.AA), "AA");
      assertFalse(m.getHeader().getFlag(Flags.TC), "TC");
      // section 2.2.1: the query's question in the first message; the others may leave it out
      assertEquals(i == 0 ? 1 : 0, m.getHeader().getCount(Section.QUESTION));
      int size = sink.wires().get(i).length;
      assertTrue(size <= TransferPlan.MESSAGE_LIMIT, "message " + i + " is " + size + " bytes");
      if (i < messages.size() - 1) {
        assertTrue(size > 15_000, "message " + i + " is only " + size + " bytes: not packed");
      }
    }
    Record question = messages.get(0).getQuestion();
    assertEquals(Name.root, question.getName());
    assertEquals(Type.AXFR, question.getType());
    assertEquals(DClass.IN, question.getDClass());

    List<Record> answers = sink.answers();
    SOARecord soa = root.zone().soa();
    assertEquals(soa.toString(), answers.get(0).toString());
    assertEquals(soa.toString(), answers.get(answers.size() - 1).toString());
    assertEquals(root.zone().records().size() + 1, answers.size(), "every record once, the SOA twice");
    assertEquals(TestZones.recordSet(root.zone().records()), withoutTrailingSoa(answers));
  }

  @Test
  void aQueryWithEdnsGetsAnOptRecordInEveryMessageWithItsDoBit() throws Exception {
    TransferHandler handler = handler(unsigned(TestZones.large(1, 2_000)), null);
    CollectingSink sink = ask(handler, Queries.withEdns(Queries.axfr(7), 0));

    assertTrue(sink.messages().size() > 1);
    for (Message m : sink.messages()) {
      OPTRecord opt = m.getOPT();
      assertNotNull(opt, "RFC 6891 section 6.1.1: an OPT in the query, one in every response");
      assertEquals(0, opt.getVersion());
      assertTrue((opt.getFlags() & ExtendedFlags.DO) != 0, "DO echoed");
    }
    assertEquals(TestZones.recordSet(TestZones.large(1, 2_000)), withoutTrailingSoa(sink.answers()));
  }

  @Test
  void aQueryWithoutEdnsGetsNoOptRecordAndTheRdBitBack() throws Exception {
    Message query = Queries.axfr(8);
    query.getHeader().setFlag(Flags.RD);
    Message reply = ask(handler(unsigned(TestZones.small(1)), null), query).single();

    assertNull(reply.getOPT());
    assertTrue(reply.getHeader().getFlag(Flags.RD), "RD copied (section 2.2.1)");
  }

  @Test
  void overUdpIsRefused() throws Exception {
    CollectingSink sink = ask(handler(unsigned(TestZones.small(1)), null), Queries.axfr(9), Transport.UDP, LOCAL);

    Message reply = sink.single();
    assertHeader(reply, 9, Rcode.REFUSED);
    assertTrue(reply.getSection(Section.ANSWER).isEmpty());
  }
}
