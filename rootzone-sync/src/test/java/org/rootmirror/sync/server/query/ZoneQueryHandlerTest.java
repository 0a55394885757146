package org.rootmirror.sync.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.testing.TestZoneSigner;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.server.net.MirrorServer;
import org.rootmirror.sync.server.net.ServerNetOptions;
import org.rootmirror.sync.server.testing.HandlerClient;
import org.rootmirror.sync.testing.TestZones;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC.Algorithm;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The general authoritative handler over two signed zones, a parent and a child both served,
 * with an unserved delegation and an RRset too big for a UDP response.
 */
class ZoneQueryHandlerTest {
  private static final Instant NOW = SmallZone.NOW;
  private static final Name PARENT = Name.fromConstantString("example.");
  private static final Name CHILD = Name.fromConstantString("child.example.");

  private static List<Zone> zones;
  private static HandlerClient client;

  @BeforeAll
  static void serve() {
    TestZoneSigner.SignedZone child = sign(CHILD, """
        child.example.      3600 IN SOA ns1.child.example. admin.example. 1 7200 3600 1209600 300
        child.example.      3600 IN NS  ns1.child.example.
        ns1.child.example.  3600 IN A   192.0.2.2
        www.child.example.  3600 IN A   192.0.2.80
        """);
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      big.append("big.example. 3600 IN TXT \"").append(String.valueOf((char) ('a' + i)).repeat(200)).append("\"\n");
    }
    List<Record> parent = new ArrayList<>(TestZones.parse("""
        example.            3600 IN SOA ns1.example. admin.example. 1 7200 3600 1209600 300
        example.            3600 IN NS  ns1.example.
        ns1.example.        3600 IN A   192.0.2.1
        www.example.        3600 IN A   192.0.2.10
        www.example.        3600 IN AAAA 2001:db8::10
        other.example.      3600 IN NS  ns1.other.example.
        ns1.other.example.  3600 IN A   192.0.2.3
        child.example.      3600 IN NS  ns1.child.example.
        ns1.child.example.  3600 IN A   192.0.2.2
        """ + big));
    parent.add(child.ds());
    zones = List.of(sign(PARENT, parent).zone(), child.zone());
    client = new HandlerClient(ZoneQueryHandler.of(zones, SmallZone.OPTIONS));
  }

  private static TestZoneSigner.SignedZone sign(Name origin, String text) {
    return sign(origin, TestZones.parse(text));
  }

  private static TestZoneSigner.SignedZone sign(Name origin, List<Record> records) {
    return TestZoneSigner.generate(origin, Algorithm.ECDSAP256SHA256)
        .validity(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(7)))
        .sign(records);
  }

  private static Message ask(String name, int type, boolean dnssecOk) {
    return client.ask(HandlerClient.edns(HandlerClient.query(name, type), 1232, dnssecOk));
  }

  private static List<RRset> section(Message m, int section) {
    return m.getSectionRRsets(section);
  }

  private static boolean has(Message m, int section, String name, int type) {
    return m.getSection(section).stream()
        .anyMatch(r -> r.getName().equals(Name.fromConstantString(name)) && r.getType() == type);
  }

  @Test
  void dataInAServedZoneIsAnsweredAuthoritatively() {
    Message m = ask("www.example.", Type.A, false);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertTrue(m.getHeader().getFlag(Flags.AA));
    assertFalse(m.getHeader().getFlag(Flags.RA), "an authoritative server offers no recursion");
    assertTrue(has(m, Section.ANSWER, "www.example.", Type.A));
    assertFalse(has(m, Section.ANSWER, "www.example.", Type.RRSIG), "no RRSIG without DO");
  }

  @Test
  void doBringsTheSignaturesAndIsEchoed() {
    Message m = ask("www.example.", Type.A, true);
    assertTrue(has(m, Section.ANSWER, "www.example.", Type.RRSIG));
    assertTrue(m.getOPT() != null && (m.getOPT().getFlags() & ExtendedFlags.DO) != 0);
  }

  @Test
  void nameBelowAnUnservedDelegationGetsAReferralWithGlue() {
    Message m = ask("www.other.example.", Type.A, true);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertFalse(m.getHeader().getFlag(Flags.AA), "a referral is not authoritative (RFC 1034 section 4.3.2)");
    assertTrue(m.getSection(Section.ANSWER).isEmpty());
    assertTrue(has(m, Section.AUTHORITY, "other.example.", Type.NS));
    assertTrue(has(m, Section.AUTHORITY, "other.example.", Type.NSEC), "the proof of no DS, with DO");
    assertTrue(has(m, Section.ADDITIONAL, "ns1.other.example.", Type.A));
  }

  @Test
  void nameBelowAServedChildIsAnsweredFromTheChild() {
    Message m = ask("www.child.example.", Type.A, false);
    assertTrue(m.getHeader().getFlag(Flags.AA));
    assertTrue(has(m, Section.ANSWER, "www.child.example.", Type.A));
  }

  @Test
  void dsAtAServedChildApexIsAnsweredFromTheParent() {
    Message m = ask("child.example.", Type.DS, true);
    assertTrue(m.getHeader().getFlag(Flags.AA));
    List<RRset> answer = section(m, Section.ANSWER);
    assertEquals(1, answer.size(), answer.toString());
    assertEquals(Type.DS, answer.get(0).getType());
    assertEquals(PARENT, answer.get(0).sigs().get(0).getSigner(), "signed by the parent (RFC 4035 section 3.1.4.1)");
  }

  @Test
  void missingNameIsNxdomainWithSoaAndNsecProof() {
    Message m = ask("nope.example.", Type.A, true);
    assertEquals(Rcode.NXDOMAIN, m.getRcode());
    assertTrue(m.getHeader().getFlag(Flags.AA));
    assertTrue(has(m, Section.AUTHORITY, "example.", Type.SOA));
    assertTrue(m.getSection(Section.AUTHORITY).stream().anyMatch(r -> r.getType() == Type.NSEC));
  }

  @Test
  void nameInNoServedZoneIsRefused() {
    Message m = ask("www.example.org.", Type.A, false);
    assertEquals(Rcode.REFUSED, m.getRcode());
    assertFalse(m.getHeader().getFlag(Flags.AA));
    assertTrue(m.getSection(Section.ANSWER).isEmpty());
  }

  @Test
  void handlerWithoutZonesRefusesEverything() {
    HandlerClient lame = new HandlerClient(new ZoneQueryHandler(List.of(), SmallZone.OPTIONS));
    assertEquals(Rcode.REFUSED, lame.ask(HandlerClient.query("www.example.", Type.A)).getRcode());
  }

  @Test
  void theRootHandlersChecksComeFirst() {
    Message badVersion = HandlerClient.query("www.example.", Type.A);
    badVersion.addRecord(new OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);
    assertEquals(Rcode.BADVERS, client.ask(badVersion).getRcode()); // RFC 6891 section 6.1.3
    assertEquals(Rcode.REFUSED, client.ask(HandlerClient.query("example.", Type.AXFR), Transport.TCP).getRcode());
    Message chaos = client.ask(HandlerClient.query("id.server.", Type.TXT, DClass.CH));
    assertEquals(Rcode.NOERROR, chaos.getRcode());
    assertEquals(1, chaos.getSection(Section.ANSWER).size());
  }

  @Test
  void answerTooBigForUdpIsTruncatedAndWholeOverTcp() {
    Message udp = ask("big.example.", Type.TXT, false);
    assertTrue(udp.getHeader().getFlag(Flags.TC));
    assertTrue(udp.getSection(Section.ANSWER).isEmpty(), "whole RRsets only (RFC 2181 section 9)");
    Message tcp = client.ask(HandlerClient.edns(HandlerClient.query("big.example.", Type.TXT), 1232, false), Transport.TCP);
    assertFalse(tcp.getHeader().getFlag(Flags.TC));
    assertEquals(12, tcp.getSection(Section.ANSWER).size());
  }

  @Test
  void udpWithoutEdnsIsCutAt512Bytes() {
    Message m = client.ask(HandlerClient.query("big.example.", Type.TXT));
    assertTrue(m.getHeader().getFlag(Flags.TC));
  }

  @Test
  void servesOverUdpAndTcpBehindMirrorServer() throws IOException {
    ServerNetOptions net = ServerNetOptions.defaults()
        .withAddresses(List.of(InetAddress.getLoopbackAddress())).withPort(0).withUdpThreads(1);
    try (MirrorServer server = MirrorServer.start(net, ZoneQueryHandler.of(zones, SmallZone.OPTIONS))) {
      InetSocketAddress address = server.localAddresses().get(0);
      SimpleResolver resolver = new SimpleResolver(address);
      resolver.setTimeout(Duration.ofSeconds(2));
      resolver.setEDNS(0, 1232, 0);
      resolver.setIgnoreTruncation(true);
      Message udp = resolver.send(Message.newQuery(Record.newRecord(Name.fromConstantString("big.example."), Type.TXT, 1)));
      assertTrue(udp.getHeader().getFlag(Flags.TC));
      resolver.setTCP(true);
      Message tcp = resolver.send(Message.newQuery(Record.newRecord(Name.fromConstantString("big.example."), Type.TXT, 1)));
      assertEquals(12, tcp.getSection(Section.ANSWER).size());
      Message www = resolver.send(Message.newQuery(Record.newRecord(Name.fromConstantString("www.child.example."), Type.A, 1)));
      assertTrue(www.getHeader().getFlag(Flags.AA));
      assertEquals(1, www.getSection(Section.ANSWER).size());
    }
  }
}
