package org.rootmirror.sync.server.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.sync.server.testing.ServedZones;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/** The precomputed answers agree with the real 2026 root zone they were built from. */
class AnswerTableRootZoneTest {
  private static Zone zone;
  private static AnswerTable table;
  private static List<Name> tlds;

  @BeforeAll
  static void build() throws IOException {
    ZoneSnapshot snapshot = ServedZones.root2026();
    zone = snapshot.zone();
    table = AnswerTable.build(snapshot);
    tlds = zone.nodes().keySet().stream().filter(n -> n.labels() == 2).toList();
  }

  @Test
  void everyTldIsADelegationInTheTable() {
    assertEquals(1438, tlds.size());
    assertEquals(tlds.size(), table.delegationCount());
    assertEquals(2026073102L, table.serial());
  }

  @Test
  void everyReferralCarriesTheZonesNsRRsetAndTheGlueOfItsNameServers() {
    for (Name tld : tlds) {
      Answer a = table.lookup(Name.fromConstantString("www.example." + tld), Type.A);
      Answer.Referral referral = assertInstanceOf(Answer.Referral.class, a, tld.toString());
      assertEquals(tld, referral.cut());
      assertFalse(referral.authoritative());
      assertEquals(records(zone.rrset(tld, Type.NS)), Set.copyOf(referral.plain().authority()), tld.toString());
      assertTrue(referral.plain().answer().isEmpty());
      Set<Record> glue = new HashSet<>();
      for (Record ns : zone.rrset(tld, Type.NS).rrs(false)) {
        Name target = ((NSRecord) ns).getTarget();
        for (int type : new int[] {Type.A, Type.AAAA}) {
          RRset set = zone.rrset(target, type);
          if (set != null) {
            glue.addAll(set.rrs(false));
          }
        }
      }
      assertEquals(glue, Set.copyOf(referral.plain().additional()), tld + " glue");
      assertEquals(glue, Set.copyOf(referral.dnssec().additional()), tld + " glue with DO");
    }
  }

  @Test
  void withDnssecAReferralCarriesTheDsAndItsSignatureOrTheNsecThatDeniesIt() {
    int unsigned = 0;
    for (Name tld : tlds) {
      List<Record> authority = table.lookup(tld, Type.NS).dnssec().authority();
      RRset ds = zone.rrset(tld, Type.DS);
      Set<Record> expected = new HashSet<>(records(zone.rrset(tld, Type.NS)));
      RRset proof = ds != null ? ds : zone.rrset(tld, Type.NSEC);
      expected.addAll(proof.rrs(false));
      expected.addAll(proof.sigs());
      assertEquals(expected, Set.copyOf(authority), tld.toString());
      if (ds == null) {
        unsigned++;
        NSECRecord nsec = (NSECRecord) proof.first();
        assertFalse(nsec.hasType(Type.DS), tld + " NSEC denies DS");
      }
    }
    assertTrue(unsigned > 0, "the fixture has unsigned TLDs");
  }

  @Test
  void dsQueriesForATldAreAnsweredFromTheParentSide() {
    for (Name tld : tlds) {
      Answer a = table.lookup(tld, Type.DS);
      RRset ds = zone.rrset(tld, Type.DS);
      if (ds != null) {
        Answer.Authoritative answer = assertInstanceOf(Answer.Authoritative.class, a, tld.toString());
        assertEquals(records(ds), Set.copyOf(answer.plain().answer()));
        Set<Record> signed = new HashSet<>(records(ds));
        signed.addAll(ds.sigs());
        assertEquals(signed, Set.copyOf(answer.dnssec().answer()));
      } else {
        Answer.NoData noData = assertInstanceOf(Answer.NoData.class, a, tld.toString());
        assertTrue(noData.dnssec().authority().containsAll(zone.rrset(tld, Type.NSEC).rrs(false)));
      }
    }
  }

  @Test
  void aDsQueryBelowATldIsAReferral() {
    assertInstanceOf(Answer.Referral.class, table.lookup(Name.fromConstantString("example.com."), Type.DS));
  }

