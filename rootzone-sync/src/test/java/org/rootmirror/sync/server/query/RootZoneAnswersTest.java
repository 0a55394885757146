package org.rootmirror.sync.server.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rootmirror.sync.server.testing.HandlerClient.edns;
import static org.rootmirror.sync.server.testing.HandlerClient.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.server.testing.HandlerClient;
import org.rootmirror.sync.server.testing.ServedZones;
import org.rootmirror.sync.store.PublishedZone;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The handler answers as a root server would, from the real 2026 root zone validated at its time. */
class RootZoneAnswersTest {
  private static Zone zone;
  private static HandlerClient client;

  @BeforeAll
  static void serve() throws IOException {
    PublishedZone published = new PublishedZone();
    published.publish(ServedZones.root2026());
    zone = published.current().orElseThrow().zone();
    client = new HandlerClient(new RootQueryHandler(published, ServerOptions.defaults(), null));
  }

  @Test
  void apexRRsetsAreAnsweredWithAuthorityAndWithoutSignaturesUnlessDoIsSet() {
    for (int type : new int[] {Type.SOA, Type.NS, Type.DNSKEY, Type.NSEC, Type.ZONEMD}) {
      RRset expected = zone.rrset(Name.root, type);
      Message plain = client.ask(edns(query(".", type), 1232, false));
      assertEquals(Rcode.NOERROR, plain.getRcode());
      assertTrue(plain.getHeader().getFlag(Flags.AA), Type.string(type));
      assertEquals(Set.copyOf(expected.rrs(false)), Set.copyOf(plain.getSection(Section.ANSWER)), Type.string(type));
      assertFalse(plain.getOPT().getFlags() != 0, "DO stays clear");

      Message signed = client.ask(edns(query(".", type), 1232, true));
      Set<Record> withSigs = new HashSet<>(expected.rrs(false));
      withSigs.addAll(expected.sigs());
      assertEquals(withSigs, Set.copyOf(signed.getSection(Section.ANSWER)), Type.string(type) + " with DO");
      assertTrue(signed.getHeader().getFlag(Flags.AA));
      assertEquals(0x8000, signed.getOPT().getFlags(), "DO copied (RFC 3225 section 3)");
    }
  }

  @Test
  void aNameBelowATldGetsAReferralWithGlueAndAaClear() {
    Message response = client.ask(edns(query("www.example.com.", Type.A), 1232, false));
    Name com = Name.fromConstantString("com.");
    assertEquals(Rcode.NOERROR, response.getRcode());
    assertFalse(response.getHeader().getFlag(Flags.AA));
    assertTrue(response.getSection(Section.ANSWER).isEmpty());
    assertEquals(Set.copyOf(zone.rrset(com, Type.NS).rrs(false)), Set.copyOf(response.getSection(Section.AUTHORITY)));
    Set<Record> glue = glue(com);
    assertEquals(26, glue.size(), "13 gtld-servers, A and AAAA");
    assertEquals(glue, additional(response), "all glue fits in 1232 bytes");
  }

  @Test
  void withDoAReferralToASignedTldCarriesItsDsAndSignature() {
    Message response = client.ask(edns(query("www.example.com.", Type.AAAA), 1232, true));
    Name com = Name.fromConstantString("com.");
    RRset ds = zone.rrset(com, Type.DS);
    Set<Record> expected = new HashSet<>(zone.rrset(com, Type.NS).rrs(false));
    expected.addAll(ds.rrs(false));
    expected.addAll(ds.sigs());
    assertEquals(expected, Set.copyOf(response.getSection(Section.AUTHORITY)));
    assertFalse(response.getHeader().getFlag(Flags.AA));
    assertFalse(response.getHeader().getFlag(Flags.TC));
    assertTrue(glue(com).containsAll(additional(response)));
  }

  @Test
  void withDoAReferralToAnUnsignedTldCarriesTheNsecThatDeniesItsDs() {
    Name unsigned = zone.nodes().keySet().stream()
        .filter(n -> n.labels() == 2 && zone.rrset(n, Type.DS) == null)
        .findFirst().orElseThrow();
    NSECRecord nsec = (NSECRecord) zone.rrset(unsigned, Type.NSEC).first();
    assertFalse(nsec.hasType(Type.DS));
    Message response = client.ask(edns(query("host.example." + unsigned, Type.MX), 1232, true));
    List<Record> authority = response.getSection(Section.AUTHORITY);
    assertTrue(authority.contains(nsec), unsigned + ": " + authority);
    assertTrue(authority.stream().anyMatch(r -> r instanceof RRSIGRecord s && s.getTypeCovered() == Type.NSEC));
    assertTrue(authority.stream().noneMatch(r -> r.getType() == Type.DS));
  }

