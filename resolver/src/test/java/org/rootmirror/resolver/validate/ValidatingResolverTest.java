package org.rootmirror.resolver.validate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.dnssec.testing.TestZoneSigner;
import org.rootmirror.dnssec.testing.TestZoneSigner.SignedZone;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.Resolver;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.rootmirror.resolver.testing.MutableTime;
import org.rootmirror.resolver.testing.SignedZones;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC.Algorithm;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The validating resolver over a fake iterator serving a signed tree of zones (a root, three TLDs,
 * second-level zones signed with NSEC, NSEC3, expired, not yet valid, or wrongly delegated), with
 * an attacker on the path where a test needs one. RFC 4035 section 5 throughout.
 */
class ValidatingResolverTest {
  private static final Instant NOW = new MutableTime().instant();
  private static final byte[] SALT = {(byte) 0xab, (byte) 0xcd};
  private static final World WORLD = World.build();

  private final MutableTime time = new MutableTime();
  private final List<Question> keyQuestions = Collections.synchronizedList(new ArrayList<>());

  // --- positive answers ----------------------------------------------------------------------

  @Test
  void theRootsKeysValidatedFromTheAnchorsAreToldWithTheirSignaturesAndNoOthers() {
    List<RRset> told = Collections.synchronizedList(new ArrayList<>());
    ValidationConfig config = ValidationConfig.of(WORLD.anchors).withRootKeys(told::add);
    UnaryOperator<Resolver> self = resolver -> resolver;
    Resolution r = new ValidatingResolver(WORLD.zones, self, config, time).resolve(Question.of(name("www.example.com."), Type.A), false);

    assertEquals(SecurityStatus.SECURE, r.status());
    assertFalse(told.isEmpty(), "the root's DNSKEY RRset was validated on the way");
    assertTrue(told.stream().allMatch(set -> set.getName().equals(Name.root) && set.getType() == Type.DNSKEY), told.toString());
    assertFalse(told.get(0).sigs().isEmpty(), "with the signatures RFC 5011 needs to see a revocation");
  }

  @Test
  void signedAnswerIsSecure() {
    Resolution r = resolve("www.example.com.", Type.A);

    assertEquals(Rcode.NOERROR, r.rcode());
    assertEquals(SecurityStatus.SECURE, r.status());
    assertEquals(Type.A, r.answer().get(0).getType());
  }

  @Test
  void cnameChainAcrossSignedZonesIsSecure() {
    Resolution r = resolve("alias.example.com.", Type.A);

    assertEquals(SecurityStatus.SECURE, r.status());
    assertEquals(List.of(Type.CNAME, Type.A), r.answer().stream().map(RRset::getType).toList());
    assertEquals(name("www.example.org."), r.answer().get(1).getName());
  }

  @Test
  void cnameSynthesisedFromASignedDnameIsSecure() {
    Resolution r = resolve("www.moved.example.com.", Type.A);

    assertEquals(SecurityStatus.SECURE, r.status());
    assertEquals(List.of(Type.DNAME, Type.CNAME, Type.A), r.answer().stream().map(RRset::getType).toList());
    assertTrue(r.answer().get(1).sigs().isEmpty(), "the synthesised CNAME is unsigned (RFC 6672 section 5.3.3)");
  }

  @Test
  void cnameThatDoesNotMatchItsDnameIsBogus() {
    Question q = Question.of(name("www.moved.example.com."), Type.A);
    Resolution r = validator(on(q, ValidatingResolverTest::withCnameRedirected)).resolve(q, false);

    // forged, not merely unsigned; and judged without asking for DS below the DNAME
    assertServfail(r, ExtendedErrorCodeOption.DNSSEC_BOGUS);
    assertTrue(r.error().getText().contains("DNAME at moved.example.com."), r.error().getText());
    assertTrue(keyQuestions.stream().noneMatch(k -> k.name().subdomain(name("moved.example.com."))), keyQuestions.toString());
  }

  @Test
  void cnameChainFromSignedIntoUnsignedZoneIsInsecure() {
    Resolution r = resolve("tounsigned.example.com.", Type.A);

    assertEquals(Rcode.NOERROR, r.rcode());
    assertEquals(SecurityStatus.INSECURE, r.status());
    assertEquals(2, r.answer().size());
  }

