package org.rootmirror.sync.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority for TLS tests: a CA, server certificates it issues for the
 * names asked, and a client context that trusts it (and nothing else). Shared by the HTTPS source
 * tests and the CLI's {@code anchor update} tests.
 */
public final class TestPki {
  private static final char[] PASSWORD = "test".toCharArray();
  private static final AtomicLong SERIAL = new AtomicLong(1);

  private final KeyPair caKey;
  private final X509Certificate ca;

  private TestPki(KeyPair caKey, X509Certificate ca) {
    this.caKey = caKey;
    this.ca = ca;
  }

  public static TestPki create() throws Exception {
    KeyPair key = newKey();
    X500Name name = new X500Name("CN=rootmirror test CA");
    X509v3CertificateBuilder builder = builder(name, name, key);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return new TestPki(key, sign(builder, key));
  }

  /** A server context whose certificate, issued by this CA, names {@code names} (DNS names or IPv4 literals). */
  public SSLContext server(String... names) throws Exception {
    KeyPair key = newKey();
    X509v3CertificateBuilder builder =
        builder(new X500Name("CN=rootmirror test CA"), new X500Name("CN=" + names[0]), key);
    leafExtensions(builder, names);
    X509Certificate leaf = sign(builder, caKey);
    return serverContext(key, leaf, ca);
  }

  /** A server context with a self-signed certificate for {@code names}: trusted by nobody. */
  public static SSLContext selfSigned(String... names) throws Exception {
    KeyPair key = newKey();
    X500Name name = new X500Name("CN=" + names[0]);
    X509v3CertificateBuilder builder = builder(name, name, key);
    leafExtensions(builder, names);
    return serverContext(key, sign(builder, key));
  }

  /** A client context that trusts this CA only. */
  public SSLContext client() throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("ca", ca);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  /** This CA's certificate in PEM, as a CA file names it. */
  public String caPem() throws Exception {
    String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(ca.getEncoded());
    return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n";
  }

  private static void leafExtensions(X509v3CertificateBuilder builder, String... names) throws Exception {
    GeneralName[] alt = new GeneralName[names.length];
    for (int i = 0; i < names.length; i++) {
      boolean ip = names[i].matches("[0-9.]+");
      alt[i] = new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, names[i]);
    }
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alt));
  }

  private static SSLContext serverContext(KeyPair key, X509Certificate... chain) throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("server", key.getPrivate(), PASSWORD, chain);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, PASSWORD);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair key) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.getAndIncrement()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject, key.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }

  private static KeyPair newKey() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair();
  }
}
