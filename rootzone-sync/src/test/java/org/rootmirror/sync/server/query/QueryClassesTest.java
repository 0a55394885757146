package org.rootmirror.sync.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rootmirror.sync.server.testing.HandlerClient.query;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.sync.server.testing.HandlerClient;
import org.rootmirror.sync.store.PublishedZone;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** Classes other than IN: CHAOS identification (RFC 4892), REFUSED for the rest. */
class QueryClassesTest {
  private final PublishedZone published = SmallZone.published();
  private final HandlerClient client = SmallZone.client(published, SmallZone.OPTIONS);

  @Test
  void chaosIdentificationNamesAreAnsweredWithTxt() {
    HandlerClient c = new HandlerClient(new RootQueryHandler(published,
        SmallZone.OPTIONS.withIdServer("mirror-1").withHostnameBind("host-1").withVersionBind("rootmirror 0.1"), null));
    for (String[] pair : new String[][] {{"id.server.", "mirror-1"}, {"HOSTNAME.Bind.", "host-1"}, {"version.bind.", "rootmirror 0.1"}}) {
      Message response = c.ask(query(pair[0], Type.TXT, DClass.CH));
      assertEquals(Rcode.NOERROR, response.getRcode());
      assertTrue(response.getHeader().getFlag(Flags.AA));
      TXTRecord txt = (TXTRecord) response.getSection(Section.ANSWER).get(0);
      assertEquals(DClass.CH, txt.getDClass());
      assertEquals(List.of(pair[1]), txt.getStrings());
      assertEquals(pair[0], response.getQuestion().getName().toString(), "case kept");
    }
  }

  @Test
  void chaosNamesThatAreTurnedOffAreRefused() {
    HandlerClient c = new HandlerClient(new RootQueryHandler(published, SmallZone.OPTIONS.withVersionBind(null), null));
    assertEquals(Rcode.REFUSED, c.ask(query("version.bind.", Type.TXT, DClass.CH)).getRcode());
    assertEquals(Rcode.NOERROR, c.ask(query("id.server.", Type.TXT, DClass.CH)).getRcode());
    HandlerClient none = new HandlerClient(new RootQueryHandler(published, SmallZone.OPTIONS.withoutChaos(), null));
    assertEquals(Rcode.REFUSED, none.ask(query("id.server.", Type.TXT, DClass.CH)).getRcode());
  }

  @Test
  void otherChaosQueriesAndOtherClassesAreRefused() {
    assertEquals(Rcode.REFUSED, client.ask(query("id.server.", Type.A, DClass.CH)).getRcode());
    assertEquals(Rcode.REFUSED, client.ask(query("authors.bind.", Type.TXT, DClass.CH)).getRcode());
    assertEquals(Rcode.REFUSED, client.ask(query(".", Type.SOA, DClass.HS)).getRcode());
    assertEquals(Rcode.REFUSED, client.ask(query(".", Type.SOA, DClass.ANY)).getRcode());
    assertEquals(Rcode.REFUSED, client.ask(query(".", Type.SOA, 42)).getRcode());
  }
}
