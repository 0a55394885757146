package org.rootmirror.resolver.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.testing.TestZoneSigner;
import org.rootmirror.resolver.validate.RRsetValidator.Bogus;
import org.rootmirror.resolver.validate.RRsetValidator.Insecure;
import org.rootmirror.resolver.validate.RRsetValidator.Outcome;
import org.rootmirror.resolver.validate.RRsetValidator.Secure;
import org.rootmirror.resolver.validate.RRsetValidator.TooExpensive;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DNSSEC.Algorithm;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/** RRSIG checks of RFC 4035 section 5.2-5.3 with real test keys, and the KeyTrap limits. */
class RRsetValidatorTest {
  private static final Name ZONE = Name.fromConstantString("example.");
  private static final Name WWW = Name.fromConstantString("www.example.");
  private static final Instant NOW = Instant.parse("2025-01-15T12:00:00Z");
  private static final Instant INCEPTION = NOW.minus(Duration.ofHours(1));
  private static final Instant EXPIRATION = NOW.plus(Duration.ofDays(7));

  private final TestZoneSigner signer = TestZoneSigner.generate(ZONE, Algorithm.ED25519);
  private final RRsetValidator validator = new RRsetValidator();

  private RRset dnskeys(DNSKEYRecord... keys) {
    RRset set = new RRset();
    for (DNSKEYRecord key : keys) {
      set.addRR(key);
    }
    set.addRR(signer.ksk().sign(set, INCEPTION, EXPIRATION));
    return set;
  }

  private DSRecord ds(DNSKEYRecord key) {
    return new DSRecord(ZONE, DClass.IN, 3600, DNSSEC.Digest.SHA256, key);
  }

  private static RRset aRRset() {
    return new RRset(new ARecord(WWW, DClass.IN, 300, new byte[] {(byte) 192, 0, 2, 1}));
  }

  private RRset signedA(Instant inception, Instant expiration) {
    RRset set = aRRset();
    set.addRR(signer.zsk().sign(set, inception, expiration));
    return set;
  }

  private List<DNSKEYRecord> zoneKeys() {
    return List.of(signer.ksk().dnskey(), signer.zsk().dnskey());
  }

  @Test
  void keySetSignedByTheKeyTheDsNamesIsSecureAndTrustsEveryZoneKey() {
    Outcome outcome = validator.validateKeys(
        dnskeys(signer.ksk().dnskey(), signer.zsk().dnskey()), List.of(ds(signer.ksk().dnskey())), NOW);

    Secure secure = assertInstanceOf(Secure.class, outcome);
    assertEquals(2, secure.keys().size());
    assertEquals(EXPIRATION, secure.expires());
  }

  @Test
  void keySetWhoseDsNamesAnotherKeyIsBogus() {
    DNSKEYRecord other = TestZoneSigner.generate(ZONE, Algorithm.ED25519).ksk().dnskey();

    Outcome outcome = validator.validateKeys(
        dnskeys(signer.ksk().dnskey(), signer.zsk().dnskey()), List.of(ds(other)), NOW);

    assertTrue(assertInstanceOf(Bogus.class, outcome).reason().contains("matches its DS"), outcome.toString());
  }

  @Test
  void revokedKeyIsNotTrustedEvenWhenTheDsNamesIt() {
    DNSKEYRecord ksk = signer.ksk().dnskey();
    DNSKEYRecord revoked = new DNSKEYRecord(ZONE, DClass.IN, ksk.getTTL(),
        ksk.getFlags() | DNSKEYRecord.Flags.REVOKE, ksk.getProtocol(), ksk.getAlgorithm(), ksk.getKey());

    Outcome outcome = validator.validateKeys(dnskeys(revoked, signer.zsk().dnskey()), List.of(ds(revoked)), NOW);

    assertTrue(assertInstanceOf(Bogus.class, outcome).reason().contains("revoked"), outcome.toString());
  }

