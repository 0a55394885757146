package org.rootmirror.sync.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rootmirror.sync.server.testing.HandlerClient.edns;
import static org.rootmirror.sync.server.testing.HandlerClient.query;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.sync.server.testing.HandlerClient;
import org.rootmirror.sync.server.testing.ServedZones;
import org.rootmirror.sync.store.PublishedZone;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** RFC 8806 section 4: no answers from a zone that is not (or no longer) valid. */
class PublicationTest {
  private final PublishedZone published = SmallZone.published();
  private final HandlerClient client = SmallZone.client(published, SmallZone.OPTIONS);

  @Test
  void everythingIsServfailWhileNoZoneIsPublished() {
    PublishedZone empty = new PublishedZone();
    HandlerClient c = new HandlerClient(new RootQueryHandler(empty, SmallZone.OPTIONS, null));
    for (Message m : List.of(query(".", Type.SOA), query("www.com.", Type.A), query("nope.", Type.A),
        query("id.server.", Type.TXT, DClass.CH))) {
      Message response = c.ask(edns(m, 1232, true));
      assertEquals(Rcode.SERVFAIL, response.getRcode(), m.getQuestion().toString());
      assertFalse(response.getHeader().getFlag(Flags.AA));
      assertNotNull(response.getOPT());
    }
  }

  @Test
  void aPublishedZoneIsAnsweredAndAWithdrawnOneIsServfail() {
    PublishedZone zone = new PublishedZone();
    RootQueryHandler handler = new RootQueryHandler(zone, SmallZone.OPTIONS, null);
    HandlerClient c = new HandlerClient(handler);
    assertTrue(handler.table().isEmpty());
    zone.publish(ServedZones.small());
    assertEquals(Rcode.NOERROR, c.ask(query(".", Type.SOA)).getRcode());
    assertEquals(2026073102L, handler.table().orElseThrow().serial());
    zone.withdraw();
    assertEquals(Rcode.SERVFAIL, c.ask(query(".", Type.SOA)).getRcode());
  }

  @Test
  void aZonePublishedBeforeTheHandlerIsAnsweredAtOnce() {
    assertEquals(Rcode.NOERROR, client.ask(query(".", Type.SOA)).getRcode());
  }
}
