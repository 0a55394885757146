package org.rootmirror.resolver.validate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.anchor.TrustAnchor;
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
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
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
 * What the validator trusts: unsupported and SHA-1 algorithms (RFC 4035 section 5.2, RFC 6840
 * section 5.2, RFC 8624), trust anchors for zones other than the root (RFC 4033 section 3), no
 * anchors at all, negative trust anchors (RFC 7646), and the answers that are not validated
 * (qtype RRSIG) or must keep their proofs (wildcards).
 */
class ValidationPolicyTest {
  private static final Instant NOW = new MutableTime().instant();
  private static final byte[] SALT = {(byte) 0x12, (byte) 0x34};
  private static final World WORLD = World.build();

  private final MutableTime time = new MutableTime();

  // --- unsupported algorithms and digests (item 1) --------------------------------------------

  @Test
  void unsignedZoneUnderDsOfOnlyAnUnknownAlgorithmIsInsecureNotBogus() {
    Resolution a = resolve(WORLD.root, "www.alg100.com.", Type.A);
    Resolution nx = resolve(WORLD.root, "nx.alg100.com.", Type.A);

    assertEquals(Rcode.NOERROR, a.rcode(), () -> String.valueOf(a.error()));
    assertEquals(SecurityStatus.INSECURE, a.status());
    assertEquals(Rcode.NXDOMAIN, nx.rcode(), () -> String.valueOf(nx.error()));
    assertEquals(SecurityStatus.INSECURE, nx.status());
  }

  @Test
  void unsignedZoneUnderDsOfOnlyAnUnknownDigestTypeIsInsecureNotBogus() {
    Resolution a = resolve(WORLD.root, "www.digest100.com.", Type.A);

    assertEquals(Rcode.NOERROR, a.rcode(), () -> String.valueOf(a.error()));
    assertEquals(SecurityStatus.INSECURE, a.status());
  }

  @Test
  void onlyTheSupportedDsCountWhenSomeAre() {
    // mixed.com: a DS of algorithm 100 beside the real one; the zone is signed and secure
    assertEquals(SecurityStatus.SECURE, resolve(WORLD.root, "www.mixed.com.", Type.A).status());
    // and its data unsigned is bogus, not insecure: the supported DS makes the zone signed
    Question q = Question.of(name("www.mixed.com."), Type.A);
    Resolution stripped = validator(WORLD.zones.tampered((x, r) -> x.equals(q) ? withoutSignatures(r) : r),
        WORLD.root).resolve(q, false);
    assertEquals(Rcode.SERVFAIL, stripped.rcode());
    assertEquals(ExtendedErrorCodeOption.RRSIGS_MISSING, stripped.error().getErrorCode());
  }

  @Test
  void trustAnchorOfOnlyUnsupportedAlgorithmsMakesEverythingInsecure() {
    DSRecord real = WORLD.rootDs;
    TrustAnchors alg100 = TrustAnchors.of(List.of(TrustAnchor.of(new DSRecord(Name.root, DClass.IN, 0,
        real.getFootprint(), 100, real.getDigestID(), real.getDigest()))));
    ValidationConfig config = ValidationConfig.of(alg100);

    assertEquals(SecurityStatus.INSECURE, resolve(config, "www.example.com.", Type.A).status());
    assertEquals(SecurityStatus.INSECURE, resolve(config, "www.alg100.com.", Type.A).status());
    assertEquals(Rcode.NOERROR, resolve(config, "www.alg100.com.", Type.A).rcode());
  }

  // --- SHA-1 algorithms (item 2) --------------------------------------------------------------

  @Test
  void rsasha1ZoneUnderASha1DsIsSecure() {
    assertEquals(SecurityStatus.SECURE, resolve(WORLD.root, "www.rsasha1.com.", Type.A).status());
    Resolution nx = resolve(WORLD.root, "nx.rsasha1.com.", Type.A);
    assertEquals(Rcode.NXDOMAIN, nx.rcode());
    assertEquals(SecurityStatus.SECURE, nx.status());
  }

  @Test
  void rsasha1Nsec3ZoneIsSecureAndItsDenialsToo() {
    assertEquals(SecurityStatus.SECURE, resolve(WORLD.root, "www.example.net.", Type.A).status());
    Resolution nx = resolve(WORLD.root, "nx.example.net.", Type.A);
    assertEquals(Rcode.NXDOMAIN, nx.rcode());
    assertEquals(SecurityStatus.SECURE, nx.status());
  }

