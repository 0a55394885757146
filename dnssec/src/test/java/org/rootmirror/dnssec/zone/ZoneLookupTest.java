package org.rootmirror.dnssec.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rootmirror.dnssec.testing.ExampleZone;
import org.rootmirror.dnssec.testing.Fixtures;
import org.rootmirror.dnssec.testing.Nsec3Hash;
import org.rootmirror.dnssec.testing.TestZoneSigner;
import org.rootmirror.dnssec.testing.TestZoneSigner.SignedZone;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DNSSEC.Algorithm;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The authoritative lookup over {@link ExampleZone} signed three ways (NSEC, NSEC3, NSEC3 with
 * Opt-Out), NSEC3 proofs checked against hashes computed independently, and over the real 2026
 * root zone.
 */
class ZoneLookupTest {
  private static final Instant INCEPTION = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant EXPIRATION = Instant.parse("2026-02-01T00:00:00Z");
  private static final Instant DURING = Instant.parse("2026-01-15T00:00:00Z");
  private static final int ITERATIONS = 1;
  private static final byte[] SALT = HexFormat.of().parseHex("c0ffee");
  private static final TestZoneSigner SIGNER =
      TestZoneSigner.generate(ExampleZone.ORIGIN, Algorithm.ECDSAP256SHA256).validity(INCEPTION, EXPIRATION);

  /** How the zone denies existence. */
  enum Denial {
    NSEC, NSEC3, NSEC3_OPT_OUT;

    private SignedZone signed;

    synchronized SignedZone signed() {
      if (signed == null) {
        TestZoneSigner signer = switch (this) {
          case NSEC -> SIGNER;
          case NSEC3 -> SIGNER.nsec3(ITERATIONS, SALT, false);
          case NSEC3_OPT_OUT -> SIGNER.nsec3(ITERATIONS, SALT, true);
        };
        signed = signer.sign(ExampleZone.records());
      }
      return signed;
    }

    ZoneLookup lookup() {
      return new ZoneLookup(signed().zone());
    }
  }

  private static final Map<Denial, ZoneLookup> LOOKUPS = new java.util.EnumMap<>(Denial.class);

  private static Lookup ask(Denial denial, String qname, int qtype, boolean dnssecOk) {
    ZoneLookup lookup;
    synchronized (LOOKUPS) {
      lookup = LOOKUPS.computeIfAbsent(denial, Denial::lookup);
    }
    return lookup.lookup(Name.fromConstantString(qname), qtype, dnssecOk);
  }

  private static Lookup ask(String qname, int qtype) {
    return ask(Denial.NSEC, qname, qtype, true);
  }

  @ParameterizedTest
  @EnumSource(Denial.class)
  void apexAnswerIsAuthoritativeAndSigned(Denial denial) throws Exception {
    Lookup result = ask(denial, "example.", Type.SOA, true);

    Lookup.Answer answer = assertInstanceOf(Lookup.Answer.class, result);
    assertTrue(answer.authoritative());
    assertEquals(List.of("example./SOA"), keys(answer.answer()));
    assertSignaturesVerify(denial, answer.answer());
    assertEquals(List.of(), answer.authority());
  }

  @ParameterizedTest
  @EnumSource(Denial.class)
  void inZoneAnswerHasTheDataAndItsSignature(Denial denial) throws Exception {
    Lookup.Answer answer = assertInstanceOf(Lookup.Answer.class, ask(denial, "www.example.", Type.A, true));

    assertEquals(List.of("www.example./A"), keys(answer.answer()));
    assertEquals("192.0.2.80", answer.answer().get(0).first().rdataToString());
    assertSignaturesVerify(denial, answer.answer());
  }

  @ParameterizedTest
  @EnumSource(Denial.class)
  void referralToSignedDelegationHasNsDsAndGlueBelowTheCut(Denial denial) throws Exception {
    Lookup.Referral referral = assertInstanceOf(Lookup.Referral.class, ask(denial, "www.secure.example.", Type.A, true));

    assertFalse(referral.authoritative());
    assertEquals(Name.fromConstantString("secure.example."), referral.cut());
    assertEquals(List.of(), referral.answer());
    assertEquals(List.of("secure.example./NS", "secure.example./DS"), keys(referral.authority()));
    assertTrue(referral.authority().get(0).sigs().isEmpty(), "the parent does not sign the NS at a cut");
    assertSignaturesVerify(denial, referral.authority().subList(1, 2));
    // ns.example.net. is out of the zone: no glue for it
    assertEquals(Set.of("ns1.secure.example./A", "ns1.secure.example./AAAA"), Set.copyOf(keys(referral.additional())));
  }

