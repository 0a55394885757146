package org.rootmirror.dnssec.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.dnssec.testing.Fixtures;
import org.rootmirror.dnssec.validate.ValidationReport.Zonemd.State;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.rootmirror.dnssec.zone.ZoneParseException;
import org.xbill.DNS.Name;

/**
 * The real IANA root zones validate at their stated times with the right anchors, and every kind
 * of tampering with the 2026 zone is rejected for the matching reason.
 */
class RootZoneValidationTest {
  private static final TrustAnchors BUILT_IN = TrustAnchors.builtIn();
  private static List<String> lines2026;

  @Test
  void rootZone2026IsValidWithZonemdAtItsTime() throws IOException {
    ValidationReport report = validate(Fixtures.ZONE_2026, BUILT_IN, Fixtures.TIME_2026, true);
    assertTrue(report.valid(), report::summary);
    assertEquals(List.of(), report.problems());
    assertEquals(State.VERIFIED, report.zonemd().state());
    assertEquals(2026073102L, report.serial());
    assertEquals(Instant.parse("2026-08-13T20:00:00Z"), report.earliestExpiry());
    assertTrue(report.counts().delegations() > 1400, report::summary);
  }

  @Test
  void rootZone2019IsValidWithoutZonemd() throws IOException {
    ValidationReport report = validate(Fixtures.ZONE_2019, BUILT_IN, Fixtures.TIME_2019, false);
    assertTrue(report.valid(), report::summary);
    assertEquals(State.ABSENT, report.zonemd().state());
  }

  @Test
  void rootZone2019FailsWhenZonemdIsRequired() throws IOException {
    ValidationReport report = validate(Fixtures.ZONE_2019, BUILT_IN, Fixtures.TIME_2019, true);
    assertReasons(report, Reason.ZONEMD_MISSING);
  }

  @Test
  void rootZone2014IsValidWithThe2014AnchorsXml() throws IOException {
    TrustAnchors ksk2010 = TrustAnchors.read(Fixtures.trustAnchor("root-anchors-2014.xml"));
    ValidationReport report = validate(Fixtures.ZONE_2014, ksk2010, Fixtures.TIME_2014, false);
    assertTrue(report.valid(), report::summary);
  }

  @Test
  void rootZone2014FailsWithTodaysAnchorsWhichWereNotYetInForce() throws IOException {
    ValidationReport report = validate(Fixtures.ZONE_2014, BUILT_IN, Fixtures.TIME_2014, false);
    assertReasons(report, Reason.NO_TRUST_ANCHOR);
  }

  @Test
  void rootZone2026FailsWithTheOldKsk2010Anchor() throws IOException {
    TrustAnchors ksk2010 = TrustAnchors.read(Fixtures.trustAnchor("root-anchors-2014.xml"));
    assertReasons(validate(Fixtures.ZONE_2026, ksk2010, Fixtures.TIME_2026, true), Reason.NO_TRUSTED_KEY);
  }

  @Test
  void rootZone2026FailsAfterItsSignaturesExpire() throws IOException {
    ValidationReport report = validate(Fixtures.ZONE_2026, BUILT_IN, Instant.parse("2026-08-14T00:00:00Z"), true);
    assertReasons(report, Reason.EXPIRED);
    assertTrue(report.errors().size() > 2000, "every ZSK-signed RRset is reported: " + report.errors().size());
  }

  @Test
  void rootZone2026FailsBeforeItsSignaturesStart() throws IOException {
    assertReasons(validate(Fixtures.ZONE_2026, BUILT_IN, Instant.parse("2026-07-30T00:00:00Z"), true),
        Reason.NOT_YET_VALID);
  }

  @Test
  void rootZone2019FailsAfterItsSignaturesExpire() throws IOException {
    assertReasons(validate(Fixtures.ZONE_2019, BUILT_IN, Instant.parse("2020-01-15T00:00:00Z"), false),
        Reason.EXPIRED);
  }

  @Test
  void rootZone2014FailsAfterItsSignaturesExpire() throws IOException {
    TrustAnchors ksk2010 = TrustAnchors.read(Fixtures.trustAnchor("root-anchors-2014.xml"));
    assertReasons(validate(Fixtures.ZONE_2014, ksk2010, Instant.parse("2014-08-01T00:00:00Z"), false),
        Reason.EXPIRED);
  }

  // --- tampering with the 2026 zone -------------------------------------------------------------

  @Test
  void changedGlueAddressIsCaughtByZonemd() throws IOException {
    ValidationReport r = tampered(replace("a.gtld-servers.net.\t172800\tIN\tA\t192.5.6.30", "192.5.6.30", "192.0.2.30"));
    assertReasons(r, Reason.DIGEST_MISMATCH);
    assertEquals(State.FAILED, r.zonemd().state());
  }