  @Test
  void corruptedRsasha1SignatureIsBogus() {
    Question q = Question.of(name("www.rsasha1.com."), Type.A);
    Resolution r = validator(WORLD.zones.tampered((x, res) -> x.equals(q) ? withCorruptedSignatures(res) : res), WORLD.root)
        .resolve(q, false);

    assertEquals(Rcode.SERVFAIL, r.rcode());
    assertEquals(ExtendedErrorCodeOption.DNSSEC_BOGUS, r.error().getErrorCode());
  }

  // --- trust anchors (item 6) -----------------------------------------------------------------

  @Test
  void anAlgorithm7KeyAnchorForAZoneValidatesItAndNamesOutsideItAreInsecure() {
    ValidationConfig config = ValidationConfig.of(TrustAnchors.of(List.of(TrustAnchor.of(WORLD.exampleNetKsk))));

    assertEquals(SecurityStatus.SECURE, resolve(config, "www.example.net.", Type.A).status());
    assertEquals(SecurityStatus.SECURE, resolve(config, "example.net.", Type.DNSKEY).status());
    Resolution outside = resolve(config, "www.example.com.", Type.A);
    assertEquals(Rcode.NOERROR, outside.rcode());
    assertEquals(SecurityStatus.INSECURE, outside.status());
    // the DS of the anchored zone lives in net., which no anchor covers
    assertEquals(SecurityStatus.INSECURE, resolve(config, "example.net.", Type.DS).status());
  }

  @Test
  void theClosestAnchorIsUsedSoAZoneWithAWrongParentDsIsSecureThroughItsOwnAnchor() {
    ValidationConfig rootOnly = WORLD.root;
    ValidationConfig both = ValidationConfig.of(TrustAnchors.of(List.of(
        TrustAnchor.of(WORLD.rootDs), TrustAnchor.of(WORLD.anchoredDs))));

    Resolution viaRoot = resolve(rootOnly, "www.anchored.com.", Type.A);
    assertEquals(Rcode.SERVFAIL, viaRoot.rcode());
    assertEquals(ExtendedErrorCodeOption.DNSKEY_MISSING, viaRoot.error().getErrorCode());
    assertEquals(SecurityStatus.SECURE, resolve(both, "www.anchored.com.", Type.A).status());
    assertEquals(SecurityStatus.SECURE, resolve(both, "www.example.com.", Type.A).status(), "through the root anchor");
  }

  @Test
  void dataUnderAnAnchorSignedByAZoneAboveItIsBogusNotInsecure() {
    // an attacker re-signs anchored.com data with com's keys would need them; a signer name above
    // the anchor is enough to test that the chain must start at the closest anchor
    ValidationConfig anchoredOnly = ValidationConfig.of(TrustAnchors.of(List.of(TrustAnchor.of(WORLD.anchoredDs))));
    Question q = Question.of(name("www.anchored.com."), Type.A);
    Resolution r = validator(WORLD.zones.tampered((x, res) -> x.equals(q) ? withSigner(res, name("com.")) : res),
        anchoredOnly).resolve(q, false);

    assertEquals(Rcode.SERVFAIL, r.rcode());
    assertEquals(ExtendedErrorCodeOption.DNSSEC_BOGUS, r.error().getErrorCode());
  }

  @Test
  void mnemonicAnchorTextForAZoneWorksEndToEnd() {
    DSRecord ds = WORLD.anchoredDs;
    String text = "anchored.com. IN DS " + ds.getFootprint() + " ECDSAP256SHA256 2 "
        + java.util.HexFormat.of().formatHex(ds.getDigest()) + "\n";
    ValidationConfig config = ValidationConfig.of(TrustAnchors.parseZoneFormat(text, "trust-anchor"));

    assertEquals(SecurityStatus.SECURE, resolve(config, "www.anchored.com.", Type.A).status());
  }

