package org.rootmirror.resolver.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.testing.Fixtures;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.rootmirror.resolver.validate.NsecDenial.NotProven;
import org.rootmirror.resolver.validate.NsecDenial.Proven;
import org.rootmirror.resolver.validate.NsecDenial.Result;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** NSEC proofs of denial, RFC 4035 section 5.4 and RFC 6840 section 4, on built and real root NSECs. */
class NsecDenialTest {
  private static final Name ROOT = Name.root;

  private static final NSECRecord APEX =
      nsec(".", "aaa.", Type.NS, Type.SOA, Type.RRSIG, Type.NSEC, Type.DNSKEY, Type.ZONEMD);
  private static final NSECRecord LOANS = nsec("loans.", "locker.", Type.NS, Type.DS, Type.RRSIG, Type.NSEC);
  private static final NSECRecord ZW = nsec("zw.", ".", Type.NS, Type.RRSIG, Type.NSEC);

  static NSECRecord nsec(String owner, String next, int... types) {
    return new NSECRecord(name(owner), DClass.IN, 86400, name(next), types);
  }

  static Name name(String s) {
    return Name.fromConstantString(s);
  }

  @Test
  void nameUnderNonexistentTldIsProvenByCoveringNsecAndApexNsecCoveringTheWildcard() {
    Result r = NsecDenial.nameError(name("foo.local."), ROOT, List.of(LOANS, APEX));
    assertInstanceOf(Proven.class, r, r.toString());
    assertTrue(NsecDenial.provesNonexistence(name("foo.local."), LOANS, APEX));
  }

  @Test
  void closestEncloserIsTheLongestCommonAncestorWithOwnerOrNext() {
    NSECRecord n = nsec("b.example.", "d.example.", Type.A);
    assertEquals(name("example."), NsecDenial.closestEncloser(name("x.c.example."), n));
    NSECRecord deep = nsec("a.b.example.", "z.b.example.", Type.A);
    assertEquals(name("b.example."), NsecDenial.closestEncloser(name("q.b.example."), deep));
  }

  @Test
  void wildcardAnswerIsProvenByAnNsecCoveringTheNameBelowTheClosestEncloser() {
    NSECRecord cover = nsec("a.example.", "c.example.", Type.A);
    Result r = NsecDenial.wildcardAnswer(name("b.example."), name("example."), List.of(cover));
    assertInstanceOf(Proven.class, r, r.toString());
  }

  @Test
  void wildcardAnswerIsNotProvenWhenTheNsecImpliesACloserEncloser() {
    // b.example. exists (the NSEC's next name is below it), so *.example. must not have been used
    NSECRecord cover = nsec("a.example.", "y.b.example.", Type.A);
    assertInstanceOf(NotProven.class,
        NsecDenial.wildcardAnswer(name("x.b.example."), name("example."), List.of(cover)));
    assertInstanceOf(NotProven.class,
        NsecDenial.wildcardAnswer(name("x.b.example."), name("example."), List.of()));
  }

  @Test
  void nameEqualToAnNsecOwnerIsNotANameError() {
    Result r = NsecDenial.nameError(name("loans."), ROOT, List.of(LOANS, APEX));
    assertInstanceOf(NotProven.class, r);
    assertFalse(NsecDenial.covers(LOANS, name("loans.")));
    assertFalse(NsecDenial.covers(LOANS, name("locker.")));
  }

  @Test
  void coveringNsecWithoutWildcardDenialIsNotEnough() {
    Result r = NsecDenial.nameError(name("foo.local."), ROOT, List.of(LOANS));
    NotProven np = assertInstanceOf(NotProven.class, r);
    assertTrue(np.reason().contains("wildcard *."), np.reason());
    assertFalse(NsecDenial.provesNonexistence(name("foo.local."), LOANS, LOANS));
  }

  @Test
  void existingWildcardIsNotANameError() {
    NSECRecord cover = nsec("a.example.", "c.example.", Type.A);
    NSECRecord wild = nsec("*.example.", "a.example.", Type.TXT);
    Result r = NsecDenial.nameError(name("b.example."), name("example."), List.of(cover, wild));
    assertInstanceOf(NotProven.class, r);
  }

  @Test
  void apexNsecProvesNoDataForApexA() {
    assertInstanceOf(Proven.class, NsecDenial.noData(ROOT, Type.A, List.of(APEX)));
    assertInstanceOf(NotProven.class, NsecDenial.noData(ROOT, Type.SOA, List.of(APEX)));
  }

  @Test
  void nsecListingCnameDoesNotProveNoData() {
    NSECRecord alias = nsec("www.example.", "z.example.", Type.CNAME, Type.RRSIG, Type.NSEC);
    assertInstanceOf(NotProven.class, NsecDenial.noData(name("www.example."), Type.A, List.of(alias)));
  }

  @Test
  void parentSideNsecProvesNoDsButNothingElseAtTheChild() {
    assertInstanceOf(Proven.class, NsecDenial.noData(name("zw."), Type.DS, List.of(ZW)));
    assertInstanceOf(NotProven.class, NsecDenial.noData(name("zw."), Type.A, List.of(ZW)));
    assertInstanceOf(Proven.class, NsecDenial.insecureDelegation(name("zw."), List.of(ZW)));
  }