  @Test
  void referralToUnsignedDelegationCarriesTheNsecWithoutDs() throws Exception {
    Lookup.Referral referral = assertInstanceOf(Lookup.Referral.class, ask("host.insecure.example.", Type.A));

    assertEquals(List.of("insecure.example./NS", "insecure.example./NSEC"), keys(referral.authority()));
    NSECRecord nsec = (NSECRecord) referral.authority().get(1).first();
    assertTrue(nsec.hasType(Type.NS) && !nsec.hasType(Type.DS));
    assertSignaturesVerify(Denial.NSEC, referral.authority().subList(1, 2));
    assertEquals(List.of("ns1.insecure.example./A"), keys(referral.additional()));
  }

  @Test
  void referralToUnsignedDelegationCarriesTheMatchingNsec3WithoutDs() throws Exception {
    Lookup.Referral referral =
        assertInstanceOf(Lookup.Referral.class, ask(Denial.NSEC3, "insecure.example.", Type.A, true));

    assertEquals(Type.NS, referral.authority().get(0).getType());
    List<NSEC3Record> nsec3s = nsec3s(referral.authority());
    assertEquals(1, nsec3s.size());
    assertMatches(nsec3s.get(0), "insecure.example.");
    assertFalse(nsec3s.get(0).hasType(Type.DS));
    assertSignaturesVerify(Denial.NSEC3, referral.authority().subList(1, 2));
  }

  @Test
  void optOutReferralCarriesClosestProvableEncloserProof() throws Exception {
    Lookup.Referral referral =
        assertInstanceOf(Lookup.Referral.class, ask(Denial.NSEC3_OPT_OUT, "x.deleg.ent.example.", Type.A, true));

    assertEquals(Name.fromConstantString("deleg.ent.example."), referral.cut());
    // one NSEC3 may both match the closest provable encloser and cover the next closer name
    List<NSEC3Record> nsec3s = nsec3s(referral.authority());
    assertTrue(nsec3s.stream().anyMatch(n -> matches(n, "ent.example.")), "matches the closest provable encloser");
    assertTrue(nsec3s.stream().anyMatch(n -> covers(n, "deleg.ent.example.") && (n.getFlags() & NSEC3Record.Flags.OPT_OUT) != 0),
        "an Opt-Out NSEC3 covers the delegation");
    assertTrue(nsec3s.size() <= 2);
    assertSignaturesVerify(Denial.NSEC3_OPT_OUT, referral.authority().subList(1, referral.authority().size()));
  }

  @ParameterizedTest
  @EnumSource(Denial.class)
  void dsAtTheCutIsAnsweredFromTheParentSide(Denial denial) throws Exception {
    Lookup.Answer answer = assertInstanceOf(Lookup.Answer.class, ask(denial, "secure.example.", Type.DS, true));
    assertTrue(answer.authoritative());
    assertEquals(List.of("secure.example./DS"), keys(answer.answer()));
    assertSignaturesVerify(denial, answer.answer());

    Lookup.NoData none = assertInstanceOf(Lookup.NoData.class, ask(denial, "insecure.example.", Type.DS, true));
    assertEquals("example./SOA", keys(none.authority()).get(0));
    assertTrue(none.authority().size() > 1, "a proof that there is no DS");
    assertSignaturesVerify(denial, none.authority());
  }

  @Test
  void glueAndOccludedDataBelowACutAreReferredNotAnswered() {
    for (String name : List.of("ns1.secure.example.", "deep.secure.example.")) {
      for (int type : new int[] {Type.A, Type.TXT, Type.ANY}) {
        Lookup result = ask(name, type);
        Lookup.Referral referral = assertInstanceOf(Lookup.Referral.class, result, name + " " + Type.string(type));
        assertEquals(List.of(), referral.answer());
      }
    }
  }

  @Test
  void cnameChainIsFollowedInsideTheZone() {
    Lookup.Answer answer = assertInstanceOf(Lookup.Answer.class, ask("chain1.example.", Type.A));

    assertEquals(List.of("chain1.example./CNAME", "chain2.example./CNAME", "alias.example./CNAME", "www.example./A"),
        keys(answer.answer()));
  }