  @Test
  void withoutAnyAnchorNothingIsValidatedAndNothingIsBogus() {
    ValidationConfig none = ValidationConfig.none();
    Question q = Question.of(name("www.example.com."), Type.A);
    ValidatingResolver v = validator(WORLD.zones.tampered((x, r) -> x.equals(q) ? withCorruptedSignatures(r) : r), none);

    Resolution r = v.resolve(q, false);

    assertFalse(v.validating());
    assertFalse(none.validating());
    assertTrue(validator(WORLD.zones, WORLD.root).validating());
    assertEquals(Rcode.NOERROR, r.rcode());
    assertEquals(SecurityStatus.INSECURE, r.status());
    assertEquals(0, v.verifications());
  }

  // --- negative trust anchors (item 7) --------------------------------------------------------

  @Test
  void dataAtOrBelowANegativeTrustAnchorIsInsecureEvenWhenBogus() {
    ValidationConfig config = new ValidationConfig(WORLD.rootAnchors, Set.of(name("example.com.")));
    Question q = Question.of(name("www.example.com."), Type.A);
    ValidatingResolver v = validator(WORLD.zones.tampered((x, r) -> x.equals(q) ? withCorruptedSignatures(r) : r), config);

    Resolution r = v.resolve(q, false);

    assertEquals(Rcode.NOERROR, r.rcode(), () -> String.valueOf(r.error()));
    assertEquals(SecurityStatus.INSECURE, r.status());
    assertEquals(SecurityStatus.INSECURE, v.resolve(Question.of(name("example.com."), Type.DNSKEY), false).status());
    assertEquals(SecurityStatus.INSECURE, v.resolve(Question.of(name("nx.example.com."), Type.A), false).status());
    // never bogus there, not even for a signature no zone could have made (RFC 7646 section 2.1)
    ValidatingResolver foreign = validator(WORLD.zones.tampered((x, res) -> x.equals(q) ? withSigner(res, name("example.net.")) : res), config);
    assertEquals(SecurityStatus.INSECURE, foreign.resolve(q, false).status());
    // outside it, validation goes on; the DS at its apex is the parent's and is still checked
    assertEquals(SecurityStatus.SECURE, v.resolve(Question.of(name("www.rsasha1.com."), Type.A), false).status());
    assertEquals(SecurityStatus.SECURE, v.resolve(Question.of(name("example.com."), Type.DS), false).status());
  }

  @Test
  void aChainLeavingANegativeTrustAnchorIsInsecureAsItsWeakestPart() {
    ValidationConfig config = new ValidationConfig(WORLD.rootAnchors, Set.of(name("example.com.")));

    Resolution r = resolve(config, "alias.example.com.", Type.A);

    assertEquals(Rcode.NOERROR, r.rcode());
    assertEquals(SecurityStatus.INSECURE, r.status());
    assertEquals(SecurityStatus.SECURE, resolve(WORLD.root, "alias.example.com.", Type.A).status());
  }

