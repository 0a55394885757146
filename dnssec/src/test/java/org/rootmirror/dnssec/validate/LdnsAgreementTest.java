package org.rootmirror.dnssec.validate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.rootmirror.dnssec.zonemd.ZoneDigest.HASH_SHA384;
import static org.rootmirror.dnssec.zonemd.ZoneDigest.HASH_SHA512;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.dnssec.testing.Fixtures;
import org.rootmirror.dnssec.testing.TestZoneSigner;
import org.rootmirror.dnssec.testing.TestZoneSigner.SignedZone;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * rootmirror's validator and NLnet Labs' ldns-verify-zone give the same verdict on the same zone
 * file, trust anchor and time: the real root zones, an expired one, and synthetic zones with
 * ZONEMD, intact and with changed glue. Skipped where ldns-verify-zone (Debian: ldnsutils) is not
 * installed; CI has it.
 */
class LdnsAgreementTest {
  private static final String LDNS = "ldns-verify-zone";
  private static final DateTimeFormatter LDNS_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  @TempDir Path dir;

  /** One verification: the zone file, its origin, the time, the anchors (as a file for ldns, parsed for rootmirror). */
  private record Case(Path zone, Name origin, Instant at, Path anchorFile, TrustAnchors anchors, boolean requireZonemd) {}

  /** ldns-verify-zone's verdict: accepted when it exits 0. */
  private record Verdict(boolean accepted, String output) {}

  @BeforeAll
  static void ldnsIsInstalled() {
    boolean onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, LDNS)));
    assumeTrue(onPath, LDNS + " is not on the PATH (Debian package ldnsutils): skipping the comparison with ldns");
  }

  @Test
  void bothAcceptRootZone2026WithZonemdRequired() throws Exception {
    Path rootKey = Fixtures.trustAnchor("root.key");
    assertBoth(true, new Case(Fixtures.rootZone(Fixtures.ZONE_2026), Name.root, Fixtures.TIME_2026,
        rootKey, TrustAnchors.read(rootKey), true));
  }

  @Test
  void bothAcceptRootZone2019() throws Exception {
    Path rootKey = Fixtures.trustAnchor("root.key");
    assertBoth(true, new Case(Fixtures.rootZone(Fixtures.ZONE_2019), Name.root, Fixtures.TIME_2019,
        rootKey, TrustAnchors.read(rootKey), false));
  }

  @Test
  void bothAcceptRootZone2014WithKsk2010() throws Exception {
    TrustAnchors ksk2010 = TrustAnchors.read(Fixtures.trustAnchor("root-anchors-2014.xml"));
    // ldns takes anchors as DS or DNSKEY records, not IANA's XML
    Path ds = Files.writeString(dir.resolve("ksk-2010.ds"), ksk2010.all().get(0).record() + "\n");
    assertBoth(true, new Case(Fixtures.rootZone(Fixtures.ZONE_2014), Name.root, Fixtures.TIME_2014,
        ds, ksk2010, false));
  }

  @Test
  void bothRejectRootZone2026AfterItsSignaturesExpired() throws Exception {
    Path rootKey = Fixtures.trustAnchor("root.key");
    Instant afterExpiry = Instant.parse("2026-08-14T00:00:00Z"); // ZSK signatures end 2026-08-13T20:00Z
    assertBoth(false, new Case(Fixtures.rootZone(Fixtures.ZONE_2026), Name.root, afterExpiry,
        rootKey, TrustAnchors.read(rootKey), true));
  }

  @ParameterizedTest(name = "algorithm {0}")
  @MethodSource("org.rootmirror.dnssec.validate.SyntheticZoneValidationTest#algorithms")
  void bothAcceptSyntheticZoneWithZonemd(int algorithm) throws Exception {
    SignedZone signed = SyntheticZoneValidationTest.signer(algorithm)
        .zonemd(HASH_SHA384, HASH_SHA512)
        .sign(SyntheticZoneValidationTest.unsignedZone());
    assertBoth(true, synthetic(signed, signed.records()));
  }

  @ParameterizedTest(name = "algorithm {0}")
  @MethodSource("org.rootmirror.dnssec.validate.SyntheticZoneValidationTest#algorithms")
  void bothRejectSyntheticZoneWithChangedGlue(int algorithm) throws Exception {
    SignedZone signed = SyntheticZoneValidationTest.signer(algorithm)
        .zonemd(HASH_SHA384, HASH_SHA512)
        .sign(SyntheticZoneValidationTest.unsignedZone());
    assertBoth(false, synthetic(signed, SyntheticZoneValidationTest.withChangedGlue(signed.records())));
  }

  /** Proves the signer right for the other modules, which serve the root zone re-signed to be valid now. */
  @Test
  void bothAcceptRootZoneResignedWithTestKeys() throws Exception {
    Path original = Fixtures.rootZone(Fixtures.ZONE_2026);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    SignedZone resigned = TestZoneSigner.resign(original, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7)));

    Zone before = ZoneFile.read(original, Name.root);
    assertEquals(before.nodes().keySet(), resigned.zone().nodes().keySet(), "the same owner names");
    Path zone = resigned.write(dir.resolve("root.zone.resigned"));
    Path ds = Files.writeString(dir.resolve("resigned.ds"), resigned.ds() + "\n");
    assertBoth(true, new Case(zone, Name.root, now, ds, resigned.anchors(), true));
  }

  private Case synthetic(SignedZone signed, List<Record> records) throws IOException {
    Path zone = Files.write(dir.resolve("example.zone"), records.stream().map(Record::toString).toList());
    Path ds = Files.writeString(dir.resolve("example.ds"), signed.ds() + "\n");
    return new Case(zone, SyntheticZoneValidationTest.ORIGIN, SyntheticZoneValidationTest.DURING, ds, signed.anchors(), true);
  }

  /** Both validators give the {@code accepted} verdict on the same zone file. */
  private static void assertBoth(boolean accepted, Case c) throws IOException, InterruptedException {
    Verdict ldns = ldns(c);
    ValidationReport ours = new ZoneValidator(c.anchors(), c.requireZonemd()).validate(ZoneFile.read(c.zone(), c.origin()), c.at());
    String both = "\nldns-verify-zone: " + ldns.output() + "\nrootmirror: " + ours.summary();
    assertAll(
        () -> assertEquals(ldns.accepted(), ours.valid(), "the validators disagree" + both),
        () -> assertEquals(accepted, ours.valid(), (accepted ? "expected valid" : "expected invalid") + both));
  }

  private static Verdict ldns(Case c) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(LDNS, "-k", c.anchorFile().toString(), "-t", LDNS_TIME.format(c.at())));
    if (c.requireZonemd()) {
      command.add("-ZZ"); // a valid ZONEMD and a validly signed zone
    }
    command.add(c.zone().toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);
    int exit = process.waitFor();
    return new Verdict(exit == 0, "exit " + exit + ", " + firstLines(output, 5));
  }

  private static String firstLines(String output, int n) {
    List<String> lines = output.strip().lines().toList();
    String shown = String.join(" | ", lines.subList(0, Math.min(n, lines.size())));
    return lines.size() > n ? shown + " | ... (" + (lines.size() - n) + " more lines)" : shown;
  }
}
