package org.rootmirror.dnssec.anchor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.dnssec.testing.Fixtures;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Record;

class TrustAnchorsTest {
  @Test
  void aDsWhoseDigestHasTheWrongLengthForItsTypeLoadsAndMatchesNoKey() throws IOException {
    // KSK-2017's SHA-256 digest written with digest type 1 (SHA-1): dnsjava refuses it, Unbound
    // loads it; it names the key by tag and algorithm, yet cannot match it
    String sha256 = "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D";
    TrustAnchors anchors = TrustAnchors.parseZoneFormat(
        ".\tIN DS 20326 8 1 " + sha256 + " ; digest type changed\nexample. 3600 IN DS 20326 RSASHA256 2 " + sha256 + "\n", "test");

    assertEquals(2, anchors.all().size());
    TrustAnchor odd = anchors.all().stream().filter(a -> a.zone().equals(org.xbill.DNS.Name.root)).findFirst().orElseThrow();
    DSRecord ds = assertInstanceOf(DSRecord.class, odd.record());
    assertEquals(20326, ds.getFootprint());
    assertEquals(8, ds.getAlgorithm());
    assertEquals(DNSSEC.Digest.SHA1, ds.getDigestID());
    assertArrayEquals(HexFormat.of().parseHex(sha256), ds.getDigest());
    for (DNSKEYRecord key : keys()) {
      assertFalse(odd.matches(key), key.toString());
    }
    // the well-formed one beside it is read as usual
    assertTrue(anchors.all().stream().anyMatch(a -> a.zone().toString().equals("example.") && a.record() instanceof DSRecord d
        && d.getDigestID() == DNSSEC.Digest.SHA256));
  }

  @Test
  void aDsWithAnOddDigestIsStillAnError() {
    assertThrows(IllegalArgumentException.class, () -> TrustAnchors.parseZoneFormat(". IN DS 49060 8 1 ABC\n", "test"));
  }

  @Test
  void builtInAnchorsAreTheDsRecordsOfRootDs() throws IOException {
    assertEquals(records(TrustAnchors.read(Fixtures.trustAnchor("root.ds"))), records(TrustAnchors.builtIn()));
  }

  @Test
  void builtInKsk2024IsInForceOnlyFromItsPublicationInRootAnchorsXml() {
    TrustAnchors builtIn = TrustAnchors.builtIn();

    assertEquals(List.of(20326), keyTags(builtIn.validAt(Instant.parse("2020-01-01T00:00:00Z"))));
    assertEquals(List.of(20326, 38696), keyTags(builtIn.validAt(Instant.parse("2026-08-01T00:00:00Z"))));
  }

  @Test
  void rootKeyLoadsAsDnskeyAnchorsThatMatchTheirKeysAndHashToRootDs() throws IOException {
    List<TrustAnchor> keys = TrustAnchors.read(Fixtures.trustAnchor("root.key")).all();
    Set<Record> rootDs = records(TrustAnchors.read(Fixtures.trustAnchor("root.ds")));

    assertEquals(List.of(20326, 38696), keyTags(keys));
    for (TrustAnchor anchor : keys) {
      DNSKEYRecord key = assertInstanceOf(DNSKEYRecord.class, anchor.record());
      assertTrue(anchor.matches(key), anchor.toString());
      assertTrue(rootDs.contains(new DSRecord(key.getName(), DClass.IN, 0, DNSSEC.Digest.SHA256, key)), anchor.toString());
    }
  }

  @Test
  void eachKeyOfRootKeyMatchesItsOwnDsAnchorAndNoOther() throws IOException {
    List<TrustAnchor> builtIn = TrustAnchors.builtIn().all();
    for (DNSKEYRecord key : keys()) {
      List<Integer> matching = keyTags(builtIn.stream().filter(a -> a.matches(key)).toList());
      assertEquals(List.of(key.getFootprint()), matching, "anchors matching key " + key.getFootprint());
    }
  }