  @Test
  void namesUnderMissingTldsAreDeniedByTheNsecsCoveringTheNameAndTheWildcard() {
    Random random = new Random(8806);
    List<Name> names = new ArrayList<>();
    for (String s : List.of("local.", "foo.local.", "x.home.", "lan.", "corp.", "internal.", "a.", "zzzzzz.", "0.")) {
      names.add(Name.fromConstantString(s));
    }
    for (int i = 0; i < 500; i++) {
      StringBuilder label = new StringBuilder();
      for (int j = 7 + random.nextInt(9); j > 0; j--) {
        label.append((char) ('a' + random.nextInt(26)));
      }
      names.add(Name.fromConstantString("www." + label + "."));
    }
    Name wildcard = Name.fromConstantString("*.");
    SOARecord soa = zone.soa();
    for (Name name : names) {
      Answer.NameError error = assertInstanceOf(Answer.NameError.class, table.lookup(name, Type.A), name.toString());
      assertEquals(3, error.rcode());
      SOARecord negative = (SOARecord) error.plain().authority().get(0);
      assertEquals(soa.getSerial(), negative.getSerial());
      assertEquals(Math.min(soa.getTTL(), soa.getMinimum()), negative.getTTL(), "RFC 2308 section 3");
      List<NSECRecord> nsecs = error.dnssec().authority().stream()
          .filter(r -> r instanceof NSECRecord).map(r -> (NSECRecord) r).toList();
      assertTrue(nsecs.stream().anyMatch(n -> covers(n, name)), name + " denied by " + nsecs);
      assertTrue(nsecs.stream().anyMatch(n -> covers(n, wildcard)), "*. denied by " + nsecs);
      Set<Integer> signed = error.dnssec().authority().stream().filter(r -> r instanceof RRSIGRecord)
          .map(r -> ((RRSIGRecord) r).getTypeCovered()).collect(Collectors.toSet());
      assertEquals(Set.of(Type.SOA, Type.NSEC), signed, "each RRset with its signature");
      assertTrue(error.plain().authority().stream().noneMatch(r -> r instanceof NSECRecord || r instanceof RRSIGRecord));
    }
  }

  @Test
  void apexRRsetsAreAnsweredWithAuthorityAndSignedOnlyForDnssec() {
    Map<Integer, RRset> apex = zone.nodes().get(Name.root);
    for (int type : new int[] {Type.SOA, Type.NS, Type.DNSKEY, Type.NSEC, Type.ZONEMD}) {
      Answer.Authoritative a = assertInstanceOf(Answer.Authoritative.class, table.lookup(Name.root, type));
      assertEquals(records(apex.get(type)), Set.copyOf(a.plain().answer()), Type.string(type));
      Set<Record> signed = new HashSet<>(records(apex.get(type)));
      signed.addAll(apex.get(type).sigs());
      assertEquals(signed, Set.copyOf(a.dnssec().answer()), Type.string(type));
    }
    Answer.Authoritative ns = (Answer.Authoritative) table.lookup(Name.root, Type.NS);
    assertEquals(26, ns.plain().additional().size(), "13 root servers, A and AAAA each");
  }

  @Test
  void anApexTypeThatIsAbsentIsNoDataWithTheApexNsec() {
    Answer.NoData a = assertInstanceOf(Answer.NoData.class, table.lookup(Name.root, Type.A));
    assertEquals(List.of(Type.SOA), a.plain().authority().stream().map(Record::getType).toList());
    assertNotNull(a.dnssec().authority().stream().filter(r -> r instanceof NSECRecord && r.getName().equals(Name.root))
        .findFirst().orElse(null));
  }

  @Test
  void lookupIgnoresCase() {
    assertEquals(table.lookup(Name.fromConstantString("www.example.com."), Type.A),
        table.lookup(Name.fromConstantString("WwW.ExAmPlE.CoM."), Type.A));
    assertEquals(table.lookup(Name.fromConstantString("com."), Type.DS), table.lookup(Name.fromConstantString("COM."), Type.DS));
  }

  /** RFC 4034 section 4.1.1: the NSEC's owner sorts before the name and its next name after it, or it is the last. */
  private static boolean covers(NSECRecord nsec, Name name) {
    boolean after = nsec.getName().compareTo(name) < 0;
    boolean before = name.compareTo(nsec.getNext()) < 0 || nsec.getNext().equals(Name.root);
    return after && before;
  }

  private static Set<Record> records(RRset set) {
    return Set.copyOf(set.rrs(false));
  }
}