  @Test
  void cnameOutOfTheZoneEndsTheAnswer() {
    Lookup.Answer answer = assertInstanceOf(Lookup.Answer.class, ask("out.example.", Type.A));

    assertEquals(List.of("out.example./CNAME"), keys(answer.answer()));
    assertEquals(Name.fromConstantString("www.example.net."), ((CNAMERecord) answer.answer().get(0).first()).getTarget());
  }

  @Test
  void cnameLoopEnds() {
    Lookup.Answer answer = assertInstanceOf(Lookup.Answer.class, ask("loop1.example.", Type.A));

    assertEquals(List.of("loop1.example./CNAME", "loop2.example./CNAME"), keys(answer.answer()));
  }

  @Test
  void cnameQuestionGetsTheCnameItself() {
    Lookup.Answer answer = assertInstanceOf(Lookup.Answer.class, ask("alias.example.", Type.CNAME));

    assertEquals(List.of("alias.example./CNAME"), keys(answer.answer()));
  }

  @ParameterizedTest
  @EnumSource(Denial.class)
  void dnameSynthesisesACnameAndFollowsIt(Denial denial) throws Exception {
    Lookup.Answer answer = assertInstanceOf(Lookup.Answer.class, ask(denial, "host.dname.example.", Type.A, true));

    assertEquals(List.of("dname.example./DNAME", "host.dname.example./CNAME", "host.target.example./A"), keys(answer.answer()));
    RRset cname = answer.answer().get(1);
    assertEquals(Name.fromConstantString("host.target.example."), ((CNAMERecord) cname.first()).getTarget());
    assertEquals(answer.answer().get(0).getTTL(), cname.getTTL(), "the synthesised CNAME has the DNAME's TTL");
    assertTrue(cname.sigs().isEmpty(), "a synthesised CNAME is not signed");
    assertSignaturesVerify(denial, List.of(answer.answer().get(0), answer.answer().get(2)));

    Lookup.NameError missing = assertInstanceOf(Lookup.NameError.class, ask(denial, "nope.dname.example.", Type.A, true));
    assertEquals(List.of("dname.example./DNAME", "nope.dname.example./CNAME"), keys(missing.answer()));
  }

  @Test
  void wildcardAnswerIsExpandedWithTheProofThatTheNameDoesNotExist() throws Exception {
    Lookup.Answer answer = assertInstanceOf(Lookup.Answer.class, ask("foo.wild.example.", Type.TXT));

    assertEquals(List.of("foo.wild.example./TXT"), keys(answer.answer()));
    RRSIGRecord sig = answer.answer().get(0).sigs().get(0);
    assertEquals(Name.fromConstantString("foo.wild.example."), sig.getName());
    assertEquals(2, sig.getLabels(), "the labels field shows the expansion of *.wild.example.");
    assertSignaturesVerify(Denial.NSEC, answer.answer()); // dnsjava reconstructs the wildcard owner
    assertEquals(1, answer.authority().size());
    assertCovers((NSECRecord) answer.authority().get(0).first(), "foo.wild.example.");
  }

  @ParameterizedTest
  @EnumSource(value = Denial.class, names = {"NSEC3", "NSEC3_OPT_OUT"})
  void nsec3WildcardAnswerCarriesTheNsec3CoveringTheNextCloserName(Denial denial) throws Exception {
    Lookup.Answer answer = assertInstanceOf(Lookup.Answer.class, ask(denial, "a.b.wild.example.", Type.A, true));

    assertEquals(List.of("a.b.wild.example./A"), keys(answer.answer()));
    assertSignaturesVerify(denial, answer.answer());
    List<NSEC3Record> nsec3s = nsec3s(answer.authority());
    assertEquals(1, nsec3s.size());
    assertCovers(nsec3s.get(0), "b.wild.example."); // the closest encloser is wild.example.
  }

