package org.rootmirror.dnssec.anchor;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.rootmirror.dnssec.anchor.AnchorSignature.Check;
import org.rootmirror.dnssec.anchor.AnchorSignature.Invalid;
import org.rootmirror.dnssec.testing.AnchorPki;
import org.rootmirror.dnssec.testing.Fixtures;

class AnchorSignatureTest {
  /** A day on which IANA's 2014 signer certificate, its CA and the ICANN Root CA were all valid. */
  private static final Instant MAY_2014 = Instant.parse("2014-05-13T00:00:00Z");

  private static final String ICANN_ROOT = "O=ICANN,OU=ICANN Certification Authority,CN=ICANN Root CA,C=US";

  // --- the real 2014 files, signed by IANA ---

  @Test
  void rootAnchors2014VerifyAtSigningTimeWithTheShippedIcannRootCa() throws Exception {
    AnchorSignature.Verified v = AnchorSignature.icannRootCa().verify(xml2014(), p7s2014(), MAY_2014);

    assertEquals("O=ICANN,CN=dnssec@iana.org,E=dnssec@iana.org", v.signerName());
    assertEquals(Optional.of(Instant.parse("2011-06-30T20:04:34Z")), v.signingTime());
    assertEquals(
        List.of(v.signerName(), "O=ICANN,CN=ICANN EMAIL CA", ICANN_ROOT),
        v.chain().stream().map(AnchorSignature::name).toList());
  }

  @Test
  void shippedCaIsOnlyTheSelfSignedIcannRootCaOfIcannBundle() throws Exception {
    List<X509Certificate> shipped = AnchorSignature.icannRootCa().trustedCas();
    List<X509Certificate> bundle = AnchorSignature.trusting(Files.readAllBytes(Fixtures.trustAnchor("icannbundle.pem"))).trustedCas();

    assertEquals(1, shipped.size());
    assertEquals(ICANN_ROOT, AnchorSignature.name(shipped.getFirst()));
    assertEquals(bundle, shipped);
  }

  @Test
  void rootAnchors2014VerifyWithIcannBundleAsTheCaFile() throws Exception {
    AnchorSignature bundle = AnchorSignature.trusting(Files.readAllBytes(Fixtures.trustAnchor("icannbundle.pem")));

    assertEquals(ICANN_ROOT, AnchorSignature.name(bundle.verify(xml2014(), p7s2014(), MAY_2014).chain().getLast()));
  }

  @Test
  void anyChangedByteOfTheXmlFailsTheSignature() throws Exception {
    byte[] xml = xml2014();
    byte[] p7s = p7s2014();
    int digest = new String(xml, StandardCharsets.US_ASCII).indexOf("49AAC11D");
    assertAll(
        IntStream.of(0, digest, xml.length / 2, xml.length - 1)
            .mapToObj(i -> (Executable) () -> {
              byte[] changed = xml.clone();
              changed[i] ^= 0x01;
              Invalid e = assertThrows(Invalid.class, () -> AnchorSignature.icannRootCa().verify(changed, p7s, MAY_2014), "byte " + i);
              assertEquals(Check.SIGNATURE, e.check(), e.getMessage());
              assertTrue(e.getMessage().contains("content was changed"), e.getMessage());
            }));
  }

  @Test
  void xmlWithCrlfLineEndsFailsBecauseTheExactBytesAreSigned() throws Exception {
    // S/MIME text mode would canonicalise line ends to CRLF; IANA signs the file as binary
    byte[] crlf = new String(xml2014(), StandardCharsets.UTF_8).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);