  @Test
  void childApexNsecIsRefusedForDsDenial() {
    NSECRecord childApex = nsec("example.", "a.example.", Type.NS, Type.SOA, Type.RRSIG, Type.NSEC, Type.DNSKEY);
    NotProven np = assertInstanceOf(NotProven.class,
        NsecDenial.noData(name("example."), Type.DS, List.of(childApex)));
    assertTrue(np.reason().contains("SOA"), np.reason());
    assertInstanceOf(NotProven.class, NsecDenial.insecureDelegation(name("example."), List.of(childApex)));
  }

  @Test
  void signedDelegationIsNotInsecure() {
    assertInstanceOf(NotProven.class, NsecDenial.insecureDelegation(name("loans."), List.of(LOANS)));
  }

  @Test
  void wildcardNoDataNeedsCoveringNsecAndWildcardNsecWithoutTheType() {
    NSECRecord cover = nsec("a.example.", "c.example.", Type.A);
    NSECRecord wild = nsec("*.example.", "a.example.", Type.TXT, Type.RRSIG, Type.NSEC);
    assertInstanceOf(Proven.class, NsecDenial.noData(name("b.example."), Type.A, List.of(cover, wild)));
    assertInstanceOf(NotProven.class, NsecDenial.noData(name("b.example."), Type.TXT, List.of(cover, wild)));
    assertInstanceOf(NotProven.class, NsecDenial.noData(name("b.example."), Type.A, List.of(cover)));
  }

  @Test
  void emptyNonTerminalHasNoData() {
    NSECRecord ent = nsec("a.example.", "x.b.example.", Type.A);
    assertInstanceOf(Proven.class, NsecDenial.noData(name("b.example."), Type.A, List.of(ent)));
  }

  @Test
  void lastNsecWrappingToTheApexCoversNamesAfterIt() {
    NSECRecord last = nsec("zz.", ".", Type.NS, Type.DS, Type.RRSIG, Type.NSEC);
    assertTrue(NsecDenial.covers(last, name("zzz.")));
    assertTrue(NsecDenial.covers(last, name("zza.")));
    assertFalse(NsecDenial.covers(last, name("aaa.")));
    assertFalse(NsecDenial.covers(last, name("zz.")));
    Result r = NsecDenial.nameError(name("foo.zzz."), ROOT, List.of(last, APEX));
    assertInstanceOf(Proven.class, r, r.toString());
    NSECRecord lastInZone = nsec("z.example.", "example.", Type.A);
    assertTrue(NsecDenial.covers(lastInZone, name("zz.example.")));
    assertFalse(NsecDenial.covers(lastInZone, name("foo.example2.")));
  }

  @Test
  void delegationNsecCoversNoNameBelowTheCut() {
    assertFalse(NsecDenial.covers(ZW, name("foo.zw.")));
    assertInstanceOf(NotProven.class, NsecDenial.nameError(name("foo.zw."), ROOT, List.of(ZW, APEX)));
  }

  @Test
  void comparisonIgnoresCase() {
    assertTrue(NsecDenial.covers(LOANS, name("FOO.LoCaL.")));
    assertFalse(NsecDenial.covers(LOANS, name("LOANS.")));
    assertInstanceOf(Proven.class, NsecDenial.noData(name("ZW."), Type.DS, List.of(ZW)));
    assertInstanceOf(Proven.class,
        NsecDenial.nameError(name("Foo.LOCAL."), ROOT, List.of(LOANS, APEX)));
  }

  @Test
  void realRootNsecsProveNameErrorNoDataAndInsecureDelegation() throws IOException {
    Zone zone = ZoneFile.read(Fixtures.rootZone(Fixtures.ZONE_2026), ROOT);
    List<NSECRecord> nsecs = zone.records().stream()
        .filter(r -> r.getType() == Type.NSEC).map(r -> (NSECRecord) r).toList();
    assertInstanceOf(Proven.class, NsecDenial.nameError(name("foo.local."), ROOT, nsecs));
    assertInstanceOf(NotProven.class, NsecDenial.nameError(name("com."), ROOT, nsecs));
    assertInstanceOf(NotProven.class, NsecDenial.nameError(name("www.example.com."), ROOT, nsecs));
    assertInstanceOf(Proven.class, NsecDenial.noData(ROOT, Type.A, nsecs));
    NSECRecord unsigned = nsecs.stream()
        .filter(n -> !n.getName().equals(ROOT) && n.hasType(Type.NS) && !n.hasType(Type.DS))
        .findFirst().orElseThrow();
    Result r = NsecDenial.insecureDelegation(unsigned.getName(), nsecs);
    assertInstanceOf(Proven.class, r, unsigned.getName() + ": " + r);
    assertInstanceOf(Proven.class, NsecDenial.noData(unsigned.getName(), Type.DS, nsecs));
    assertInstanceOf(NotProven.class, NsecDenial.insecureDelegation(name("com."), nsecs));
    assertInstanceOf(NotProven.class, NsecDenial.noData(name("com."), Type.DS, nsecs));
  }

}