  @Test
  void aDsQueryForATldIsAnsweredAuthoritativelyFromTheParentSide() {
    Message response = client.ask(edns(query("com.", Type.DS), 1232, true));
    RRset ds = zone.rrset(Name.fromConstantString("com."), Type.DS);
    assertTrue(response.getHeader().getFlag(Flags.AA));
    Set<Record> expected = new HashSet<>(ds.rrs(false));
    expected.addAll(ds.sigs());
    assertEquals(expected, Set.copyOf(response.getSection(Section.ANSWER)));
    assertTrue(response.getSection(Section.AUTHORITY).isEmpty());
  }

  @Test
  void anyOtherTypeAtATldIsAReferral() {
    Message response = client.ask(query("com.", Type.A));
    assertFalse(response.getHeader().getFlag(Flags.AA));
    assertTrue(response.getSection(Section.ANSWER).isEmpty());
    assertEquals(Set.copyOf(zone.rrset(Name.fromConstantString("com."), Type.NS).rrs(false)),
        Set.copyOf(response.getSection(Section.AUTHORITY)));
  }

  @Test
  void namesUnderNonexistentTldsAreNxdomainWithTheSoaAndWithDoBothNsecs() {
    List<String> names = new ArrayList<>(List.of("foo.local.", "x.home.", "printer.lan.", "dc1.corp.", "a.internal."));
    Random random = new Random(1035);
    for (int i = 0; i < 20; i++) {
      char[] label = new char[7 + random.nextInt(9)];
      for (int j = 0; j < label.length; j++) {
        label[j] = (char) ('a' + random.nextInt(26));
      }
      names.add(new String(label) + ".");
    }
    SOARecord soa = zone.soa();
    for (String name : names) {
      Message plain = client.ask(query(name, Type.A));
      assertEquals(Rcode.NXDOMAIN, plain.getRcode(), name);
      assertTrue(plain.getHeader().getFlag(Flags.AA));
      List<Record> authority = plain.getSection(Section.AUTHORITY);
      assertEquals(1, authority.size(), name);
      assertEquals(soa.getSerial(), ((SOARecord) authority.get(0)).getSerial());
      assertEquals(Math.min(soa.getTTL(), soa.getMinimum()), authority.get(0).getTTL());

      Message signed = client.ask(edns(query(name, Type.A), 1232, true));
      assertEquals(Rcode.NXDOMAIN, signed.getRcode());
      List<Record> proof = signed.getSection(Section.AUTHORITY);
      List<NSECRecord> nsecs = proof.stream().filter(r -> r instanceof NSECRecord).map(r -> (NSECRecord) r).toList();
      assertTrue(nsecs.stream().anyMatch(n -> covers(n, Name.fromConstantString(name))), name + ": " + nsecs);
      assertTrue(nsecs.stream().anyMatch(n -> covers(n, Name.fromConstantString("*."))), name + ": " + nsecs);
      long sigs = proof.stream().filter(r -> r instanceof RRSIGRecord).count();
      assertEquals(1 + nsecs.size(), sigs, "the SOA and each NSEC signed");
    }
  }

  @Test
  void anAbsentTypeAtTheApexIsNoDataWithTheSoaAndWithDoTheApexNsec() {
    Message plain = client.ask(query(".", Type.A));
    assertEquals(Rcode.NOERROR, plain.getRcode());
    assertTrue(plain.getHeader().getFlag(Flags.AA));
    assertTrue(plain.getSection(Section.ANSWER).isEmpty());
    assertEquals(List.of(Type.SOA), types(plain.getSection(Section.AUTHORITY)));

    Message signed = client.ask(edns(query(".", Type.A), 1232, true));
    assertEquals(List.of(Type.SOA, Type.RRSIG, Type.NSEC, Type.RRSIG), types(signed.getSection(Section.AUTHORITY)));
    assertEquals(zone.rrset(Name.root, Type.NSEC).first(), signed.getSection(Section.AUTHORITY).get(2));
  }

  @Test
  void aSignedReferralTooBigForTheClientsBufferIsTruncatedToTheQuestionAndFitsOverTcp() {
    Message udp = client.ask(edns(query("com.", Type.NS), 512, true));
    assertTrue(udp.getHeader().getFlag(Flags.TC));
    assertEquals(1, udp.getHeader().getCount(Section.QUESTION));
    assertEquals(0, udp.getHeader().getCount(Section.ANSWER));
    assertEquals(0, udp.getHeader().getCount(Section.AUTHORITY));
    assertEquals(1, udp.getHeader().getCount(Section.ADDITIONAL), "only the OPT record");
    assertNotNull(udp.getOPT());

    Message tcp = client.ask(edns(query("com.", Type.NS), 512, true), Transport.TCP);
    assertFalse(tcp.getHeader().getFlag(Flags.TC));
    assertEquals(13 + 1 + 1, tcp.getSection(Section.AUTHORITY).size(), "NS, DS and its RRSIG");
    assertEquals(glue(Name.fromConstantString("com.")), additional(tcp));
  }

