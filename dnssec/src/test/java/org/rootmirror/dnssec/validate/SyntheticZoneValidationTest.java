package org.rootmirror.dnssec.validate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rootmirror.dnssec.zonemd.ZoneDigest.HASH_SHA384;
import static org.rootmirror.dnssec.zonemd.ZoneDigest.HASH_SHA512;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rootmirror.dnssec.anchor.TrustAnchor;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.dnssec.testing.TestZoneSigner;
import org.rootmirror.dnssec.testing.TestZoneSigner.SignedZone;
import org.rootmirror.dnssec.validate.ValidationReport.Zonemd.State;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.rootmirror.dnssec.zonemd.ZoneDigest;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneMDRecord;

/**
 * Zones signed in the test for every algorithm rootmirror validates (8, 10, 13, 14, 15, 16), with
 * and without ZONEMD: each validates, and each kind of damage is rejected for its precise reason.
 * The zone, signers and times are shared with {@link LdnsAgreementTest}.
 */
class SyntheticZoneValidationTest {
  static final Name ORIGIN = Name.fromConstantString("example.");
  static final Instant INCEPTION = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant EXPIRATION = Instant.parse("2026-02-01T00:00:00Z");
  static final Instant DURING = Instant.parse("2026-01-15T00:00:00Z");

  private static final Name INFO = Name.fromConstantString("info.example.");
  private static final Name GLUE = Name.fromConstantString("ns1.secure.example.");

  /**
   * The apex (SOA, NS, A); a delegation with DS and glue, one without DS with glue and an
   * out-of-zone server, one with DS served by an in-zone name; an authoritative TXT.
   */
  private static final String UNSIGNED =
      """
      $ORIGIN example.
      $TTL 3600
      @            SOA   ns1 hostmaster 2026010101 7200 3600 1209600 300
      @            NS    ns1
      @            NS    ns2
      @            A     192.0.2.1
      ns1          A     192.0.2.53
      ns2          AAAA  2001:db8::53
      info         TXT   "authoritative data that is not a delegation"
      secure       NS    ns1.secure
      secure       NS    ns2.secure
      secure       DS    31589 13 2 3490A6806D47F17A34C29E2CE80E8A999FFBE4BE2C5C1E3CF6B7C26A7C06B4A3
      ns1.secure   A     192.0.2.10
      ns2.secure   AAAA  2001:db8::10
      insecure     NS    ns.insecure
      insecure     NS    ns.example.net.
      ns.insecure  A     192.0.2.20
      served       NS    ns1
      served       DS    2371 15 2 1F6A3B7C9D2E4F5061728394A5B6C7D8E9F00112233445566778899AABBCCDDE
      """;

  /** Keys are made once per algorithm: RSA key generation is slow. */
  private static final Map<Integer, TestZoneSigner> SIGNERS = new ConcurrentHashMap<>();