  @Test
  void dsWithOnlyAnUnsupportedAlgorithmOrDigestMakesTheZoneInsecure() {
    DSRecord real = ds(signer.ksk().dnskey());
    DSRecord algorithm100 = new DSRecord(ZONE, DClass.IN, 3600, real.getFootprint(), 100,
        real.getDigestID(), real.getDigest());
    DSRecord digest100 = new DSRecord(ZONE, DClass.IN, 3600, real.getFootprint(), real.getAlgorithm(),
        100, real.getDigest());
    RRset keys = dnskeys(signer.ksk().dnskey(), signer.zsk().dnskey());

    assertInstanceOf(Insecure.class, validator.validateKeys(keys, List.of(algorithm100), NOW));
    assertInstanceOf(Insecure.class, validator.validateKeys(keys, List.of(digest100, algorithm100), NOW));
    assertEquals(0, validator.verifications());
  }

  @Test
  void unsupportedDsBesideASupportedOneIsIgnoredAndTheSupportedOneCounts() {
    DSRecord real = ds(signer.ksk().dnskey());
    DSRecord digest100 = new DSRecord(ZONE, DClass.IN, 3600, real.getFootprint(), real.getAlgorithm(),
        100, real.getDigest());
    DNSKEYRecord other = TestZoneSigner.generate(ZONE, Algorithm.ED25519).ksk().dnskey();
    RRset keys = dnskeys(signer.ksk().dnskey(), signer.zsk().dnskey());

    assertInstanceOf(Secure.class, validator.validateKeys(keys, List.of(digest100, real), NOW));
    // the supported DS names a key that is not there: bogus, not insecure
    assertInstanceOf(Bogus.class, validator.validateKeys(keys, List.of(digest100, ds(other)), NOW));
  }

  @Test
  void sha1DsIsIgnoredWhenASha256DsIsThere() {
    // RFC 4509 section 3: the SHA-1 DS names the real key, the SHA-256 one another key
    DSRecord sha1 = new DSRecord(ZONE, DClass.IN, 3600, DNSSEC.Digest.SHA1, signer.ksk().dnskey());
    DSRecord other = ds(TestZoneSigner.generate(ZONE, Algorithm.ED25519).ksk().dnskey());
    RRset keys = dnskeys(signer.ksk().dnskey(), signer.zsk().dnskey());

    assertInstanceOf(Secure.class, validator.validateKeys(keys, List.of(sha1), NOW));
    assertInstanceOf(Bogus.class, validator.validateKeys(keys, List.of(sha1, other), NOW));
  }

  @Test
  void rsasha1ZoneUnderASha1DsIsSecure() {
    // RFC 8624 sections 3.1 and 3.3: algorithms 5 and 7 and digest type 1 MUST be validated
    for (int algorithm : new int[] {Algorithm.RSASHA1, Algorithm.RSA_NSEC3_SHA1}) {
      TestZoneSigner rsa = TestZoneSigner.generate(ZONE, algorithm).validity(INCEPTION, EXPIRATION);
      RRset keys = new RRset();
      keys.addRR(rsa.ksk().dnskey());
      keys.addRR(rsa.zsk().dnskey());
      keys.addRR(rsa.ksk().sign(keys, INCEPTION, EXPIRATION));
      DSRecord sha1 = new DSRecord(ZONE, DClass.IN, 3600, DNSSEC.Digest.SHA1, rsa.ksk().dnskey());
      RRset a = aRRset();
      a.addRR(rsa.zsk().sign(a, INCEPTION, EXPIRATION));

      Secure secure = assertInstanceOf(Secure.class, validator.validateKeys(keys, List.of(sha1), NOW), "algorithm " + algorithm);
      assertInstanceOf(Secure.class, validator.validate(a, secure.keys(), ZONE, NOW), "algorithm " + algorithm);
    }
  }