  @Test
  void withoutEdnsTheReplyFitsIn512BytesByDroppingSiblingGlue() {
    Message response = client.ask(query("example.com.", Type.A));
    assertNull(response.getOPT());
    assertFalse(response.getHeader().getFlag(Flags.TC), "all 13 NS fit; gtld-servers.net glue is sibling glue (RFC 9471)");
    assertEquals(13, response.getSection(Section.AUTHORITY).size());
    assertFalse(additional(response).isEmpty());
  }

  @Test
  void theQueryNamesCaseIsKeptInTheReply() {
    Message query = query("wWw.ExAmPlE.cOm.", Type.A);
    Message response = client.ask(query);
    assertEquals("wWw.ExAmPlE.cOm.", response.getQuestion().getName().toString());
    byte[] asked = query.getQuestion().getName().toWire();
    byte[] answered = response.getQuestion().getName().toWire();
    assertArrayEquals(asked, answered);
  }

  @Test
  void aSampleOfTldsGetTheirOwnNsRRsetAndGlueOverTcp() {
    List<Name> tlds = new ArrayList<>(zone.nodes().keySet().stream().filter(n -> n.labels() == 2).toList());
    Collections.shuffle(tlds, new Random(9471));
    for (Name tld : tlds.subList(0, 200)) {
      Message response = client.ask(edns(query("www.nic." + tld, Type.A), 4096, true), Transport.TCP);
      List<Record> ns = response.getSection(Section.AUTHORITY).stream().filter(r -> r.getType() == Type.NS).toList();
      assertEquals(Set.copyOf(zone.rrset(tld, Type.NS).rrs(false)), Set.copyOf(ns), tld.toString());
      assertTrue(ns.stream().allMatch(r -> r.getName().equals(tld)));
      assertEquals(glue(tld), additional(response), tld + " glue");
      RRset ds = zone.rrset(tld, Type.DS);
      List<Record> dsRecords = response.getSection(Section.AUTHORITY).stream().filter(r -> r.getType() == Type.DS).toList();
      assertEquals(ds == null ? Set.of() : Set.copyOf(ds.rrs(false)), Set.copyOf(dsRecords), tld + " DS");
    }
  }

  @Test
  void everyLongNameUnderEveryTldIsAnsweredWithAParseableReferral() {
    // names of 200-odd bytes move every compression pointer of the precomputed sections
    String prefix = String.join(".", Collections.nCopies(3, "a".repeat(63))) + ".";
    for (Name tld : zone.nodes().keySet().stream().filter(n -> n.labels() == 2).toList()) {
      if (prefix.length() + tld.length() > 255) {
        continue;
      }
      Message response = client.ask(edns(query(prefix + tld, Type.A), 1232, true), Transport.TCP);
      assertFalse(response.getSection(Section.AUTHORITY).isEmpty(), tld + "\n" + response);
      assertTrue(response.getSection(Section.AUTHORITY).stream().allMatch(r -> r.getName().equals(tld)), tld.toString());
      assertEquals(glue(tld), additional(response), tld + " glue");
    }
  }

  @Test
  void aReferralWhoseInDomainGlueDoesNotFitIsTruncated() {
    // RFC 9471 section 3: arpa's name servers are below arpa, so all their addresses must fit
    String longName = String.join(".", Collections.nCopies(3, "a".repeat(63))) + ".arpa.";
    Message udp = client.ask(edns(query(longName, Type.A), 1232, true));
    assertTrue(udp.getHeader().getFlag(Flags.TC));
    assertTrue(udp.getSection(Section.AUTHORITY).isEmpty());
    Message shortName = client.ask(edns(query("arpa.", Type.NS), 1232, true));
    assertFalse(shortName.getHeader().getFlag(Flags.TC));
    assertEquals(glue(Name.fromConstantString("arpa.")), additional(shortName));
  }

  private static Set<Record> glue(Name tld) {
    Set<Record> glue = new HashSet<>();
    for (Record r : zone.rrset(tld, Type.NS).rrs(false)) {
      for (int type : new int[] {Type.A, Type.AAAA}) {
        RRset set = zone.rrset(((NSRecord) r).getTarget(), type);
        if (set != null) {
          glue.addAll(set.rrs(false));
        }
      }
    }
    return glue;
  }

  private static Set<Record> additional(Message m) {
    return m.getSection(Section.ADDITIONAL).stream().filter(r -> r.getType() != Type.OPT).collect(Collectors.toSet());
  }

  private static List<Integer> types(List<Record> records) {
    return records.stream().map(Record::getType).toList();
  }

  private static boolean covers(NSECRecord nsec, Name name) {
    return nsec.getName().compareTo(name) < 0 && (name.compareTo(nsec.getNext()) < 0 || nsec.getNext().equals(Name.root));
  }
}