  /** The zone's records before signing. */
  static List<Record> unsignedZone() {
    try {
      return ZoneFile.parse(UNSIGNED.getBytes(UTF_8), "synthetic zone", ORIGIN).records();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static IntStream algorithms() {
    return IntStream.of(8, 10, 13, 14, 15, 16);
  }

  /** A signer of {@code algorithm} whose signatures are valid from {@link #INCEPTION} to {@link #EXPIRATION}. */
  static TestZoneSigner signer(int algorithm) {
    return SIGNERS.computeIfAbsent(algorithm, a -> TestZoneSigner.generate(ORIGIN, a)).validity(INCEPTION, EXPIRATION);
  }

  /** {@code records} with the glue address of ns1.secure.example. changed, nothing re-signed or re-digested. */
  static List<Record> withChangedGlue(List<Record> records) throws IOException {
    List<Record> changed = new ArrayList<>(records);
    Record glue = the(changed, GLUE, Type.A);
    changed.set(changed.indexOf(glue), Record.fromString(GLUE, Type.A, DClass.IN, glue.getTTL(), "192.0.2.11", ORIGIN));
    return changed;
  }

  /** Runs a test once per algorithm. */
  @Target(ElementType.METHOD)
  @Retention(RetentionPolicy.RUNTIME)
  @ParameterizedTest(name = "algorithm {0}")
  @MethodSource("algorithms")
  @interface ForEachAlgorithm {}

  static Stream<Arguments> algorithmsAndZonemdHashes() {
    int[][] hashes = {{}, {HASH_SHA384}, {HASH_SHA512}, {HASH_SHA384, HASH_SHA512}};
    return algorithms().boxed().flatMap(a -> Stream.of(hashes).map(h -> Arguments.of(a, h)));
  }

  @ParameterizedTest(name = "algorithm {0}, ZONEMD hashes {1}")
  @MethodSource("algorithmsAndZonemdHashes")
  void signedZoneIsValid(int algorithm, int[] zonemdHashes) {
    SignedZone signed = signer(algorithm).zonemd(zonemdHashes).sign(unsignedZone());
    boolean withZonemd = zonemdHashes.length > 0;

    ValidationReport report = new ZoneValidator(signed.anchors(), withZonemd).validate(signed.zone(), DURING);

    assertTrue(report.valid(), report::summary);
    assertEquals(List.of(), report.problems());
    assertEquals(withZonemd ? State.VERIFIED : State.ABSENT, report.zonemd().state(), report::summary);
  }

  @ForEachAlgorithm
  void flippedSignatureByteIsBadSignature(int algorithm) {
    SignedZone signed = signer(algorithm).sign(unsignedZone());
    List<Record> records = new ArrayList<>(signed.records());
    RRSIGRecord sig = signatureOver(records, INFO, Type.TXT);
    byte[] bytes = sig.getSignature().clone();
    bytes[bytes.length / 2] ^= 0x01;
    records.set(records.indexOf(sig), new RRSIGRecord(sig.getName(), sig.getDClass(), sig.getTTL(), sig.getTypeCovered(),
        sig.getAlgorithm(), sig.getOrigTTL(), sig.getExpire(), sig.getTimeSigned(), sig.getFootprint(), sig.getSigner(), bytes));

    assertRejected(validate(signed, records, DURING, false), Reason.BAD_SIGNATURE);
  }

  @ForEachAlgorithm
  void signaturesAfterExpirationAreExpired(int algorithm) {
    SignedZone signed = signer(algorithm).sign(unsignedZone());
    Instant after = EXPIRATION.plus(Duration.ofDays(1));

    // the DNSKEY RRset's only signature has expired too, so no anchored key vouches for the zone keys
    assertRejected(validate(signed, signed.records(), after, false), Reason.EXPIRED, Reason.DNSKEY_NOT_SIGNED_BY_ANCHOR);
  }

  @ForEachAlgorithm
  void signaturesBeforeInceptionAreNotYetValid(int algorithm) {
    SignedZone signed = signer(algorithm).sign(unsignedZone());
    Instant before = INCEPTION.minus(Duration.ofDays(1));

    assertRejected(validate(signed, signed.records(), before, false),
        Reason.NOT_YET_VALID, Reason.DNSKEY_NOT_SIGNED_BY_ANCHOR);
  }

  @ForEachAlgorithm
  void anchorForAnotherKeyIsNoTrustedKey(int algorithm) {
    SignedZone signed = signer(algorithm).sign(unsignedZone());
    TestZoneSigner stranger = TestZoneSigner.generate(ORIGIN, algorithm);
    TrustAnchors otherKey = TrustAnchors.of(List.of(TrustAnchor.of(stranger.ksk().dnskey())));

    assertRejected(new ZoneValidator(otherKey, false).validate(signed.zone(), DURING), Reason.NO_TRUSTED_KEY);
  }

  @ForEachAlgorithm
  void removedNsecIsNsecMissing(int algorithm) {
    SignedZone signed = signer(algorithm).sign(unsignedZone());
    List<Record> records = new ArrayList<>(signed.records());
    records.remove(the(records, INFO, Type.NSEC));
    records.remove(signatureOver(records, INFO, Type.NSEC));

    assertRejected(validate(signed, records, DURING, false), Reason.NSEC_MISSING, Reason.CHAIN_GAP);
  }

  @ForEachAlgorithm
  void validlySignedNsecWithWrongBitmapIsBitmapMismatch(int algorithm) {
    TestZoneSigner signer = signer(algorithm);
    SignedZone signed = signer.sign(unsignedZone());
    List<Record> records = new ArrayList<>(signed.records());
    NSECRecord nsec = (NSECRecord) the(records, INFO, Type.NSEC);
    // claims an A RRset that info.example. does not have
    int[] types = {Type.A, Type.TXT, Type.RRSIG, Type.NSEC};
    replaceAndResign(records, signer, nsec, new NSECRecord(INFO, DClass.IN, nsec.getTTL(), nsec.getNext(), types));

    assertRejected(validate(signed, records, DURING, false), Reason.BITMAP_MISMATCH);
  }

  @ForEachAlgorithm
  void txtBelowDelegationIsDataBelowDelegation(int algorithm) {
    SignedZone signed = signer(algorithm).sign(unsignedZone());
    List<Record> records = new ArrayList<>(signed.records());
    records.add(new TXTRecord(Name.fromConstantString("www.secure.example."), DClass.IN, 3600, "not the parent's data"));

    assertRejected(validate(signed, records, DURING, false), Reason.DATA_BELOW_DELEGATION);
  }

  @ForEachAlgorithm
  void changedGlueWithZonemdIsDigestMismatch(int algorithm) throws IOException {
    SignedZone signed = signer(algorithm).zonemd(HASH_SHA384, HASH_SHA512).sign(unsignedZone());

    ValidationReport report = validate(signed, withChangedGlue(signed.records()), DURING, true);

    assertRejected(report, Reason.DIGEST_MISMATCH);
    assertEquals(State.FAILED, report.zonemd().state());
  }

  @ForEachAlgorithm
  void zonemdSerialOffByOneIsSerialMismatch(int algorithm) {
    TestZoneSigner signer = signer(algorithm);
    SignedZone signed = signer.zonemd(HASH_SHA384).sign(unsignedZone());
    List<Record> records = new ArrayList<>(signed.records());
    ZoneMDRecord zonemd = (ZoneMDRecord) the(records, ORIGIN, Type.ZONEMD);
    replaceAndResign(records, signer, zonemd, new ZoneMDRecord(ORIGIN, DClass.IN, zonemd.getTTL(),
        zonemd.getSerial() + 1, zonemd.getScheme(), zonemd.getHashAlgorithm(), zonemd.getDigest()));

    ValidationReport report = validate(signed, records, DURING, true);

    assertRejected(report, Reason.ZONEMD_SERIAL_MISMATCH);
    assertEquals(State.FAILED, report.zonemd().state());
  }

  @ForEachAlgorithm
  void authoritativeRRsetWithoutRrsigIsUnsigned(int algorithm) {
    SignedZone signed = signer(algorithm).sign(unsignedZone());
    List<Record> records = new ArrayList<>(signed.records());
    records.remove(signatureOver(records, INFO, Type.TXT));

    assertRejected(validate(signed, records, DURING, false), Reason.NO_SIGNATURE);
  }

  @ForEachAlgorithm
  void zonemdWithUnknownHashWhenRequiredIsUnsupported(int algorithm) {
    TestZoneSigner signer = signer(algorithm);
    SignedZone signed = signer.zonemd(HASH_SHA384).sign(unsignedZone());
    List<Record> records = new ArrayList<>(signed.records());
    ZoneMDRecord zonemd = (ZoneMDRecord) the(records, ORIGIN, Type.ZONEMD);
    replaceAndResign(records, signer, zonemd, new ZoneMDRecord(ORIGIN, DClass.IN, zonemd.getTTL(),
        zonemd.getSerial(), ZoneDigest.SCHEME_SIMPLE, 240, zonemd.getDigest()));

    ValidationReport report = validate(signed, records, DURING, true);

    assertRejected(report, Reason.ZONEMD_UNSUPPORTED);
    assertEquals(State.UNSUPPORTED, report.zonemd().state());
  }

  @ForEachAlgorithm
  void zoneWithoutZonemdWhenRequiredIsMissing(int algorithm) {
    SignedZone signed = signer(algorithm).sign(unsignedZone());

    ValidationReport report = validate(signed, signed.records(), DURING, true);

    assertRejected(report, Reason.ZONEMD_MISSING);
    assertEquals(State.ABSENT, report.zonemd().state());
  }

  @ForEachAlgorithm
  void dnskeyRRsetSignedOnlyByTheZskIsNotSignedByAnchor(int algorithm) {
    TestZoneSigner signer = signer(algorithm);
    SignedZone signed = signer.sign(unsignedZone());
    List<Record> records = new ArrayList<>(signed.records());
    records.remove(signatureOver(records, ORIGIN, Type.DNSKEY));
    records.add(signer.zsk().sign(rrset(records, ORIGIN, Type.DNSKEY), INCEPTION, EXPIRATION));

    assertRejected(validate(signed, records, DURING, false), Reason.DNSKEY_NOT_SIGNED_BY_ANCHOR);
  }

  private static ValidationReport validate(SignedZone signed, List<Record> records, Instant at, boolean requireZonemd) {
    return new ZoneValidator(signed.anchors(), requireZonemd).validate(Zone.of(ORIGIN, records), at);
  }

  /** The zone is invalid because of {@code reason}, and any other error is one of {@code consequences}. */
  private static void assertRejected(ValidationReport report, Reason reason, Reason... consequences) {
    Set<Reason> errors = report.errors().stream().map(Problem::reason).collect(Collectors.toSet());
    assertFalse(report.valid(), () -> "accepted: " + report.summary());
    assertTrue(errors.contains(reason), () -> "expected " + reason + ", got " + report.errors());
    Set<Reason> expected = EnumSet.of(reason, consequences);
    assertTrue(expected.containsAll(errors), () -> "expected only " + expected + ", got " + report.errors());
  }

  /** The one record of {@code type} at {@code owner}. */
  private static Record the(List<Record> records, Name owner, int type) {
    List<Record> found = records.stream().filter(r -> r.getName().equals(owner) && r.getType() == type).toList();
    assertEquals(1, found.size(), () -> Type.string(type) + " records at " + owner + ": " + found);
    return found.get(0);
  }

  private static RRSIGRecord signatureOver(List<Record> records, Name owner, int covered) {
    return (RRSIGRecord) records.stream()
        .filter(r -> r instanceof RRSIGRecord sig && sig.getName().equals(owner) && sig.getTypeCovered() == covered)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no RRSIG over " + owner + " " + Type.string(covered)));
  }

  private static RRset rrset(List<Record> records, Name owner, int type) {
    RRset set = new RRset();
    records.stream().filter(r -> r.getName().equals(owner) && r.getType() == type).forEach(set::addRR);
    return set;
  }

  /** Replaces {@code old} by {@code replacement} and signs its RRset again, so that only the content is wrong. */
  private static void replaceAndResign(List<Record> records, TestZoneSigner signer, Record old, Record replacement) {
    records.set(records.indexOf(old), replacement);
    records.remove(signatureOver(records, old.getName(), old.getType()));
    records.add(signer.signRRset(rrset(records, old.getName(), old.getType())));
  }
}