  @Test
  void dataBelowADelegationWithoutDsIsInsecure() {
    // com. proves no DS with NSEC; net. leaves the delegation out of its opt-out NSEC3 chain
    assertEquals(SecurityStatus.INSECURE, resolve("www.insecure.com.", Type.A).status());
    assertEquals(SecurityStatus.INSECURE, resolve("www.unsigned.net.", Type.A).status());
  }

  @Test
  void proofOfNoDsIsItselfSecureAndDenialsBelowItAreInsecure() {
    Resolution noDs = resolve("insecure.com.", Type.DS);
    Resolution nx = resolve("nx.insecure.com.", Type.A);

    assertEquals(Rcode.NOERROR, noDs.rcode());
    assertTrue(noDs.answer().isEmpty());
    assertEquals(SecurityStatus.SECURE, noDs.status());
    assertEquals(Rcode.NXDOMAIN, nx.rcode());
    assertEquals(SecurityStatus.INSECURE, nx.status());
  }

  @Test
  void zoneWhoseDsHasOnlyUnsupportedAlgorithmsIsInsecure() {
    Resolution r = resolve("www.oldalg.com.", Type.A);

    assertEquals(Rcode.NOERROR, r.rcode());
    assertEquals(SecurityStatus.INSECURE, r.status());
  }

  @Test
  void keysAreSecureWhenAnsweredThemselves() {
    assertEquals(SecurityStatus.SECURE, resolve("example.com.", Type.DNSKEY).status());
    assertEquals(SecurityStatus.SECURE, resolve("example.com.", Type.DS).status());
    assertEquals(SecurityStatus.SECURE, resolve(".", Type.DNSKEY).status());
  }

  @Test
  void dsAndDnskeyLookupsGoThroughTheKeysResolver() {
    Resolution r = resolve("www.example.com.", Type.A);

    assertEquals(SecurityStatus.SECURE, r.status());
    assertTrue(keyQuestions.containsAll(List.of(
        Question.of(Name.root, Type.DNSKEY),
        Question.of(name("com."), Type.DS), Question.of(name("com."), Type.DNSKEY),
        Question.of(name("example.com."), Type.DS), Question.of(name("example.com."), Type.DNSKEY))),
        keyQuestions.toString());
    assertTrue(keyQuestions.stream().allMatch(q -> q.type() == Type.DS || q.type() == Type.DNSKEY), keyQuestions.toString());
    // asked once each within one resolution, however often the chain needs them
    assertEquals(keyQuestions.stream().distinct().count(), keyQuestions.size(), keyQuestions.toString());
  }

  // --- bogus answers -------------------------------------------------------------------------

  @Test
  void unsignedDataInASignedZoneIsBogusWithRrsigsMissing() {
    Question q = Question.of(name("www.example.com."), Type.A);
    Resolution r = validator(on(q, ValidatingResolverTest::withoutSignatures)).resolve(q, false);

    assertServfail(r, ExtendedErrorCodeOption.RRSIGS_MISSING);
    assertTrue(r.error().getText().contains("www.example.com."), r.error().getText());
  }

  @Test
  void corruptedSignatureGivesServfailWithDnssecBogus() {
    Question q = Question.of(name("www.example.com."), Type.A);
    Resolution r = validator(on(q, ValidatingResolverTest::withCorruptedSignatures)).resolve(q, false);

    assertServfail(r, ExtendedErrorCodeOption.DNSSEC_BOGUS);
    assertTrue(r.error().getText().contains("www.example.com. A"), r.error().getText());
  }

  @Test
  void expiredSignaturesGiveSignatureExpired() {
    assertServfail(resolve("www.expired.com.", Type.A), ExtendedErrorCodeOption.SIGNATURE_EXPIRED);
  }

  @Test
  void signaturesNotYetValidGiveSignatureNotYetValid() {
    assertServfail(resolve("www.future.com.", Type.A), ExtendedErrorCodeOption.SIGNATURE_NOT_YET_VALID);
  }

  @Test
  void signaturesBecomeExpiredAsTimePasses() {
    time.advance(Duration.ofDays(60));

    assertServfail(resolve("www.example.com.", Type.A), ExtendedErrorCodeOption.SIGNATURE_EXPIRED);
  }

  @Test
  void dsThatNamesNoKeyOfTheChildGivesDnskeyMissing() {
    Resolution r = resolve("www.bad-ds.com.", Type.A);

    assertServfail(r, ExtendedErrorCodeOption.DNSKEY_MISSING);
    assertTrue(r.error().getText().contains("bad-ds.com."), r.error().getText());
  }