  @Test
  void wildcardNoDataHasTheCoveringNsecAndTheWildcardsNsec() {
    Lookup.NoData noData = assertInstanceOf(Lookup.NoData.class, ask("foo.wild.example.", Type.MX));

    assertEquals(List.of(), noData.answer());
    List<String> authority = keys(noData.authority());
    assertEquals("example./SOA", authority.get(0));
    List<NSECRecord> nsecs = nsecs(noData.authority());
    NSECRecord wildcard = nsecs.stream().filter(n -> n.getName().isWild()).findFirst().orElseThrow();
    assertEquals(Name.fromConstantString("*.wild.example."), wildcard.getName());
    assertFalse(wildcard.hasType(Type.MX));
    // here the wildcard's own NSEC is also the one covering the name, listed once
    assertTrue(nsecs.stream().anyMatch(n -> covers(n, Name.fromConstantString("foo.wild.example."))), authority.toString());
    assertEquals(nsecs.size(), Set.copyOf(keys(noData.authority())).size() - 1, "no repeats");
  }

  @ParameterizedTest
  @EnumSource(value = Denial.class, names = {"NSEC3", "NSEC3_OPT_OUT"})
  void nsec3WildcardNoDataProvesEncloserNextCloserAndWildcard(Denial denial) {
    Lookup.NoData noData = assertInstanceOf(Lookup.NoData.class, ask(denial, "foo.wild.example.", Type.MX, true));

    List<NSEC3Record> nsec3s = nsec3s(noData.authority());
    assertEquals(3, nsec3s.size());
    assertMatches(nsec3s.get(0), "wild.example.");
    assertCovers(nsec3s.get(1), "foo.wild.example.");
    assertMatches(nsec3s.get(2), "*.wild.example.");
    assertFalse(nsec3s.get(2).hasType(Type.MX));
  }

  @ParameterizedTest
  @EnumSource(Denial.class)
  void noDataHasTheSoaAndTheNamesOwnDenial(Denial denial) throws Exception {
    Lookup.NoData noData = assertInstanceOf(Lookup.NoData.class, ask(denial, "www.example.", Type.TXT, true));

    assertEquals(List.of(), noData.answer());
    assertEquals("example./SOA", keys(noData.authority()).get(0));
    assertEquals(2, noData.authority().size());
    Record proof = noData.authority().get(1).first();
    if (proof instanceof NSECRecord nsec) {
      assertEquals(Name.fromConstantString("www.example."), nsec.getName());
      assertFalse(nsec.hasType(Type.TXT));
    } else {
      assertMatches((NSEC3Record) proof, "www.example.");
    }
    assertSignaturesVerify(denial, noData.authority());
  }

  @ParameterizedTest
  @EnumSource(Denial.class)
  void emptyNonTerminalIsNoDataNotNameError(Denial denial) {
    Lookup.NoData noData = assertInstanceOf(Lookup.NoData.class, ask(denial, "b.c.example.", Type.A, true));

    Record proof = noData.authority().get(1).first();
    if (proof instanceof NSECRecord nsec) {
      // RFC 4035 section 3.1.3.1 via RFC 7129: the NSEC before the ENT points to a name below it
      assertCovers(nsec, "b.c.example.");
      assertTrue(nsec.getNext().subdomain(Name.fromConstantString("b.c.example.")));
    } else {
      assertMatches((NSEC3Record) proof, "b.c.example.");
    }
  }

  @Test
  void nameErrorHasNsecsCoveringTheNameAndTheWildcard() {
    Lookup.NameError error = assertInstanceOf(Lookup.NameError.class, ask("nosuch.example.", Type.A));

    assertEquals(org.xbill.DNS.Rcode.NXDOMAIN, error.rcode());
    assertEquals("example./SOA", keys(error.authority()).get(0));
    List<NSECRecord> nsecs = nsecs(error.authority());
    assertEquals(2, nsecs.size());
    assertCovers(nsecs.get(0), "nosuch.example.");
    assertCovers(nsecs.get(1), "*.example.");
  }

  @Test
  void nameErrorWithOneNsecCoveringNameAndWildcardListsItOnce() {
    // the apex NSEC (next: alias.example.) covers both aaa.example. and *.example.
    Lookup.NameError error = assertInstanceOf(Lookup.NameError.class, ask("aaa.example.", Type.A));

    List<NSECRecord> nsecs = nsecs(error.authority());
    assertEquals(1, nsecs.size());
    assertCovers(nsecs.get(0), "aaa.example.");
    assertCovers(nsecs.get(0), "*.example.");
  }

