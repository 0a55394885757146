package org.rootmirror.sync.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rootmirror.sync.server.testing.HandlerClient.edns;
import static org.rootmirror.sync.server.testing.HandlerClient.query;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.server.testing.HandlerClient;
import org.rootmirror.sync.store.PublishedZone;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** RFC 1035 section 4.1: what cannot be read, or is not one question, gets FORMERR. */
class MalformedQueryTest {
  private final PublishedZone published = SmallZone.published();
  private final HandlerClient client = SmallZone.client(published, SmallZone.OPTIONS);

  @Test
  void twoQuestionsAreFormerrWithoutAQuestionSection() {
    Message m = query("com.", Type.NS);
    m.addRecord(Record.newRecord(Name.fromConstantString("net."), Type.NS, DClass.IN), Section.QUESTION);
    Message response = client.ask(m);
    assertEquals(Rcode.FORMERR, response.getRcode());
    assertEquals(0, response.getHeader().getCount(Section.QUESTION));
  }

  @Test
  void noQuestionAndNoCookieIsFormerr() {
    Message m = new Message();
    assertEquals(Rcode.FORMERR, client.ask(m).getRcode());
  }

  @Test
  void aQuestionCutShortIsFormerr() {
    byte[] wire = query("www.com.", Type.A).toWire();
    for (int length = 13; length < wire.length; length++) {
      List<byte[]> responses = client.send(Arrays.copyOf(wire, length), Transport.UDP);
      assertEquals(1, responses.size());
      assertEquals(Rcode.FORMERR, responses.get(0)[3] & 0xF, "cut at " + length);
    }
  }

  @Test
  void extendedLabelTypesAndCompressionInTheQuestionAreFormerr() {
    byte[] wire = query("www.com.", Type.A).toWire();
    byte[] extended = wire.clone();
    extended[12] = 0x41; // label type 01 (RFC 6891 section 5)
    byte[] pointer = wire.clone();
    pointer[12] = (byte) 0xC0;
    pointer[13] = 0;
    for (byte[] bad : List.of(extended, pointer)) {
      assertEquals(Rcode.FORMERR, client.send(bad, Transport.UDP).get(0)[3] & 0xF);
    }
  }

  @Test
  void recordsInTheAnswerSectionOfAQueryAreFormerr() {
    Message m = query("www.com.", Type.A);
    m.addRecord(new TXTRecord(Name.fromConstantString("x."), DClass.IN, 0, "x"), Section.ANSWER);
    assertEquals(Rcode.FORMERR, client.ask(m).getRcode());
  }

  @Test
  void twoOptRecordsAreFormerr() {
    Message m = edns(query("www.com.", Type.A), 1232, false);
    byte[] wire = m.toWire();
    byte[] opt = Arrays.copyOfRange(wire, wire.length - 11, wire.length);
    byte[] doubled = SmallZone.concat(wire, opt);
    doubled[11] = 2; // ARCOUNT
    assertEquals(Rcode.FORMERR, client.send(doubled, Transport.UDP).get(0)[3] & 0xF, "RFC 6891 section 6.1.1");
  }

  @Test
  void anOptRecordNotOwnedByTheRootIsFormerr() {
    byte[] wire = edns(query("www.com.", Type.A), 1232, false).toWire();
    byte[] owner = {1, 'x'};
    byte[] bad = SmallZone.concat(Arrays.copyOf(wire, wire.length - 11), owner, Arrays.copyOfRange(wire, wire.length - 11, wire.length));
    bad[wire.length - 11 + 2] = 0; // the old root byte becomes the end of x.
    assertEquals(Rcode.FORMERR, client.send(bad, Transport.UDP).get(0)[3] & 0xF);
  }
}