  @Test
  void strippingTheDsAndTheSignaturesDoesNotDowngradeToInsecure() {
    Question a = Question.of(name("www.example.com."), Type.A);
    Question ds = Question.of(name("example.com."), Type.DS);
    Resolver attacked = WORLD.zones.tampered((q, r) -> {
      if (q.equals(ds)) {
        return new Resolution(Rcode.NOERROR, List.of(), List.of(), r.status(), null);
      }
      return q.equals(a) ? withoutSignatures(r) : r;
    });

    Resolution r = validator(attacked).resolve(a, false);

    assertServfail(r, ExtendedErrorCodeOption.NSEC_MISSING);
    assertTrue(r.error().getText().contains("example.com."), r.error().getText());
  }

  @Test
  void keysDeniedWithRecordsSignedByThoseKeysAreALoopNotAHang() {
    // the attacker answers the DNSKEY question with the zone's own (genuine) denial of AAAA
    Question keys = Question.of(name("example.com."), Type.DNSKEY);
    Resolution denial = WORLD.zones.resolve(Question.of(name("example.com."), Type.AAAA), false);
    Question a = Question.of(name("www.example.com."), Type.A);

    Resolution r = validator(on(keys, x -> denial)).resolve(a, false);

    assertServfail(r, ExtendedErrorCodeOption.DNSSEC_BOGUS);
    assertTrue(r.error().getText().contains("loop"), r.error().getText());
  }

  @Test
  void checkingDisabledReturnsBogusDataMarkedBogus() {
    Question q = Question.of(name("www.example.com."), Type.A);
    Resolution r = validator(on(q, ValidatingResolverTest::withCorruptedSignatures)).resolve(q, true);

    assertEquals(Rcode.NOERROR, r.rcode());
    assertEquals(SecurityStatus.BOGUS, r.status());
    assertEquals(Type.A, r.answer().get(0).getType());
  }

  @Test
  void checkingDisabledLeavesSecureAndInsecureAnswersAlone() {
    ValidatingResolver v = validator(WORLD.zones);

    assertEquals(SecurityStatus.SECURE, v.resolve(Question.of(name("www.example.com."), Type.A), true).status());
    assertEquals(SecurityStatus.INSECURE, v.resolve(Question.of(name("www.insecure.com."), Type.A), true).status());
  }

  @Test
  void innerServfailPassesThroughUnchanged() {
    Resolution failure = Resolution.servfail(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY, "all servers timed out");
    Question q = Question.of(name("www.example.com."), Type.A);

    assertSame(failure, validator(on(q, r -> failure)).resolve(q, false));
  }

  // --- negative answers ----------------------------------------------------------------------

  @Test
  void nameErrorProvenWithNsecIsSecure() {
    Resolution r = resolve("nx.example.com.", Type.A);

    assertEquals(Rcode.NXDOMAIN, r.rcode());
    assertEquals(SecurityStatus.SECURE, r.status());
  }

  @Test
  void noDataProvenWithNsecIsSecure() {
    Resolution r = resolve("www.example.com.", Type.AAAA);

    assertEquals(Rcode.NOERROR, r.rcode());
    assertTrue(r.answer().isEmpty());
    assertEquals(SecurityStatus.SECURE, r.status());
  }

  @Test
  void nameErrorAndNoDataProvenWithNsec3AreSecure() {
    Resolution nx = resolve("nx.example.org.", Type.A);
    Resolution nodata = resolve("www.example.org.", Type.AAAA);

    assertEquals(Rcode.NXDOMAIN, nx.rcode());
    assertEquals(SecurityStatus.SECURE, nx.status());
    assertEquals(Rcode.NOERROR, nodata.rcode());
    assertEquals(SecurityStatus.SECURE, nodata.status());
  }

  @Test
  void nameErrorWithoutItsNsecGivesNsecMissing() {
    Question q = Question.of(name("nx.example.com."), Type.A);
    Resolution r = validator(on(q, ValidatingResolverTest::withoutProofs)).resolve(q, false);

    assertServfail(r, ExtendedErrorCodeOption.NSEC_MISSING);
  }

  @Test
  void nameErrorMissingOneOfItsNsec3GivesNsecMissing() {
    Question q = Question.of(name("nx.example.org."), Type.A);
    Resolution r = validator(on(q, ValidatingResolverTest::withoutLastProof)).resolve(q, false);

    assertServfail(r, ExtendedErrorCodeOption.NSEC_MISSING);
  }

