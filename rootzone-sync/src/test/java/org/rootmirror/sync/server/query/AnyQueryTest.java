package org.rootmirror.sync.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rootmirror.sync.server.testing.HandlerClient.edns;
import static org.rootmirror.sync.server.testing.HandlerClient.query;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.zone.ZoneLookup;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.server.testing.HandlerClient;
import org.rootmirror.sync.server.testing.ServedZones;
import org.rootmirror.sync.store.PublishedZone;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** RFC 8482: ANY over UDP gets one RRset (section 4.1), over TCP every one (section 4.4). */
class AnyQueryTest {
  private static Set<Integer> types(Message m) {
    Set<Integer> types = new TreeSet<>();
    for (Record r : m.getSection(Section.ANSWER)) {
      types.add(r instanceof RRSIGRecord sig ? -sig.getTypeCovered() : r.getType());
    }
    return types;
  }

  @Test
  void anyAtTheApexOverUdpIsTheSoaWithItsSignatureAndOverTcpEveryRRset() {
    HandlerClient client = SmallZone.client(SmallZone.published(), SmallZone.OPTIONS);
    Message udp = client.ask(edns(query(".", Type.ANY), 1232, true));
    assertEquals(Set.of(Type.SOA, -Type.SOA), types(udp), "the SOA and the RRSIG covering it");
    assertTrue(udp.getHeader().getFlag(Flags.AA));
    assertFalse(udp.getHeader().getFlag(Flags.TC));
    assertEquals(Set.of(Type.SOA), types(client.ask(query(".", Type.ANY))), "without DO: the SOA alone");

    Message tcp = client.ask(edns(query(".", Type.ANY), 1232, true), Transport.TCP);
    assertTrue(types(tcp).containsAll(Set.of(Type.SOA, Type.NS, Type.NSEC, Type.DNSKEY, Type.ZONEMD)), types(tcp).toString());
  }

  @Test
  void belowTheApexAnyIsAReferralLikeAnyOtherType() {
    HandlerClient client = SmallZone.client(SmallZone.published(), SmallZone.OPTIONS);
    Message referral = client.ask(query("www.com.", Type.ANY));
    assertEquals(0, referral.getSection(Section.ANSWER).size());
    assertEquals(Type.NS, referral.getSection(Section.AUTHORITY).get(0).getType());
  }

  @Test
  void theRootZonesAnyOverUdpNoLongerAmplifies43Times() throws IOException {
    PublishedZone published = new PublishedZone();
    published.publish(ServedZones.root2026());
    HandlerClient client = SmallZone.client(published, SmallZone.OPTIONS);
    Message query = edns(query(".", Type.ANY), 1232, true); // dig's 28 bytes, with EDNS and DO
    assertEquals(28, query.toWire().length);
    int udp = client.send(query.toWire(), Transport.UDP).get(0).length;
    int tcp = client.send(query.toWire(), Transport.TCP).get(0).length;
    assertTrue(udp < 400, "UDP: the SOA and its RRSIG, " + udp + " bytes");
    assertTrue(tcp > 1_000, "TCP: the whole apex, " + tcp + " bytes");
  }

  @Test
  void aGeneralZoneServerAlsoAnswersAnyOverUdpWithOneRRset() {
    ZoneQueryHandler zones = new ZoneQueryHandler(List.of(new ZoneLookup(ServedZones.small().zone())), SmallZone.OPTIONS);
    HandlerClient client = new HandlerClient(zones);
    assertEquals(Set.of(Type.SOA, -Type.SOA), types(client.ask(edns(query(".", Type.ANY), 1232, true))));
    assertTrue(types(client.ask(edns(query(".", Type.ANY), 1232, true), Transport.TCP)).size() > 2);
  }
}