  @Test
  void dsaZoneIsValidatedSecureAndItsTamperedDataBogusNotInsecure() {
    // algorithms 3 and 6 are validated as Unbound and BIND do, not left insecure (RFC 8624 says
    // MUST NOT validate; see Algorithms)
    for (int algorithm : new int[] {Algorithm.DSA, Algorithm.DSA_NSEC3_SHA1}) {
      TestZoneSigner dsa = TestZoneSigner.generate(ZONE, algorithm).validity(INCEPTION, EXPIRATION);
      RRset keys = new RRset();
      keys.addRR(dsa.ksk().dnskey());
      keys.addRR(dsa.zsk().dnskey());
      keys.addRR(dsa.ksk().sign(keys, INCEPTION, EXPIRATION));
      DSRecord sha1 = new DSRecord(ZONE, DClass.IN, 3600, DNSSEC.Digest.SHA1, dsa.ksk().dnskey());
      RRset a = aRRset();
      RRSIGRecord sig = dsa.zsk().sign(a, INCEPTION, EXPIRATION);
      a.addRR(sig);

      Secure secure = assertInstanceOf(Secure.class, validator.validateKeys(keys, List.of(sha1), NOW), "algorithm " + algorithm);
      assertInstanceOf(Secure.class, validator.validate(a, secure.keys(), ZONE, NOW), "algorithm " + algorithm);
      byte[] broken = sig.getSignature();
      broken[5] ^= 1;
      RRset tampered = aRRset();
      tampered.addRR(new RRSIGRecord(sig.getName(), sig.getDClass(), sig.getTTL(), sig.getTypeCovered(), sig.getAlgorithm(),
          sig.getOrigTTL(), sig.getExpire(), sig.getTimeSigned(), sig.getFootprint(), sig.getSigner(), broken));
      assertInstanceOf(Bogus.class, validator.validate(tampered, secure.keys(), ZONE, NOW), "algorithm " + algorithm);
    }
  }

  @Test
  void rrsetSignedByTheZskIsSecure() {
    Outcome outcome = validator.validate(signedA(INCEPTION, EXPIRATION), zoneKeys(), ZONE, NOW);

    Secure secure = assertInstanceOf(Secure.class, outcome);
    assertEquals(List.of(signer.zsk().dnskey()), secure.keys());
  }

  @Test
  void expiredSignatureIsBogusWithoutVerifying() {
    Outcome outcome = validator.validate(signedA(NOW.minus(Duration.ofDays(9)), NOW.minusSeconds(1)), zoneKeys(), ZONE, NOW);

    assertTrue(assertInstanceOf(Bogus.class, outcome).reason().contains("expired"), outcome.toString());
    assertEquals(0, validator.verifications());
  }

  @Test
  void signatureNotYetValidIsBogus() {
    Outcome outcome = validator.validate(signedA(NOW.plusSeconds(60), EXPIRATION), zoneKeys(), ZONE, NOW);

    assertTrue(assertInstanceOf(Bogus.class, outcome).reason().contains("not yet valid"), outcome.toString());
  }

  @Test
  void tamperedDataIsBogus() {
    RRSIGRecord sig = signedA(INCEPTION, EXPIRATION).sigs().get(0);
    RRset tampered = new RRset(new ARecord(WWW, DClass.IN, 300, new byte[] {(byte) 192, 0, 2, 66}));
    tampered.addRR(sig);

    Outcome outcome = validator.validate(tampered, zoneKeys(), ZONE, NOW);

    assertTrue(assertInstanceOf(Bogus.class, outcome).reason().contains("bad signature"), outcome.toString());
  }

  @Test
  void unsignedRRsetIsBogusWithNoSignature() {
    Outcome outcome = validator.validate(aRRset(), zoneKeys(), ZONE, NOW);

    assertTrue(assertInstanceOf(Bogus.class, outcome).reason().contains("no signature"), outcome.toString());
  }

  @Test
  void signatureByAnUntrustedKeyNamesItsTag() {
    Outcome outcome = validator.validate(signedA(INCEPTION, EXPIRATION), List.of(signer.ksk().dnskey()), ZONE, NOW);

    int tag = signer.zsk().dnskey().getFootprint();
    assertTrue(assertInstanceOf(Bogus.class, outcome).reason().contains("no key for tag " + tag), outcome.toString());
  }

  // KeyTrap (CVE-2023-50387): many signatures and keys that share one key tag

  /** {@code count} copies of the KSK's RRSIG over {@code set} with garbage signature bytes. */
  private static RRset withGarbageSignatures(RRset set, int count) {
    RRSIGRecord real = set.sigs().get(0);
    RRset forged = new RRset();
    set.rrs(false).forEach(forged::addRR);
    for (int i = 0; i < count; i++) {
      byte[] garbage = real.getSignature().clone();
      garbage[0] ^= (byte) (i + 1);
      forged.addRR(new RRSIGRecord(real.getName(), real.getDClass(), real.getTTL(), real.getTypeCovered(),
          real.getAlgorithm(), real.getOrigTTL(), real.getExpire(), real.getTimeSigned(), real.getFootprint(),
          real.getSigner(), garbage));
    }
    return forged;
  }