    Invalid e = rejection(AnchorSignature.icannRootCa(), crlf, p7s2014(), MAY_2014);
    assertEquals(Check.SIGNATURE, e.check());
  }

  @Test
  void changedSignatureValueFails() throws Exception {
    byte[] p7s = p7s2014();
    p7s[p7s.length - 1] ^= 0x01; // the file ends with the signer's RSA signature value

    Invalid e = rejection(AnchorSignature.icannRootCa(), xml2014(), p7s, MAY_2014);
    assertEquals(Check.SIGNATURE, e.check());
    assertTrue(e.getMessage().startsWith("the signature value does not verify"), e.getMessage());
  }

  @Test
  void rootAnchors2014FailWithAnotherCa() throws Exception {
    AnchorSignature other = AnchorSignature.trusting(AnchorPki.pem(AnchorPki.root("CN=Some Other Root CA").cert()));

    Invalid e = rejection(other, xml2014(), p7s2014(), MAY_2014);
    assertEquals(Check.CHAIN, e.check());
    assertTrue(e.getMessage().contains("CN=Some Other Root CA"), e.getMessage());
    assertTrue(e.getMessage().contains("chain stops at O=ICANN,CN=ICANN EMAIL CA"), e.getMessage());
  }

  @Test
  void rootAnchors2014FailWithACaThatHasIcannsNameButAnotherKey() throws Exception {
    AnchorSignature impostor = AnchorSignature.trusting(AnchorPki.pem(AnchorPki.root(ICANN_ROOT).cert()));

    Invalid e = rejection(impostor, xml2014(), p7s2014(), MAY_2014);
    assertEquals(Check.CHAIN, e.check());
  }

  @Test
  void rootAnchors2014FailAfterTheSignerCertificateExpired() throws Exception {
    Instant afterExpiry = Instant.parse("2014-06-29T00:00:00Z");

    Invalid e = rejection(AnchorSignature.icannRootCa(), xml2014(), p7s2014(), afterExpiry);
    assertEquals(Check.NOT_VALID_AT_TIME, e.check());
    assertEquals(
        "the signer certificate O=ICANN,CN=dnssec@iana.org,E=dnssec@iana.org is valid from 2011-06-29T22:32:16Z"
            + " to 2014-06-28T22:32:16Z, not at 2014-06-29T00:00:00Z (expired)",
        e.getMessage());
  }

  @Test
  void rootAnchors2014FailBeforeTheSignerCertificateWasValid() throws Exception {
    Instant beforeIssue = Instant.parse("2011-06-01T00:00:00Z");

    Invalid e = rejection(AnchorSignature.icannRootCa(), xml2014(), p7s2014(), beforeIssue);
    assertEquals(Check.NOT_VALID_AT_TIME, e.check());
    assertTrue(e.getMessage().endsWith("not at 2011-06-01T00:00:00Z (not yet valid)"), e.getMessage());
  }

  @Test
  void aFileThatIsNotCmsFails() throws Exception {
    Invalid e = rejection(AnchorSignature.icannRootCa(), xml2014(), xml2014(), MAY_2014);
    assertEquals(Check.NOT_CMS, e.check());
  }

  // --- synthetic signatures, from a CA made here ---

  private static final Instant AT = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void signerNamedDnssecAtIanaOrgInSubjectAltNameVerifiesThroughTheIntermediateInTheSignature() throws Exception {
    AnchorPki.Issued root = AnchorPki.root("CN=Test Root CA");
    AnchorPki.Issued ca = AnchorPki.ca("CN=Test Email CA", root);
    AnchorPki.Issued signer = AnchorPki.signer("CN=IANA", ca, KeyUsage.digitalSignature, "DNSSEC@iana.org");
    byte[] xml = "<TrustAnchor/>\n".getBytes(StandardCharsets.UTF_8);

    AnchorSignature.Verified v =
        AnchorSignature.trusting(AnchorPki.pem(root.cert())).verify(xml, AnchorPki.sign(xml, signer, List.of(signer.cert(), ca.cert())), AT);

    assertEquals(List.of(signer.cert(), ca.cert(), root.cert()), v.chain());
  }

  @Test
  void intermediateFromTheCaFileCompletesTheChain() throws Exception {
    AnchorPki.Issued root = AnchorPki.root("CN=Test Root CA");
    AnchorPki.Issued ca = AnchorPki.ca("CN=Test Email CA", root);
    AnchorPki.Issued signer = AnchorPki.signer("CN=IANA,E=dnssec@iana.org", ca, KeyUsage.digitalSignature, null);
    byte[] xml = "<TrustAnchor/>".getBytes(StandardCharsets.UTF_8);
    byte[] p7s = AnchorPki.sign(xml, signer, List.of(signer.cert()));

    AnchorSignature.trusting(AnchorPki.pem(root.cert(), ca.cert())).verify(xml, p7s, AT);
    Invalid e = rejection(AnchorSignature.trusting(AnchorPki.pem(root.cert())), xml, p7s, AT);
    assertEquals(Check.CHAIN, e.check());
  }

  @Test
  void signerThatIsNotDnssecAtIanaOrgFails() throws Exception {
    AnchorPki.Issued root = AnchorPki.root("CN=Test Root CA");
    AnchorPki.Issued signer = AnchorPki.signer("CN=dnssec@iana.org,E=dnssec@example.org", root, KeyUsage.digitalSignature, "hostmaster@iana.org");
    byte[] xml = "<TrustAnchor/>".getBytes(StandardCharsets.UTF_8);

    Invalid e = rejection(AnchorSignature.trusting(AnchorPki.pem(root.cert())), xml, AnchorPki.sign(xml, signer, List.of(signer.cert())), AT);
    assertEquals(Check.WRONG_SIGNER, e.check());
    assertEquals(
        "the signer CN=dnssec@iana.org,E=dnssec@example.org is not dnssec@iana.org"
            + " (its e-mail addresses: dnssec@example.org, hostmaster@iana.org)",
        e.getMessage());
  }

  @Test
  void signerWhoseKeyUsageForbidsSigningFails() throws Exception {
    AnchorPki.Issued root = AnchorPki.root("CN=Test Root CA");
    AnchorPki.Issued signer = AnchorPki.signer("CN=IANA,E=dnssec@iana.org", root, KeyUsage.keyEncipherment, null);
    byte[] xml = "<TrustAnchor/>".getBytes(StandardCharsets.UTF_8);

    Invalid e = rejection(AnchorSignature.trusting(AnchorPki.pem(root.cert())), xml, AnchorPki.sign(xml, signer, List.of(signer.cert())), AT);
    assertEquals(Check.WRONG_SIGNER, e.check());
    assertTrue(e.getMessage().contains("digitalSignature"), e.getMessage());
  }

  @Test
  void expiredIntermediateFailsNamingIt() throws Exception {
    AnchorPki.Issued root = AnchorPki.root("CN=Test Root CA");
    AnchorPki.Issued ca = AnchorPki.issue("CN=Old Email CA", root, true, Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2024-01-01T00:00:00Z"), 0, null);
    AnchorPki.Issued signer = AnchorPki.signer("CN=IANA,E=dnssec@iana.org", ca, KeyUsage.digitalSignature, null);
    byte[] xml = "<TrustAnchor/>".getBytes(StandardCharsets.UTF_8);

    Invalid e = rejection(AnchorSignature.trusting(AnchorPki.pem(root.cert())), xml, AnchorPki.sign(xml, signer, List.of(signer.cert(), ca.cert())), AT);
    assertEquals(Check.NOT_VALID_AT_TIME, e.check());
    assertTrue(e.getMessage().startsWith("the intermediate CA certificate CN=Old Email CA is valid from"), e.getMessage());
  }

  @Test
  void intermediateThatIsNotACaFailsTheChain() throws Exception {
    // its key signs the signer's certificate, but RFC 5280 section 4.2.1.9 forbids it to act as a CA
    AnchorPki.Issued root = AnchorPki.root("CN=Test Root CA");
    AnchorPki.Issued endEntity = AnchorPki.signer("CN=Not A CA", root, KeyUsage.digitalSignature | KeyUsage.keyCertSign, null);
    AnchorPki.Issued signer = AnchorPki.signer("CN=IANA,E=dnssec@iana.org", endEntity, KeyUsage.digitalSignature, null);
    byte[] xml = "<TrustAnchor/>".getBytes(StandardCharsets.UTF_8);

    Invalid e = rejection(AnchorSignature.trusting(AnchorPki.pem(root.cert())), xml, AnchorPki.sign(xml, signer, List.of(signer.cert(), endEntity.cert())), AT);
    assertEquals(Check.CHAIN, e.check());
    assertTrue(e.getMessage().contains("CN=Not A CA"), e.getMessage());
  }

  @Test
  void signatureWithoutSignerFails() throws Exception {
    AnchorPki.Issued root = AnchorPki.root("CN=Test Root CA");
    CMSSignedDataGenerator certsOnly = new CMSSignedDataGenerator();
    certsOnly.addCertificates(new JcaCertStore(List.of(root.cert())));
    byte[] xml = "<TrustAnchor/>".getBytes(StandardCharsets.UTF_8);
    byte[] p7s = certsOnly.generate(new CMSProcessableByteArray(xml), false).getEncoded();

    Invalid e = rejection(AnchorSignature.trusting(AnchorPki.pem(root.cert())), xml, p7s, AT);
    assertEquals(Check.SIGNER_INFO, e.check());
  }

  @Test
  void caFileWithoutSelfSignedCertificateIsRejected() throws Exception {
    AnchorPki.Issued root = AnchorPki.root("CN=Test Root CA");
    byte[] intermediateOnly = AnchorPki.pem(AnchorPki.ca("CN=Test Email CA", root).cert());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AnchorSignature.trusting(intermediateOnly));
    assertTrue(e.getMessage().contains("no self-signed CA certificate"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> AnchorSignature.trusting("not PEM".getBytes(StandardCharsets.US_ASCII)));
  }

  // --- helpers ---

  private static byte[] xml2014() throws IOException {
    return Files.readAllBytes(Fixtures.trustAnchor("root-anchors-2014.xml"));
  }

  private static byte[] p7s2014() throws IOException {
    return Files.readAllBytes(Fixtures.trustAnchor("root-anchors-2014.p7s"));
  }

  /** The check's failure; the arguments are read before, so that a missing fixture skips the test. */
  private static Invalid rejection(AnchorSignature verifier, byte[] xml, byte[] p7s, Instant time) {
    return assertThrows(Invalid.class, () -> verifier.verify(xml, p7s, time));
  }
}