  @Test
  void nsec3WithIterationsAboveTheLimitGivesInsecureDenial() {
    Resolution nx = resolve("nx.costly.net.", Type.A);

    assertEquals(Rcode.NXDOMAIN, nx.rcode());
    assertEquals(SecurityStatus.INSECURE, nx.status());
    // the iteration count weakens only denials: signed data is still secure
    assertEquals(SecurityStatus.SECURE, resolve("www.costly.net.", Type.A).status());
  }

  // --- wildcards -----------------------------------------------------------------------------

  @Test
  void wildcardAnswerWithItsProofIsSecure() {
    Resolution nsec = resolve("x.wild.example.com.", Type.TXT);
    Resolution nsec3 = resolve("x.wild.example.org.", Type.TXT);

    assertEquals(SecurityStatus.SECURE, nsec.status());
    assertEquals(name("x.wild.example.com."), nsec.answer().get(0).getName());
    assertEquals(SecurityStatus.SECURE, nsec3.status());
  }

  @Test
  void wildcardAnswerWithoutItsProofIsBogus() {
    Question q = Question.of(name("x.wild.example.com."), Type.TXT);
    Question q3 = Question.of(name("x.wild.example.org."), Type.TXT);

    assertServfail(validator(on(q, ValidatingResolverTest::withoutProofs)).resolve(q, false),
        ExtendedErrorCodeOption.NSEC_MISSING);
    assertServfail(validator(on(q3, ValidatingResolverTest::withoutProofs)).resolve(q3, false),
        ExtendedErrorCodeOption.NSEC_MISSING);
  }

  // --- KeyTrap -------------------------------------------------------------------------------

  @Test
  void chainWithManyBadSignaturesSpendsTheBudgetAndGivesServfail() {
    Question q = Question.of(name("c1.trap.com."), Type.A);
    ValidatingResolver v = validator(on(q, ValidatingResolverTest::withSevenBadSignaturesEach));

    Resolution r = v.resolve(q, false);

    assertEquals(Rcode.SERVFAIL, r.rcode());
    assertEquals(ExtendedErrorCodeOption.OTHER, r.error().getErrorCode());
    assertTrue(r.error().getText().startsWith(ValidatingResolver.LIMIT_TEXT), r.error().getText());
    assertEquals(1, v.budgetExhaustions());
    // 17 failures end it; the keys and the good signatures before them are a handful more
    assertTrue(v.verifications() <= ValidationBudget.DEFAULT_FAILURES + 1 + 8, "verifications: " + v.verifications());
    // the budget is per resolution: the next one on this thread starts afresh
    assertEquals(SecurityStatus.SECURE, v.resolve(Question.of(name("www.example.com."), Type.A), false).status());
  }

  @Test
  void sameChainWithOneSignatureEachIsSecure() {
    Resolution r = resolve("c1.trap.com.", Type.A);

    assertEquals(SecurityStatus.SECURE, r.status());
    assertEquals(6, r.answer().size());
  }

  @Test
  void theZonesNsWithANegativeAnswerIsKeptWhenItValidatesAndLeftOutWhenNot() {
    // RFC 2308 section 2.1 lets an authority add its NS RRset; AD vouches for it too (RFC 4035
    // section 3.2.3), so it must validate, and one that does not costs only itself
    RRset signedNs = WORLD.zones.resolve(Question.of(name("example.com."), Type.NS), false).answer().get(0);
    Question nx = Question.of(name("nope.example.com."), Type.A);
    Resolution kept = validator(on(nx, r -> withAuthority(r, signedNs))).resolve(nx, false);
    assertEquals(Rcode.NXDOMAIN, kept.rcode());
    assertEquals(SecurityStatus.SECURE, kept.status());
    assertTrue(kept.authority().stream().anyMatch(a -> a.getType() == Type.NS), kept.authority().toString());
    Resolution left = validator(on(nx, r -> withAuthority(r, copy(signedNs, List.of())))).resolve(nx, false);
    assertEquals(SecurityStatus.SECURE, left.status());
    assertTrue(left.authority().stream().noneMatch(a -> a.getType() == Type.NS), left.authority().toString());
  }

  // --- helpers -------------------------------------------------------------------------------

  private Resolution resolve(String qname, int qtype) {
    return validator(WORLD.zones).resolve(Question.of(name(qname), qtype), false);
  }