  @ParameterizedTest
  @EnumSource(value = Denial.class, names = {"NSEC3", "NSEC3_OPT_OUT"})
  void nsec3NameErrorHasTheClosestEncloserProof(Denial denial) throws Exception {
    Lookup.NameError error = assertInstanceOf(Lookup.NameError.class, ask(denial, "x.y.www.example.", Type.A, true));

    List<NSEC3Record> nsec3s = nsec3s(error.authority());
    assertEquals(3, nsec3s.size(), keys(error.authority()).toString());
    assertMatches(nsec3s.get(0), "www.example.");     // closest encloser
    assertCovers(nsec3s.get(1), "y.www.example.");    // next closer name
    assertCovers(nsec3s.get(2), "*.www.example.");    // no wildcard at the closest encloser
    assertSignaturesVerify(denial, error.authority());
  }

  @ParameterizedTest
  @EnumSource(Denial.class)
  void withoutDoNoDnssecRecordsAppearAnywhere(Denial denial) {
    List<String> names = List.of("example.", "www.example.", "www.secure.example.", "host.insecure.example.",
        "secure.example.", "insecure.example.", "foo.wild.example.", "host.dname.example.", "nope.dname.example.",
        "b.c.example.", "nosuch.example.", "x.y.www.example.", "chain1.example.", "x.deleg.ent.example.");
    int[] types = {Type.A, Type.TXT, Type.DS, Type.MX, Type.ANY, Type.SOA};
    for (String name : names) {
      for (int type : types) {
        Lookup result = ask(denial, name, type, false);
        for (RRset set : Stream.of(result.answer(), result.authority(), result.additional()).flatMap(List::stream).toList()) {
          String where = name + " " + Type.string(type) + ": " + set;
          assertTrue(set.sigs().isEmpty(), where);
          assertFalse(Set.of(Type.NSEC, Type.NSEC3, Type.RRSIG).contains(set.getType()), where);
        }
      }
    }
  }

  @Test
  void lookupsWithoutDoLeaveTheZonesSignaturesInPlace() {
    ask(Denial.NSEC, "www.example.", Type.A, false);
    ask(Denial.NSEC, "foo.wild.example.", Type.A, false);

    Zone zone = Denial.NSEC.signed().zone();
    assertFalse(zone.rrset(Name.fromConstantString("www.example."), Type.A).sigs().isEmpty());
    assertFalse(zone.rrset(Name.fromConstantString("*.wild.example."), Type.A).sigs().isEmpty());
  }

  @Test
  void anyReturnsEveryRRsetAtTheName() {
    Lookup.Answer answer = assertInstanceOf(Lookup.Answer.class, ask("www.example.", Type.ANY));

    assertEquals(Set.of("www.example./A", "www.example./AAAA", "www.example./NSEC"), Set.copyOf(keys(answer.answer())));
  }

  @Test
  void nsec3OwnerNamesAreNotNamesOfTheZone() {
    String hashed = label("www.example.") + ".example.";
    assertInstanceOf(Lookup.NameError.class, ask(Denial.NSEC3, hashed, Type.NSEC3, true));
  }