  @Test
  void manySignaturesWithOneTagStopAtTheCapPerRRset() {
    RRset forged = withGarbageSignatures(dnskeys(signer.ksk().dnskey(), signer.zsk().dnskey()), 20);

    Outcome outcome = validator.validateKeys(forged, List.of(ds(signer.ksk().dnskey())), NOW);

    assertTrue(assertInstanceOf(Bogus.class, outcome).reason().contains("gave up"), outcome.toString());
    assertEquals(RRsetValidator.DEFAULT_VERIFICATIONS_PER_RRSET, validator.verifications());
  }

  @Test
  void spentBudgetAnswersTooExpensive() {
    RRset forged = withGarbageSignatures(dnskeys(signer.ksk().dnskey(), signer.zsk().dnskey()), 20);
    ValidationBudget budget = new ValidationBudget(5);

    Outcome outcome = validator.validateKeys(forged, List.of(ds(signer.ksk().dnskey())), NOW, budget);

    assertInstanceOf(TooExpensive.class, outcome);
    assertEquals(5, validator.verifications());
    assertEquals(0, budget.remaining());
  }

  @Test
  void failedVerificationsHaveTheirOwnSmallerLimit() {
    RRset forged = withGarbageSignatures(dnskeys(signer.ksk().dnskey(), signer.zsk().dnskey()), 20);
    ValidationBudget budget = new ValidationBudget(100, 3);

    Outcome outcome = validator.validateKeys(forged, List.of(ds(signer.ksk().dnskey())), NOW, budget);

    assertInstanceOf(TooExpensive.class, outcome);
    assertEquals(4, validator.verifications(), "the fourth failure ends it");
    assertEquals(96, budget.remaining());
  }

  @Test
  void budgetIsSharedAcrossRRsetsOfOneResolution() {
    ValidationBudget budget = new ValidationBudget(2);
    RRset signed = signedA(INCEPTION, EXPIRATION);

    assertInstanceOf(Secure.class, validator.validate(signed, zoneKeys(), ZONE, NOW, budget));
    assertInstanceOf(Secure.class, validator.validate(signed, zoneKeys(), ZONE, NOW, budget));
    assertInstanceOf(TooExpensive.class, validator.validate(signed, zoneKeys(), ZONE, NOW, budget));
  }

  /**
   * Keys with the ZSK's tag but other key bytes: swapping two bytes two apart keeps the key tag,
   * a one's-complement sum of 16-bit words (RFC 4034 appendix B).
   */
  private List<DNSKEYRecord> keysSharingTheZskTag(int count) {
    DNSKEYRecord zsk = signer.zsk().dnskey();
    List<DNSKEYRecord> keys = new ArrayList<>();
    byte[] bytes = zsk.getKey();
    for (int i = 0; i + 2 < bytes.length && keys.size() < count; i++) {
      if (bytes[i] == bytes[i + 2]) {
        continue;
      }
      byte[] swapped = bytes.clone();
      swapped[i] = bytes[i + 2];
      swapped[i + 2] = bytes[i];
      DNSKEYRecord key = new DNSKEYRecord(ZONE, DClass.IN, zsk.getTTL(), zsk.getFlags(), zsk.getProtocol(),
          zsk.getAlgorithm(), swapped);
      assertEquals(zsk.getFootprint(), key.getFootprint());
      assertTrue(!Arrays.equals(bytes, swapped));
      keys.add(key);
    }
    assertEquals(count, keys.size());
    return keys;
  }

  @Test
  void manyKeysWithOneTagAreTriedOnlyUpToTheCapPerSignature() {
    List<DNSKEYRecord> keys = new ArrayList<>(keysSharingTheZskTag(20));
    keys.add(signer.zsk().dnskey()); // the real key last, beyond the cap

    Outcome outcome = validator.validate(signedA(INCEPTION, EXPIRATION), keys, ZONE, NOW);

    assertTrue(assertInstanceOf(Bogus.class, outcome).reason().contains("21 keys share tag"), outcome.toString());
    assertEquals(RRsetValidator.DEFAULT_KEYS_PER_SIGNATURE, validator.verifications());
  }
}
