package org.rootmirror.dnssec.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
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

/**
 * A throwaway PKI (ECDSA P-256) and CMS signer, built with Bouncy Castle, for signatures like
 * IANA's root-anchors.p7s: certificates valid 2020 to 2030.
 */
public final class AnchorPki {
  private static final Instant FROM = Instant.parse("2020-01-01T00:00:00Z");
  private static final Instant UNTIL = Instant.parse("2030-01-01T00:00:00Z");
  private static final AtomicLong SERIAL = new AtomicLong(1);

  private AnchorPki() {}

  public record Issued(X509Certificate cert, KeyPair keys) {}

  public static Issued root(String dn) throws Exception {
    return issue(dn, null, true, FROM, UNTIL, 0, null);
  }

  public static Issued ca(String dn, Issued issuer) throws Exception {
    return issue(dn, issuer, true, FROM, UNTIL, 0, null);
  }

  public static Issued signer(String dn, Issued issuer, int keyUsage, String sanEmail) throws Exception {
    return issue(dn, issuer, false, FROM, UNTIL, keyUsage, sanEmail);
  }

  /** A certificate for {@code dn}, self-signed when {@code issuer} is null. */
  public static Issued issue(String dn, Issued issuer, boolean ca, Instant from, Instant until, int keyUsage, String sanEmail)
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
  public static byte[] sign(byte[] content, Issued signer, List<X509Certificate> certs) throws Exception {
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

  /** The certificates in PEM, as a CA file holds them. */
  public static byte[] pem(X509Certificate... certs) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      for (X509Certificate cert : certs) {
        writer.writeObject(cert);
      }
    }
    return out.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