  @Test
  void nameOutsideTheZoneIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> ask("www.example.net.", Type.A));
  }

  @Test
  void rootZone2026ReferralsMatchTheZoneAndNameErrorsAreCovered() throws Exception {
    Zone root = ZoneFile.read(Fixtures.rootZone(Fixtures.ZONE_2026), Name.root);
    ZoneLookup lookup = new ZoneLookup(root);
    int tlds = 0;
    for (Map.Entry<Name, Map<Integer, RRset>> e : root.nodes().entrySet()) {
      Name tld = e.getKey();
      RRset ns = e.getValue().get(Type.NS);
      if (tld.labels() != 2 || ns == null) {
        continue;
      }
      tlds++;
      Lookup.Referral referral =
          assertInstanceOf(Lookup.Referral.class, lookup.lookup(new Name("www", tld), Type.A, true), tld.toString());
      assertEquals(Set.copyOf(ns.rrs(false)), Set.copyOf(referral.authority().get(0).rrs(false)), tld.toString());
      Set<Record> glue = new HashSet<>();
      for (Record r : ns.rrs(false)) {
        Name target = ((org.xbill.DNS.NSRecord) r).getTarget();
        if (target.subdomain(tld)) {
          for (int type : new int[] {Type.A, Type.AAAA}) {
            RRset set = root.rrset(target, type);
            if (set != null) {
              glue.addAll(set.rrs(false));
            }
          }
        }
      }
      Set<Record> served = referral.additional().stream().flatMap(s -> s.rrs(false).stream()).collect(Collectors.toSet());
      assertEquals(glue, served, "glue of " + tld);
      int proof = referral.authority().get(1).getType();
      assertEquals(e.getValue().containsKey(Type.DS) ? Type.DS : Type.NSEC, proof, tld.toString());
    }
    assertTrue(tlds > 1000, "the root zone has over a thousand TLDs, saw " + tlds);

    Random random = new Random(2026);
    for (int i = 0; i < 50; i++) {
      String label = random.ints(12, 'a', 'z' + 1).collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append) + "x" + i;
      Name qname = Name.fromConstantString(label + ".");
      Lookup.NameError error = assertInstanceOf(Lookup.NameError.class, lookup.lookup(qname, Type.A, true), label);
      List<NSECRecord> nsecs = nsecs(error.authority());
      assertTrue(nsecs.stream().anyMatch(n -> covers(n, qname)), label + " not covered by " + nsecs);
      assertTrue(nsecs.stream().anyMatch(n -> covers(n, Name.fromConstantString("*."))), "the wildcard *. is denied");
    }
  }

  // ---- helpers

  private static List<String> keys(List<RRset> sets) {
    return sets.stream().map(s -> s.getName() + "/" + Type.string(s.getType())).toList();
  }

  private static List<NSEC3Record> nsec3s(List<RRset> sets) {
    return sets.stream().filter(s -> s.getType() == Type.NSEC3).map(s -> (NSEC3Record) s.first()).toList();
  }

  private static List<NSECRecord> nsecs(List<RRset> sets) {
    return sets.stream().filter(s -> s.getType() == Type.NSEC).map(s -> (NSECRecord) s.first()).toList();
  }

  /** Each RRset carries signatures, and each verifies with the zone's keys at {@link #DURING}. */
  private static void assertSignaturesVerify(Denial denial, List<RRset> sets) throws Exception {
    List<DNSKEYRecord> keys = denial.signed().zone().apex(Type.DNSKEY).stream().map(DNSKEYRecord.class::cast).toList();
    for (RRset set : sets) {
      assertFalse(set.sigs().isEmpty(), "unsigned: " + set);
      for (RRSIGRecord sig : set.sigs()) {
        DNSKEYRecord key = keys.stream().filter(k -> k.getFootprint() == sig.getFootprint()).findFirst().orElseThrow();
        DNSSEC.verify(set, sig, key, DURING);
      }
    }
  }

  private static String label(String name) {
    return Nsec3Hash.label(Name.fromConstantString(name), ITERATIONS, SALT);
  }

  private static void assertMatches(NSEC3Record nsec3, String name) {
    assertEquals(label(name), nsec3.getName().getLabelString(0).toLowerCase(), "the NSEC3 matching " + name);
  }

  private static boolean matches(NSEC3Record nsec3, String name) {
    return label(name).equals(nsec3.getName().getLabelString(0).toLowerCase());
  }

  /** RFC 5155 section 3.1.7: the owner hash is before the name's and the next after it, or the chain wraps. */
  private static void assertCovers(NSEC3Record nsec3, String name) {
    assertTrue(covers(nsec3, name), nsec3.getName() + " (next " + Nsec3Hash.base32hex(nsec3.getNext()) + ") does not cover " + name);
  }

  private static boolean covers(NSEC3Record nsec3, String name) {
    String owner = nsec3.getName().getLabelString(0).toLowerCase();
    String next = Nsec3Hash.base32hex(nsec3.getNext());
    String hash = label(name);
    return owner.compareTo(next) < 0
        ? owner.compareTo(hash) < 0 && hash.compareTo(next) < 0
        : owner.compareTo(hash) < 0 || hash.compareTo(next) < 0; // the last NSEC3 wraps to the first
  }

  private static void assertCovers(NSECRecord nsec, String name) {
    assertTrue(covers(nsec, Name.fromConstantString(name)), nsec + " does not cover " + name);
  }

  /** RFC 4034 section 4.1.1: canonically after the owner and before the next name, or after the last owner. */
  private static boolean covers(NSECRecord nsec, Name name) {
    Name owner = nsec.getName();
    Name next = nsec.getNext();
    boolean last = next.compareTo(owner) <= 0;
    return owner.compareTo(name) < 0 && (last || name.compareTo(next) < 0);
  }

}