  @Test
  void dsWithOneChangedDigestByteDoesNotMatch() throws IOException {
    DNSKEYRecord key = keys().getFirst();
    byte[] digest = new DSRecord(key.getName(), DClass.IN, 0, DNSSEC.Digest.SHA256, key).getDigest();
    digest[digest.length - 1] ^= 0x01;
    DSRecord changed = new DSRecord(key.getName(), DClass.IN, 0, key.getFootprint(), key.getAlgorithm(), DNSSEC.Digest.SHA256, digest);

    assertFalse(TrustAnchor.of(changed).matches(key));
  }

  @Test
  void dsWithSha1OrSha384DigestMatchesAndAnUnknownDigestTypeDoesNot() throws IOException {
    DNSKEYRecord key = keys().getFirst();
    DSRecord sha1 = new DSRecord(key.getName(), DClass.IN, 0, DNSSEC.Digest.SHA1, key);
    DSRecord sha384 = new DSRecord(key.getName(), DClass.IN, 0, DNSSEC.Digest.SHA384, key);
    DSRecord badSha1 = new DSRecord(key.getName(), DClass.IN, 0, key.getFootprint(), key.getAlgorithm(),
        DNSSEC.Digest.SHA1, new byte[20]);
    DSRecord unknown = new DSRecord(key.getName(), DClass.IN, 0, key.getFootprint(), key.getAlgorithm(),
        100, sha1.getDigest());

    assertTrue(TrustAnchor.of(sha1).matches(key), "SHA-1 (digest type 1) must be accepted (RFC 8624 section 3.3)");
    assertFalse(TrustAnchor.of(badSha1).matches(key), "a wrong SHA-1 digest");
    assertTrue(TrustAnchor.of(sha384).matches(key), "the same construction with SHA-384 matches");
    assertFalse(TrustAnchor.of(unknown).matches(key), "digest type 100 is unknown");
  }

  @Test
  void rootAnchors2014XmlGivesKsk2010FromItsValidFrom() throws IOException {
    TrustAnchors anchors = TrustAnchors.read(Fixtures.trustAnchor("root-anchors-2014.xml"));

    TrustAnchor ksk2010 = anchors.all().getFirst();
    assertEquals(1, anchors.all().size());
    assertEquals(19036, ksk2010.keyTag());
    assertEquals(8, ksk2010.algorithm());
    DSRecord ds = assertInstanceOf(DSRecord.class, ksk2010.record());
    assertEquals(DNSSEC.Digest.SHA256, ds.getDigestID());
    assertArrayEquals(HexFormat.of().parseHex("49AAC11D7B6F6446702E54A1607371607A1A41855200FD2CE1CDDE32F24E8FB5"), ds.getDigest());
    assertEquals(Instant.parse("2010-07-15T00:00:00Z"), ksk2010.validFrom());
    assertNull(ksk2010.validUntil());
    assertEquals(List.of(), anchors.validAt(Instant.parse("2010-07-14T23:59:59Z")));
    assertEquals(List.of(ksk2010), anchors.validAt(Instant.parse("2014-06-26T00:00:00Z")));
  }