  /** A validator whose key lookups go through a recording layer back into itself. */
  private ValidatingResolver validator(Resolver iterator) {
    UnaryOperator<Resolver> recording = self -> (question, cd) -> {
      keyQuestions.add(question);
      return self.resolve(question, cd);
    };
    return new ValidatingResolver(iterator, recording, WORLD.anchors, time);
  }

  /** The world's zones, with {@code change} applied to the answer to {@code target} only. */
  private static Resolver on(Question target, UnaryOperator<Resolution> change) {
    BiFunction<Question, Resolution, Resolution> tamper = (q, r) -> q.equals(target) ? change.apply(r) : r;
    return WORLD.zones.tampered(tamper);
  }

  private static void assertServfail(Resolution r, int ede) {
    assertEquals(Rcode.SERVFAIL, r.rcode(), () -> "status " + r.status() + ", answer " + r.answer());
    assertEquals(ede, r.error().getErrorCode(), r.error().getText());
    assertTrue(r.answer().isEmpty());
  }

  private static Resolution withoutSignatures(Resolution r) {
    return new Resolution(r.rcode(), r.answer().stream().map(s -> copy(s, List.of())).toList(),
        r.authority(), r.status(), r.error());
  }

  private static Resolution withCorruptedSignatures(Resolution r) {
    return new Resolution(r.rcode(),
        r.answer().stream().map(s -> copy(s, s.sigs().stream().map(sig -> corrupted(sig, 0)).toList())).toList(),
        r.authority(), r.status(), r.error());
  }

  /** The synthesised CNAME pointed elsewhere: to a name with a signed A, so only the CNAME is wrong. */
  private static Resolution withCnameRedirected(Resolution r) {
    List<RRset> answer = new ArrayList<>();
    for (RRset s : r.answer()) {
      answer.add(s.getType() != Type.CNAME ? s
          : new RRset(new CNAMERecord(s.getName(), DClass.IN, s.getTTL(), name("www.example.com."))));
    }
    return new Resolution(r.rcode(), answer, r.authority(), r.status(), r.error());
  }

  private static Resolution withAuthority(Resolution r, RRset more) {
    List<RRset> authority = new ArrayList<>(r.authority());
    authority.add(more);
    return new Resolution(r.rcode(), r.answer(), authority, r.status(), r.error());
  }

  private static Resolution withoutProofs(Resolution r) {
    List<RRset> authority = r.authority().stream()
        .filter(s -> s.getType() != Type.NSEC && s.getType() != Type.NSEC3)
        .toList();
    return new Resolution(r.rcode(), r.answer(), authority, r.status(), r.error());
  }

  private static Resolution withoutLastProof(Resolution r) {
    List<RRset> authority = new ArrayList<>(r.authority());
    authority.remove(authority.size() - 1);
    return new Resolution(r.rcode(), r.answer(), authority, r.status(), r.error());
  }

  /** KeyTrap-style (CVE-2023-50387): every RRset carries 7 signatures that fail before the good one. */
  private static Resolution withSevenBadSignaturesEach(Resolution r) {
    List<RRset> answer = new ArrayList<>();
    for (RRset s : r.answer()) {
      List<RRSIGRecord> sigs = new ArrayList<>();
      RRSIGRecord good = s.sigs().get(0);
      for (int i = 0; i < 7; i++) {
        sigs.add(corrupted(good, i));
      }
      sigs.add(good);
      answer.add(copy(s, sigs));
    }
    return new Resolution(r.rcode(), answer, r.authority(), r.status(), r.error());
  }

  private static RRset copy(RRset s, List<RRSIGRecord> sigs) {
    RRset out = new RRset();
    s.rrs(false).forEach(out::addRR);
    sigs.forEach(out::addRR);
    return out;
  }

  private static RRSIGRecord corrupted(RRSIGRecord sig, int at) {
    byte[] bytes = sig.getSignature().clone();
    bytes[at] ^= 0x5a;
    return new RRSIGRecord(sig.getName(), sig.getDClass(), sig.getTTL(), sig.getTypeCovered(), sig.getAlgorithm(),
        sig.getOrigTTL(), sig.getExpire(), sig.getTimeSigned(), sig.getFootprint(), sig.getSigner(), bytes);
  }

  private static Name name(String s) {
    return Name.fromConstantString(s);
  }