  @Test
  void insecureDomainsMustBeAbsolute() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new ValidationConfig(WORLD.rootAnchors, Set.of(Name.fromConstantString("example"))));
  }

  // --- RRSIG questions, DNAME, wildcards (items 3-5) ------------------------------------------

  @Test
  void rrsigQuestionInASignedZoneIsAnsweredWithoutAd() {
    Resolution r = resolve(WORLD.root, "www.example.com.", Type.RRSIG);

    assertEquals(Rcode.NOERROR, r.rcode(), () -> String.valueOf(r.error()));
    assertFalse(r.answer().isEmpty());
    assertTrue(r.answer().stream().allMatch(s -> s.size() == 0 && !s.sigs().isEmpty()), r.answer().toString());
    assertEquals(SecurityStatus.INDETERMINATE, r.status());
  }

  @Test
  void cnameChainThroughABogusDnameIsServfailDnssecBogus() {
    Question q = Question.of(name("todname.example.com."), Type.A);
    Resolution honest = validator(WORLD.zones, WORLD.root).resolve(q, false);
    assertEquals(SecurityStatus.SECURE, honest.status());
    assertEquals(List.of(Type.CNAME, Type.DNAME, Type.CNAME, Type.A), honest.answer().stream().map(RRset::getType).toList());

    Resolution r = validator(WORLD.zones.tampered((x, res) -> x.equals(q) ? withCorruptedSignatures(res, Type.DNAME) : res),
        WORLD.root).resolve(q, false);

    assertEquals(Rcode.SERVFAIL, r.rcode(), () -> r.status() + " " + r.answer());
    assertEquals(ExtendedErrorCodeOption.DNSSEC_BOGUS, r.error().getErrorCode(), r.error().getText());
    assertTrue(r.answer().isEmpty());
  }

  @Test
  void wildcardAnswerKeepsItsProofsInTheAuthoritySection() {
    Resolution nsec = resolve(WORLD.root, "x.wild.example.com.", Type.TXT);
    Resolution nsec3 = resolve(WORLD.root, "x.wild.example.net.", Type.TXT);

    assertEquals(SecurityStatus.SECURE, nsec.status());
    assertTrue(nsec.authority().stream().anyMatch(s -> s.getType() == Type.NSEC && !s.sigs().isEmpty()), nsec.authority().toString());
    assertEquals(SecurityStatus.SECURE, nsec3.status());
    assertTrue(nsec3.authority().stream().anyMatch(s -> s.getType() == Type.NSEC3 && !s.sigs().isEmpty()), nsec3.authority().toString());
  }

  // --- helpers -------------------------------------------------------------------------------

  private Resolution resolve(ValidationConfig config, String qname, int qtype) {
    return validator(WORLD.zones, config).resolve(Question.of(name(qname), qtype), false);
  }

  private ValidatingResolver validator(Resolver iterator, ValidationConfig config) {
    return new ValidatingResolver(iterator, UnaryOperator.identity(), config, time);
  }

  private static Resolution withoutSignatures(Resolution r) {
    return new Resolution(r.rcode(), r.answer().stream().map(s -> copy(s, List.of())).toList(),
        r.authority(), r.status(), r.error());
  }

  private static Resolution withCorruptedSignatures(Resolution r) {
    return withCorruptedSignatures(r, -1);
  }

  /** Every signature of the answer ({@code type} -1), or of the RRsets of {@code type}, corrupted. */
  private static Resolution withCorruptedSignatures(Resolution r, int type) {
    return new Resolution(r.rcode(), r.answer().stream()
        .map(s -> type >= 0 && s.getType() != type ? s : copy(s, s.sigs().stream().map(ValidationPolicyTest::corrupted).toList()))
        .toList(), r.authority(), r.status(), r.error());
  }

  private static Resolution withSigner(Resolution r, Name signer) {
    return new Resolution(r.rcode(), r.answer().stream()
        .map(s -> copy(s, s.sigs().stream().map(sig -> new RRSIGRecord(sig.getName(), sig.getDClass(), sig.getTTL(),
            sig.getTypeCovered(), sig.getAlgorithm(), sig.getOrigTTL(), sig.getExpire(), sig.getTimeSigned(),
            sig.getFootprint(), signer, sig.getSignature())).toList()))
        .toList(), r.authority(), r.status(), r.error());
  }

  private static RRset copy(RRset s, List<RRSIGRecord> sigs) {
    RRset out = new RRset();
    s.rrs(false).forEach(out::addRR);
    sigs.forEach(out::addRR);
    return out;
  }

  private static RRSIGRecord corrupted(RRSIGRecord sig) {
    byte[] bytes = sig.getSignature().clone();
    bytes[bytes.length / 2] ^= 0x5a;
    return new RRSIGRecord(sig.getName(), sig.getDClass(), sig.getTTL(), sig.getTypeCovered(), sig.getAlgorithm(),
        sig.getOrigTTL(), sig.getExpire(), sig.getTimeSigned(), sig.getFootprint(), sig.getSigner(), bytes);
  }

  private static Name name(String s) {
    return Name.fromConstantString(s);
  }

  /** The signed tree, built once; children first so that each parent holds their DS. */
  private record World(SignedZones zones, TrustAnchors rootAnchors, ValidationConfig root, DSRecord rootDs,
      DSRecord anchoredDs, org.xbill.DNS.DNSKEYRecord exampleNetKsk) {
    static World build() {
      Instant from = NOW.minus(Duration.ofHours(1));
      Instant until = NOW.plus(Duration.ofDays(30));
      List<Zone> zones = new ArrayList<>();

      SignedZone exampleCom = sign(TestZoneSigner.generate(name("example.com."), Algorithm.ECDSAP256SHA256), from, until,
          "example.com.", """
          www A 192.0.2.1
          alias CNAME www.example.net.
          todname CNAME www.moved.example.com.
          moved DNAME example.net.
          *.wild TXT "from the wildcard"
          """);
      Zone alg100 = Zone.of(name("alg100.com."), records("alg100.com.", apex() + "www A 192.0.2.2\n"));
      Zone digest100 = Zone.of(name("digest100.com."), records("digest100.com.", apex() + "www A 192.0.2.3\n"));
      SignedZone mixed = sign(TestZoneSigner.generate(name("mixed.com."), Algorithm.ECDSAP256SHA256), from, until,
          "mixed.com.", "www A 192.0.2.4\n");
      TestZoneSigner rsasha1Signer = TestZoneSigner.generate(name("rsasha1.com."), Algorithm.RSASHA1);
      SignedZone rsasha1 = sign(rsasha1Signer, from, until, "rsasha1.com.", "www A 192.0.2.5\n");
      SignedZone anchored = sign(TestZoneSigner.generate(name("anchored.com."), Algorithm.ECDSAP256SHA256), from, until,
          "anchored.com.", "www A 192.0.2.6\n");

      DSRecord model = mixed.ds();
      DSRecord alg100Ds = new DSRecord(name("alg100.com."), DClass.IN, 3600, model.getFootprint(), 100, 2, model.getDigest());
      DSRecord digest100Ds = new DSRecord(name("digest100.com."), DClass.IN, 3600, model.getFootprint(), 13, 100, model.getDigest());
      DSRecord mixedAlg100 = new DSRecord(name("mixed.com."), DClass.IN, 3600, model.getFootprint(), 100, 2, model.getDigest());
      DSRecord sha1Ds = new DSRecord(name("rsasha1.com."), DClass.IN, 3600, DNSSEC.Digest.SHA1, rsasha1Signer.ksk().dnskey());
      DSRecord wrongAnchoredDs = new DSRecord(name("anchored.com."), DClass.IN, 3600, DNSSEC.Digest.SHA256,
          TestZoneSigner.generate(name("anchored.com."), Algorithm.ECDSAP256SHA256).ksk().dnskey());
      SignedZone com = sign(TestZoneSigner.generate(name("com."), Algorithm.ECDSAP256SHA256), from, until, "com.",
          delegations(exampleCom.ds(), alg100Ds, digest100Ds, mixed.ds(), mixedAlg100, sha1Ds, wrongAnchoredDs));

      TestZoneSigner exampleNetSigner = TestZoneSigner.generate(name("example.net."), Algorithm.RSA_NSEC3_SHA1).nsec3(0, SALT, false);
      SignedZone exampleNet = sign(exampleNetSigner, from, until, "example.net.", """
          www A 192.0.2.7
          *.wild TXT "from the wildcard"
          """);
      SignedZone net = sign(TestZoneSigner.generate(name("net."), Algorithm.ECDSAP256SHA256).nsec3(0, SALT, false),
          from, until, "net.", delegations(exampleNet.ds()));
      SignedZone root = sign(TestZoneSigner.generate(Name.root, Algorithm.ECDSAP256SHA256), from, until, ".",
          delegations(com.ds(), net.ds()));

      for (SignedZone z : List.of(root, com, net, exampleCom, mixed, rsasha1, anchored, exampleNet)) {
        zones.add(z.zone());
      }
      zones.add(alg100);
      zones.add(digest100);
      return new World(SignedZones.of(zones), root.anchors(), ValidationConfig.of(root.anchors()), root.ds(),
          anchored.ds(), exampleNetSigner.ksk().dnskey());
    }

    private static SignedZone sign(TestZoneSigner signer, Instant from, Instant until, String origin, String body) {
      return signer.validity(from, until).sign(records(origin, apex() + body));
    }

    private static String apex() {
      return "@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\n";
    }

    /** An NS for each child named and its DS records, in the parent's zone file. */
    private static String delegations(DSRecord... ds) {
      StringBuilder sb = new StringBuilder();
      java.util.Set<Name> delegated = new java.util.HashSet<>();
      for (DSRecord d : ds) {
        if (delegated.add(d.getName())) {
          sb.append(d.getName()).append(" NS ns1.").append(d.getName()).append('\n');
        }
        sb.append(d.getName()).append(" 3600 DS ").append(d.rdataToString()).append('\n');
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