  @Test
  void changedDelegationNsIsCaughtByZonemd() throws IOException {
    assertReasons(tampered(replace("com.\t\t\t172800\tIN\tNS\ta.gtld-servers.net.", "a.gtld-servers.net.", "ns.attacker.example.")),
        Reason.DIGEST_MISMATCH);
  }

  @Test
  void changedDsFailsItsSignature() throws IOException {
    ValidationReport r = tampered(replace("com.\t\t\t86400\tIN\tDS\t19718", "19718 13 2 8ACB", "19718 13 2 9ACB"));
    assertReasons(r, Reason.BAD_SIGNATURE, Reason.DIGEST_MISMATCH);
    assertTrue(r.errors().stream().anyMatch(p -> p.reason() == Reason.BAD_SIGNATURE
        && p.owner().equals(Name.fromConstantString("com.")) && p.keyTag() == 57780), r::summary);
  }

  @Test
  void removedDsLeavesAnOrphanSignatureAndAWrongBitmap() throws IOException {
    assertReasons(tampered(lines -> without(lines, l -> l.startsWith("com.\t\t\t86400\tIN\tDS\t"))),
        Reason.ORPHAN_SIGNATURE, Reason.BITMAP_MISMATCH, Reason.DIGEST_MISMATCH);
  }

  @Test
  void removedTldBreaksTheNsecChain() throws IOException {
    ValidationReport r = tampered(lines -> without(lines, l -> l.startsWith("aaa.\t")));
    assertReasons(r, Reason.CHAIN_GAP, Reason.DIGEST_MISMATCH);
  }

  @Test
  void addedTldHasNoNsecAndBreaksZonemd() throws IOException {
    ValidationReport r = tampered(lines -> with(lines, "zzzfake.\t172800\tIN\tNS\ta.gtld-servers.net."));
    assertReasons(r, Reason.NSEC_MISSING, Reason.DIGEST_MISMATCH);
  }

  @Test
  void changedSoaSerialFailsSoaSignatureAndZonemdSerial() throws IOException {
    ValidationReport r = tampered(replace(".\t\t\t86400\tIN\tSOA\t", "2026073102", "2026073103"));
    assertReasons(r, Reason.BAD_SIGNATURE, Reason.ZONEMD_SERIAL_MISMATCH);
  }

  @Test
  void removedSigningKskLeavesTheDnskeyRrsetWithoutAnchoredSignature() throws IOException {
    // KSK-2017 (20326) signs; KSK-2024 (38696) is published and anchored but signs nothing
    ValidationReport r = tampered(lines -> without(lines, l -> l.startsWith(".\t\t\t172800\tIN\tDNSKEY\t257 3 8 AwEAAaz/")));
    assertReasons(r, Reason.DNSKEY_NOT_SIGNED_BY_ANCHOR);
  }

  @Test
  void fileTruncatedMidRecordIsAParseErrorWithItsLineNumber() throws IOException {
    List<String> lines = lines2026();
    int sig = indexOf(lines, "com.\t\t\t86400\tIN\tRRSIG\tDS ");
    String cut = lines.get(sig).substring(0, lines.get(sig).indexOf(" 20260731190000") + 5); // mid inception time
    String text = String.join("\n", lines.subList(0, sig)) + "\n" + cut;
    ZoneParseException e = assertThrows(ZoneParseException.class, () -> parse(text));
    assertEquals(sig + 1, e.line(), e.getMessage());
  }

  @Test
  void fileTruncatedAtALineBoundaryIsIncomplete() throws IOException {
    ValidationReport r = tampered(lines -> new ArrayList<>(lines.subList(0, lines.size() / 2)));
    assertReasons(r, Reason.DIGEST_MISMATCH);
    assertTrue(r.errors().stream().anyMatch(p -> p.reason() == Reason.NSEC_MISSING || p.reason() == Reason.CHAIN_GAP),
        r::summary);
  }

  @Test
  void swappedSignaturesBetweenTwoDsRrsetsFail() throws IOException {
    ValidationReport r = tampered(lines -> {
      int com = indexOf(lines, "com.\t\t\t86400\tIN\tRRSIG\tDS ");
      int net = indexOf(lines, "net.\t\t\t86400\tIN\tRRSIG\tDS ");
      List<String> out = new ArrayList<>(lines);
      String comSig = lastField(lines.get(com));
      String netSig = lastField(lines.get(net));
      out.set(com, lines.get(com).replace(comSig, netSig));
      out.set(net, lines.get(net).replace(netSig, comSig));
      return out;
    });
    assertReasons(r, Reason.BAD_SIGNATURE);
    Set<Name> owners = r.errors().stream().filter(p -> p.reason() == Reason.BAD_SIGNATURE)
        .map(Problem::owner).collect(Collectors.toSet());
    assertEquals(Set.of(Name.fromConstantString("com."), Name.fromConstantString("net.")), owners);
  }