  /** The signed tree, built once: children signed first so that each parent holds their DS. */
  private record World(SignedZones zones, TrustAnchors anchors) {
    static World build() {
      Instant from = NOW.minus(Duration.ofHours(1));
      Instant until = NOW.plus(Duration.ofDays(30));
      List<Zone> zones = new ArrayList<>();

      SignedZone exampleCom = nsec("example.com.", from, until, """
          www A 192.0.2.1
          alias CNAME www.example.org.
          tounsigned CNAME www.insecure.com.
          moved DNAME example.org.
          *.wild TXT "from the wildcard"
          """);
      SignedZone expired = nsec("expired.com.", NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(1)),
          "www A 192.0.2.7\n");
      SignedZone future = nsec("future.com.", NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)),
          "www A 192.0.2.8\n");
      SignedZone badDs = nsec("bad-ds.com.", from, until, "www A 192.0.2.9\n");
      SignedZone oldAlg = nsec("oldalg.com.", from, until, "www A 192.0.2.10\n");
      SignedZone trap = nsec("trap.com.", from, until, """
          c1 CNAME c2
          c2 CNAME c3
          c3 CNAME c4
          c4 CNAME c5
          c5 CNAME www
          www A 192.0.2.11
          """);
      Zone insecureCom = Zone.of(name("insecure.com."), records("insecure.com.", apex("insecure.com.") + "www A 192.0.2.3\n"));
      DSRecord wrongDs = new DSRecord(name("bad-ds.com."), DClass.IN, 3600, 2,
          TestZoneSigner.generate(name("bad-ds.com."), Algorithm.ECDSAP256SHA256).ksk().dnskey());
      DSRecord rsaMd5Ds = new DSRecord(name("oldalg.com."), DClass.IN, 3600, oldAlg.ds().getFootprint(),
          Algorithm.RSAMD5, oldAlg.ds().getDigestID(), oldAlg.ds().getDigest());
      SignedZone com = nsec("com.", from, until, delegations(exampleCom.ds(), expired.ds(), future.ds(), trap.ds(),
          wrongDs, rsaMd5Ds) + "insecure NS ns.insecure.com.\n");

      SignedZone exampleOrg = nsec3("example.org.", 0, false, from, until, """
          www A 192.0.2.2
          *.wild TXT "from the wildcard"
          """);
      SignedZone org = nsec3("org.", 0, false, from, until, delegations(exampleOrg.ds()));

      SignedZone costly = nsec3("costly.net.", 150, false, from, until, "www A 192.0.2.4\n");
      Zone unsignedNet = Zone.of(name("unsigned.net."), records("unsigned.net.", apex("unsigned.net.") + "www A 192.0.2.5\n"));
      SignedZone net = nsec3("net.", 0, true, from, until, delegations(costly.ds()) + "unsigned NS ns.unsigned.net.\n");

      SignedZone root = nsec(".", from, until, delegations(com.ds(), org.ds(), net.ds()));

      for (SignedZone z : List.of(root, com, org, net, exampleCom, expired, future, badDs, oldAlg, trap, exampleOrg, costly)) {
        zones.add(z.zone());
      }
      zones.add(insecureCom);
      zones.add(unsignedNet);
      return new World(SignedZones.of(zones), root.anchors());
    }

    private static SignedZone nsec(String origin, Instant from, Instant until, String body) {
      return TestZoneSigner.generate(name(origin), Algorithm.ECDSAP256SHA256)
          .validity(from, until)
          .sign(records(origin, apex(origin) + body));
    }

    private static SignedZone nsec3(String origin, int iterations, boolean optOut, Instant from, Instant until, String body) {
      return TestZoneSigner.generate(name(origin), Algorithm.ECDSAP256SHA256)
          .validity(from, until)
          .nsec3(iterations, SALT, optOut)
          .sign(records(origin, apex(origin) + body));
    }

    private static String apex(String origin) {
      return "@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\n";
    }

    /** An NS and the given DS for each child, in the parent's zone file. */
    private static String delegations(DSRecord... ds) {
      StringBuilder sb = new StringBuilder();
      for (DSRecord d : ds) {
        sb.append(d.getName()).append(" NS ns1.").append(d.getName()).append('\n');
        sb.append(d.rdataToString().isEmpty() ? "" : d.getName() + " 3600 DS " + d.rdataToString() + "\n");
      }
      return sb.toString();
    }

    private static List<Record> records(String origin, String text) {
      try {
        return ZoneFile.parse(("$ORIGIN " + origin + "\n$TTL 3600\n" + text).getBytes(UTF_8), origin, name(origin)).records();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
