package org.rootmirror.dnssec.anchor;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.rootmirror.dnssec.anchor.AnchorSignature.Check;
import org.rootmirror.dnssec.anchor.AnchorSignature.Invalid;
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
    AnchorSignature other = AnchorSignature.trusting(pem(Pki.root("CN=Some Other Root CA").cert()));

    Invalid e = rejection(other, xml2014(), p7s2014(), MAY_2014);
    assertEquals(Check.CHAIN, e.check());
    assertTrue(e.getMessage().contains("CN=Some Other Root CA"), e.getMessage());
    assertTrue(e.getMessage().contains("chain stops at O=ICANN,CN=ICANN EMAIL CA"), e.getMessage());
  }

  @Test
  void rootAnchors2014FailWithACaThatHasIcannsNameButAnotherKey() throws Exception {
    AnchorSignature impostor = AnchorSignature.trusting(pem(Pki.root(ICANN_ROOT).cert()));

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
    Pki.Issued root = Pki.root("CN=Test Root CA");
    Pki.Issued ca = Pki.ca("CN=Test Email CA", root);
    Pki.Issued signer = Pki.signer("CN=IANA", ca, KeyUsage.digitalSignature, "DNSSEC@iana.org");
    byte[] xml = "<TrustAnchor/>\n".getBytes(StandardCharsets.UTF_8);

    AnchorSignature.Verified v =
        AnchorSignature.trusting(pem(root.cert())).verify(xml, Pki.sign(xml, signer, List.of(signer.cert(), ca.cert())), AT);

    assertEquals(List.of(signer.cert(), ca.cert(), root.cert()), v.chain());
  }

  @Test
  void intermediateFromTheCaFileCompletesTheChain() throws Exception {
    Pki.Issued root = Pki.root("CN=Test Root CA");
    Pki.Issued ca = Pki.ca("CN=Test Email CA", root);
    Pki.Issued signer = Pki.signer("CN=IANA,E=dnssec@iana.org", ca, KeyUsage.digitalSignature, null);
    byte[] xml = "<TrustAnchor/>".getBytes(StandardCharsets.UTF_8);
    byte[] p7s = Pki.sign(xml, signer, List.of(signer.cert()));

    AnchorSignature.trusting(pem(root.cert(), ca.cert())).verify(xml, p7s, AT);
    Invalid e = rejection(AnchorSignature.trusting(pem(root.cert())), xml, p7s, AT);
    assertEquals(Check.CHAIN, e.check());
  }

  @Test
  void signerThatIsNotDnssecAtIanaOrgFails() throws Exception {
    Pki.Issued root = Pki.root("CN=Test Root CA");
    Pki.Issued signer = Pki.signer("CN=dnssec@iana.org,E=dnssec@example.org", root, KeyUsage.digitalSignature, "hostmaster@iana.org");
    byte[] xml = "<TrustAnchor/>".getBytes(StandardCharsets.UTF_8);

    Invalid e = rejection(AnchorSignature.trusting(pem(root.cert())), xml, Pki.sign(xml, signer, List.of(signer.cert())), AT);
    assertEquals(Check.WRONG_SIGNER, e.check());
    assertEquals(
        "the signer CN=dnssec@iana.org,E=dnssec@example.org is not dnssec@iana.org"
            + " (its e-mail addresses: dnssec@example.org, hostmaster@iana.org)",
        e.getMessage());
  }

  @Test
  void signerWhoseKeyUsageForbidsSigningFails() throws Exception {
    Pki.Issued root = Pki.root("CN=Test Root CA");
    Pki.Issued signer = Pki.signer("CN=IANA,E=dnssec@iana.org", root, KeyUsage.keyEncipherment, null);
    byte[] xml = "<TrustAnchor/>".getBytes(StandardCharsets.UTF_8);

    Invalid e = rejection(AnchorSignature.trusting(pem(root.cert())), xml, Pki.sign(xml, signer, List.of(signer.cert())), AT);
    assertEquals(Check.WRONG_SIGNER, e.check());
    assertTrue(e.getMessage().contains("digitalSignature"), e.getMessage());
  }

  @Test
  void expiredIntermediateFailsNamingIt() throws Exception {
    Pki.Issued root = Pki.root("CN=Test Root CA");
    Pki.Issued ca = Pki.issue("CN=Old Email CA", root, true, Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2024-01-01T00:00:00Z"), 0, null);
    Pki.Issued signer = Pki.signer("CN=IANA,E=dnssec@iana.org", ca, KeyUsage.digitalSignature, null);
    byte[] xml = "<TrustAnchor/>".getBytes(StandardCharsets.UTF_8);

    Invalid e = rejection(AnchorSignature.trusting(pem(root.cert())), xml, Pki.sign(xml, signer, List.of(signer.cert(), ca.cert())), AT);
    assertEquals(Check.NOT_VALID_AT_TIME, e.check());
    assertTrue(e.getMessage().startsWith("the intermediate CA certificate CN=Old Email CA is valid from"), e.getMessage());
  }

  @Test
  void intermediateThatIsNotACaFailsTheChain() throws Exception {
    // its key signs the signer's certificate, but RFC 5280 section 4.2.1.9 forbids it to act as a CA
    Pki.Issued root = Pki.root("CN=Test Root CA");
    Pki.Issued endEntity = Pki.signer("CN=Not A CA", root, KeyUsage.digitalSignature | KeyUsage.keyCertSign, null);
    Pki.Issued signer = Pki.signer("CN=IANA,E=dnssec@iana.org", endEntity, KeyUsage.digitalSignature, null);
    byte[] xml = "<TrustAnchor/>".getBytes(StandardCharsets.UTF_8);

    Invalid e = rejection(AnchorSignature.trusting(pem(root.cert())), xml, Pki.sign(xml, signer, List.of(signer.cert(), endEntity.cert())), AT);
    assertEquals(Check.CHAIN, e.check());
    assertTrue(e.getMessage().contains("CN=Not A CA"), e.getMessage());
  }

  @Test
  void signatureWithoutSignerFails() throws Exception {
    Pki.Issued root = Pki.root("CN=Test Root CA");
    CMSSignedDataGenerator certsOnly = new CMSSignedDataGenerator();
    certsOnly.addCertificates(new JcaCertStore(List.of(root.cert())));
    byte[] xml = "<TrustAnchor/>".getBytes(StandardCharsets.UTF_8);
    byte[] p7s = certsOnly.generate(new CMSProcessableByteArray(xml), false).getEncoded();

    Invalid e = rejection(AnchorSignature.trusting(pem(root.cert())), xml, p7s, AT);
    assertEquals(Check.SIGNER_INFO, e.check());
  }

  @Test
  void caFileWithoutSelfSignedCertificateIsRejected() throws Exception {
    Pki.Issued root = Pki.root("CN=Test Root CA");
    byte[] intermediateOnly = pem(Pki.ca("CN=Test Email CA", root).cert());

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

  private static byte[] pem(X509Certificate... certs) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      for (X509Certificate cert : certs) {
        writer.writeObject(cert);
      }
    }
    return out.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** A throwaway PKI (ECDSA P-256) and CMS signer, built with Bouncy Castle. */
  private static final class Pki {
    private static final Instant FROM = Instant.parse("2020-01-01T00:00:00Z");
    private static final Instant UNTIL = Instant.parse("2030-01-01T00:00:00Z");
    private static final AtomicLong SERIAL = new AtomicLong(1);

    record Issued(X509Certificate cert, KeyPair keys) {}

    static Issued root(String dn) throws Exception {
      return issue(dn, null, true, FROM, UNTIL, 0, null);
    }

    static Issued ca(String dn, Issued issuer) throws Exception {
      return issue(dn, issuer, true, FROM, UNTIL, 0, null);
    }

    static Issued signer(String dn, Issued issuer, int keyUsage, String sanEmail) throws Exception {
      return issue(dn, issuer, false, FROM, UNTIL, keyUsage, sanEmail);
    }

    /** A certificate for {@code dn}, self-signed when {@code issuer} is null. */
    static Issued issue(String dn, Issued issuer, boolean ca, Instant from, Instant until, int keyUsage, String sanEmail)
        throws Exception {
      KeyPair keys = keyPair();
      X500Name subject = new X500Name(dn);
      X500Name issuerName = issuer == null ? subject : X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded());
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          issuerName, BigInteger.valueOf(SERIAL.getAndIncrement()), Date.from(from), Date.from(until), subject, keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : keyUsage));
      if (sanEmail != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.rfc822Name, sanEmail)));
      }
      KeyPair signing = issuer == null ? keys : issuer.keys();
      X509Certificate cert = new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signing.getPrivate())));
      return new Issued(cert, keys);
    }

    /** A detached CMS signature of {@code content} by {@code signer}, carrying {@code certs}. */
    static byte[] sign(byte[] content, Issued signer, List<X509Certificate> certs) throws Exception {
      CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
      generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.keys().getPrivate()), signer.cert()));
      generator.addCertificates(new JcaCertStore(certs));
      return generator.generate(new CMSProcessableByteArray(content), false).getEncoded();
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    }
  }
}