  @Test
  void validUntilEndsAnAnchorAtThatInstant() {
    // RFC 9718 section 2.2: a KeyDigest is in force from validFrom and, if present, until validUntil
    String xml =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <TrustAnchor id="test" source="https://data.iana.org/root-anchors/root-anchors.xml">
        <Zone>.</Zone>
        <KeyDigest id="Kjqmt7v" validFrom="2010-07-15T00:00:00+00:00" validUntil="2019-01-11T00:00:00+00:00">
        <KeyTag>19036</KeyTag><Algorithm>8</Algorithm><DigestType>2</DigestType>
        <Digest>49AAC11D7B6F6446702E54A1607371607A1A41855200FD2CE1CDDE32F24E8FB5</Digest>
        </KeyDigest>
        <KeyDigest id="Klajeyz" validFrom="2017-02-02T00:00:00+00:00">
        <KeyTag>20326</KeyTag><Algorithm>8</Algorithm><DigestType>2</DigestType>
        <Digest>E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D</Digest>
        </KeyDigest>
        </TrustAnchor>
        """;
    TrustAnchors anchors = TrustAnchors.parseXml(xml.getBytes(StandardCharsets.UTF_8), "test.xml");

    assertEquals(Instant.parse("2019-01-11T00:00:00Z"), anchors.all().getFirst().validUntil());
    assertEquals(List.of(19036, 20326), keyTags(anchors.validAt(Instant.parse("2019-01-10T23:59:59Z"))));
    assertEquals(List.of(20326), keyTags(anchors.validAt(Instant.parse("2019-01-11T00:00:00Z"))));
  }

  @Test
  void xmlWithADoctypeIsRejected() {
    // the file is fetched over the network before its signature is checked: no entity expansion
    String xml = "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><TrustAnchor>&x;</TrustAnchor>";

    assertThrows(IllegalArgumentException.class, () -> TrustAnchors.parseXml(xml.getBytes(StandardCharsets.UTF_8), "evil.xml"));
  }

  @Test
  void nonDsRecordInAnAnchorFileIsRejectedNamingIt(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("anchors.txt");
    Files.writeString(
        file,
        """
        . IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
        . 518400 IN NS a.root-servers.net.
        """);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrustAnchors.read(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("NS\ta.root-servers.net."), e.getMessage());
  }

  @Test
  void zoneFormatTakesMnemonicAndNumericAlgorithmsForSeveralZonesWithOrWithoutTtlAndClass() throws IOException {
    DNSKEYRecord key = keys().getFirst();
    String base64 = java.util.Base64.getEncoder().encodeToString(key.getKey());
    String text = """
        . 3600 IN DS 19036 8 2 49AAC11D7B6F6446702E54A1607371607A1A41855200FD2CE1CDDE32F24E8FB5
        . IN DS 20326 RSASHA256 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
        example.com. DS 12345 ecdsap256sha256 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
        example.net. IN DNSKEY 257 3 RSASHA1 %s
        example.org. 60 DNSKEY 257 3 7 ( %s ) ; a comment
        """.formatted(base64, base64);

    List<TrustAnchor> anchors = TrustAnchors.parseZoneFormat(text, "trust-anchor").all();

    assertEquals(List.of(".", ".", "example.com.", "example.net.", "example.org."),
        anchors.stream().map(a -> a.zone().toString()).toList());
    assertEquals(List.of(8, 8, 13, 5, 7), anchors.stream().map(TrustAnchor::algorithm).toList());
    assertEquals(20326, anchors.get(1).keyTag());
    assertTrue(TrustAnchors.parseZoneFormat(text, "t").validating());
  }

  @Test
  void anUnknownMnemonicIsAOneLineErrorNamingTheSource() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrustAnchors.parseZoneFormat(". IN DS 20326 NOSUCHALG 2 E06D44B8\n", "anchors.txt"));

    assertTrue(e.getMessage().startsWith("anchors.txt:1: "), e.getMessage());
    assertFalse(e.getMessage().contains("<none>"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void noAnchorsMeansNotValidating() {
    assertFalse(TrustAnchors.none().validating());
    assertEquals(List.of(), TrustAnchors.none().all());
    assertTrue(TrustAnchors.builtIn().validating());
  }

  private static List<DNSKEYRecord> keys() throws IOException {
    return TrustAnchors.read(Fixtures.trustAnchor("root.key")).all().stream().map(a -> (DNSKEYRecord) a.record()).toList();
  }

  private static Set<Record> records(TrustAnchors anchors) {
    return anchors.all().stream().map(TrustAnchor::record).collect(Collectors.toSet());
  }

  private static List<Integer> keyTags(List<TrustAnchor> anchors) {
    return anchors.stream().map(TrustAnchor::keyTag).toList();
  }
}