  @Test
  void changedZonemdDigestIsADigestMismatch() throws IOException {
    ValidationReport r = tampered(replace(".\t\t\t86400\tIN\tZONEMD\t", "1 1 C3A4", "1 1 D3A4"));
    assertReasons(r, Reason.DIGEST_MISMATCH, Reason.BAD_SIGNATURE);
  }

  @Test
  void removedZonemdIsMissingAndTheApexBitmapNoLongerFits() throws IOException {
    ValidationReport r = tampered(lines -> without(lines,
        l -> l.startsWith(".\t\t\t86400\tIN\tZONEMD\t") || l.startsWith(".\t\t\t86400\tIN\tRRSIG\tZONEMD ")));
    assertReasons(r, Reason.ZONEMD_MISSING, Reason.BITMAP_MISMATCH);
  }

  @Test
  void reorderedRecordsAreStillValid() throws IOException {
    ValidationReport r = tampered(lines -> {
      List<String> shuffled = new ArrayList<>(lines);
      Collections.shuffle(shuffled, new Random(8806));
      return shuffled;
    });
    assertTrue(r.valid(), r::summary);
  }

  @Test
  void upperCaseOwnerNamesAreStillValid() throws IOException {
    ValidationReport r = tampered(lines -> lines.stream().map(l -> {
      int tab = l.indexOf('\t');
      return tab < 0 ? l : l.substring(0, tab).toUpperCase(java.util.Locale.ROOT) + l.substring(tab);
    }).toList());
    assertTrue(r.valid(), r::summary);
  }

  // --- helpers ----------------------------------------------------------------------------------

  private static ValidationReport validate(String fixture, TrustAnchors anchors, Instant time, boolean requireZonemd)
      throws IOException {
    Zone zone = ZoneFile.read(Fixtures.rootZone(fixture), Name.root);
    return new ZoneValidator(anchors, requireZonemd).validate(zone, time);
  }

  private static ValidationReport tampered(UnaryOperator<List<String>> change) throws IOException {
    List<String> lines = change.apply(lines2026());
    assertFalse(lines.equals(lines2026()) && !lines.isEmpty() && lines == lines2026(), "the change changed nothing");
    return new ZoneValidator(BUILT_IN, true).validate(parse(String.join("\n", lines) + "\n"), Fixtures.TIME_2026);
  }

  private static Zone parse(String text) throws IOException {
    return ZoneFile.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "tampered", Name.root);
  }

  private static synchronized List<String> lines2026() throws IOException {
    if (lines2026 == null) {
      lines2026 = List.copyOf(Files.readAllLines(Fixtures.rootZone(Fixtures.ZONE_2026)));
    }
    return lines2026;
  }

  /** Replaces {@code from} by {@code to} in the one line that starts with {@code prefix}. */
  private static UnaryOperator<List<String>> replace(String prefix, String from, String to) {
    return lines -> {
      List<String> out = new ArrayList<>(lines);
      int i = indexOf(lines, prefix);
      assertTrue(lines.get(i).contains(from), "line " + (i + 1) + " lacks " + from);
      out.set(i, lines.get(i).replace(from, to));
      return out;
    };
  }

  private static int indexOf(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    throw new AssertionError("no line starts with " + prefix);
  }

  private static List<String> without(List<String> lines, java.util.function.Predicate<String> drop) {
    List<String> out = lines.stream().filter(drop.negate()).toList();
    assertTrue(out.size() < lines.size(), "nothing removed");
    return out;
  }

  private static List<String> with(List<String> lines, String extra) {
    List<String> out = new ArrayList<>(lines);
    out.add(extra);
    return out;
  }

  private static String lastField(String line) {
    String[] fields = line.split("\\s+");
    return fields[fields.length - 1];
  }

  /** The report is invalid and names at least each of {@code reasons}. */
  private static void assertReasons(ValidationReport report, Reason... reasons) {
    assertNotNull(report);
    assertFalse(report.valid(), "expected rejection: " + report.summary());
    Set<Reason> found = report.errors().stream().map(Problem::reason).collect(Collectors.toSet());
    for (Reason reason : reasons) {
      assertTrue(found.contains(reason), "expected " + reason + " among " + found + ": " + report.summary());
    }
  }
}
