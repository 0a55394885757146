package org.rootmirror.dnssec.anchor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Verifies IANA's root-anchors.xml against its detached CMS signature, root-anchors.p7s (RFC 9718
 * section 3, RFC 5652): signed by dnssec@iana.org with a certificate that chains to a trusted CA,
 * by default the ICANN Root CA, at a validation time given by the caller.
 */
public final class AnchorSignature {
  /** The only signer accepted, as unbound-anchor's default {@code -n dnssec@iana.org}. */
  public static final String SIGNER_EMAIL = "dnssec@iana.org";

  /** The self-signed ICANN Root CA from IANA's icannbundle.pem, shipped beside this class. */
  private static final String ICANN_ROOT_CA = "icann-root-ca.pem";

  /** RFC 5280 section 4.2.1.6: GeneralName type of an e-mail address in subjectAltName. */
  private static final int RFC822_NAME = 1;

  private final List<X509Certificate> trusted;
  private final List<X509Certificate> intermediates;

  private AnchorSignature(List<X509Certificate> trusted, List<X509Certificate> intermediates) {
    this.trusted = List.copyOf(trusted);
    this.intermediates = List.copyOf(intermediates);
  }

  /** A verifier that trusts the ICANN Root CA shipped with rootmirror. */
  public static AnchorSignature icannRootCa() {
    try (InputStream in = AnchorSignature.class.getResourceAsStream(ICANN_ROOT_CA)) {
      if (in == null) {
        throw new IllegalStateException("resource " + ICANN_ROOT_CA + " is missing from the build");
      }
      return trusting(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A verifier that trusts the self-signed certificates in {@code caPem} (one or more PEM
   * certificates) and uses the others as intermediate CAs, like icannbundle.pem.
   *
   * @throws IllegalArgumentException if the PEM is unreadable, holds no certificate, holds no
   *     self-signed certificate, or one whose self-signature does not verify
   */
  public static AnchorSignature trusting(byte[] caPem) {
    List<X509Certificate> trusted = new ArrayList<>();
    List<X509Certificate> intermediates = new ArrayList<>();
    for (X509Certificate cert : readPem(caPem)) {
      if (!cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
        intermediates.add(cert);
      } else if (signedBy(cert, cert)) {
        trusted.add(cert);
      } else {
        // as unbound-anchor's X509_V_FLAG_CHECK_SS_SIGNATURE: a damaged CA file is an error
        throw new IllegalArgumentException("CA certificate " + name(cert) + " is self-issued but its signature does not verify");
      }
    }
    if (trusted.isEmpty()) {
      throw new IllegalArgumentException("no self-signed CA certificate to trust among " + intermediates.size() + " certificates");
    }
    return new AnchorSignature(trusted, intermediates);
  }

  /** The self-signed certificates this verifier trusts. */
  public List<X509Certificate> trustedCas() {
    return trusted;
  }

  /**
   * Checks that {@code p7s} is a CMS signature over exactly the bytes {@code xml} (binary, no
   * S/MIME canonicalisation) by one signer, dnssec@iana.org, whose certificate chains to a trusted
   * CA with every certificate of the chain valid at {@code time}. Revocation is not checked: the
   * ICANN certificates name no CRL or OCSP responder, and unbound-anchor checks none.
   *
   * @throws Invalid naming the check that failed
   */
  public Verified verify(byte[] xml, byte[] p7s, Instant time) throws Invalid {
    CMSSignedData cms = parse(xml, p7s);
    SignerInformation signer = onlySigner(cms);
    X509Certificate signerCert = signerCertificate(cms, signer);
    verifySignature(signer, signerCert);
    requireIana(signerCert);
    requireValidAt(signerCert, "signer certificate", time);

    List<X509Certificate> path = new ArrayList<>(List.of(signerCert));
    X509Certificate anchor = buildPath(path, intermediates(cms));
    for (X509Certificate ca : path.subList(1, path.size())) {
      requireValidAt(ca, "intermediate CA certificate", time);
    }
    requireValidAt(anchor, "trusted CA certificate", time);
    validatePath(path, anchor, time);

    List<X509Certificate> chain = new ArrayList<>(path);
    chain.add(anchor);
    return new Verified(signerCert, signingTime(signer), chain);
  }

  private static CMSSignedData parse(byte[] xml, byte[] p7s) throws Invalid {
    try {
      // RFC 5652 section 5: a detached signature; the content is given, byte for byte
      return new CMSSignedData(new CMSProcessableByteArray(xml), p7s);
    } catch (CMSException | RuntimeException e) {
      // BC reports malformed DER as IllegalArgumentException or ClassCastException
      throw new Invalid(Check.NOT_CMS, "the signature file is not a DER-encoded CMS SignedData (as root-anchors.p7s is)");
    }
  }

  private static SignerInformation onlySigner(CMSSignedData cms) throws Invalid {
    Collection<SignerInformation> signers = cms.getSignerInfos().getSigners();
    if (signers.size() != 1) {
      throw new Invalid(Check.SIGNER_INFO, "the signature has " + signers.size() + " signers; root-anchors.p7s has exactly one");
    }
    return signers.iterator().next();
  }

  private static X509Certificate signerCertificate(CMSSignedData cms, SignerInformation signer) throws Invalid {
    Optional<X509CertificateHolder> cert = cms.getCertificates().getMatches(null).stream().filter(signer.getSID()::match).findFirst();
    if (cert.isEmpty()) {
      throw new Invalid(Check.SIGNER_INFO, "the signer's certificate is not included in the signature");
    }
    return convert(cert.get());
  }

  /** The CA file's intermediates, then the signature's; a self-signed one that came with it is neither trusted nor a link. */
  private List<X509Certificate> intermediates(CMSSignedData cms) throws Invalid {
    List<X509Certificate> pool = new ArrayList<>(intermediates);
    for (X509CertificateHolder holder : cms.getCertificates().getMatches(null)) {
      if (!holder.getSubject().equals(holder.getIssuer())) {
        pool.add(convert(holder));
      }
    }
    return pool;
  }

  private static X509Certificate convert(X509CertificateHolder holder) throws Invalid {
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (CertificateException e) {
      throw new Invalid(Check.NOT_CMS, "unreadable certificate " + holder.getSubject() + " in the signature: " + e.getMessage());
    }
  }

  /** RFC 5652 section 5.6: the message digest and the signature value, with the signer's key. */
  private static void verifySignature(SignerInformation signer, X509Certificate cert) throws Invalid {
    boolean ok;
    try {
      // built from the key, not the certificate, so that BC does not apply its own clock-free
      // validity check; validity is checked below at the caller's time
      ok = signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(cert.getPublicKey()));
    } catch (CMSSignerDigestMismatchException e) {
      throw new Invalid(Check.SIGNATURE, "the XML does not match the signature: its digest differs from the signed one (the content was changed)");
    } catch (CMSException | OperatorCreationException e) {
      throw new Invalid(Check.SIGNATURE, "the signature cannot be checked: " + e.getMessage());
    }
    if (!ok) {
      throw new Invalid(Check.SIGNATURE, "the signature value does not verify with the key of " + name(cert));
    }
  }

  /**
   * The signer must be dnssec@iana.org, as unbound-anchor requires (its emailAddress), here
   * also accepted as an rfc822Name subjectAltName (RFC 5280 section 4.1.2.6 prefers it there);
   * e-mail addresses are compared without case. Its key usage, if any, must allow signing.
   */
  private static void requireIana(X509Certificate cert) throws Invalid {
    List<String> emails = emails(cert);
    if (emails.stream().noneMatch(e -> e.toLowerCase(Locale.ROOT).equals(SIGNER_EMAIL))) {
      throw new Invalid(Check.WRONG_SIGNER, "the signer " + name(cert) + " is not " + SIGNER_EMAIL
          + (emails.isEmpty() ? " (it has no e-mail address)" : " (its e-mail addresses: " + String.join(", ", emails) + ")"));
    }
    boolean[] usage = cert.getKeyUsage();
    if (usage != null && !usage[0]) {
      throw new Invalid(Check.WRONG_SIGNER, "the signer certificate " + name(cert) + " has a key usage without digitalSignature");
    }
  }

  private static List<String> emails(X509Certificate cert) throws Invalid {
    List<String> emails = new ArrayList<>();
    for (RDN rdn : X500Name.getInstance(cert.getSubjectX500Principal().getEncoded()).getRDNs()) {
      for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        if (atv.getType().equals(BCStyle.EmailAddress) && atv.getValue() instanceof ASN1String email) {
          emails.add(email.getString());
        }
      }
    }
    try {
      Collection<List<?>> alt = cert.getSubjectAlternativeNames();
      if (alt != null) {
        alt.stream().filter(n -> (Integer) n.get(0) == RFC822_NAME).forEach(n -> emails.add((String) n.get(1)));
      }
    } catch (CertificateException e) {
      throw new Invalid(Check.WRONG_SIGNER, "unreadable subjectAltName in " + name(cert) + ": " + e.getMessage());
    }
    return emails;
  }

  private static void requireValidAt(X509Certificate cert, String role, Instant time) throws Invalid {
    Instant from = cert.getNotBefore().toInstant();
    Instant until = cert.getNotAfter().toInstant();
    // RFC 5280 section 4.1.2.5: both ends of the validity period are inclusive
    if (time.isBefore(from) || time.isAfter(until)) {
      throw new Invalid(Check.NOT_VALID_AT_TIME, "the " + role + " " + name(cert) + " is valid from " + from + " to " + until
          + ", not at " + time + (time.isAfter(until) ? " (expired)" : " (not yet valid)"));
    }
  }

  /**
   * Extends {@code path} (the signer alone on entry) with issuers from {@code pool} until one is
   * issued by a trusted CA, which it returns. An issuer is a certificate whose subject is the
   * issuer name and whose key verifies the signature.
   */
  private X509Certificate buildPath(List<X509Certificate> path, List<X509Certificate> pool) throws Invalid {
    while (true) {
      X509Certificate last = path.getLast();
      Optional<X509Certificate> anchor = trusted.stream().filter(ca -> signedBy(last, ca)).findFirst();
      if (anchor.isPresent()) {
        return anchor.get();
      }
      Optional<X509Certificate> next = pool.stream().filter(ca -> !path.contains(ca) && signedBy(last, ca)).findFirst();
      if (next.isEmpty()) {
        throw new Invalid(Check.CHAIN, "the signer certificate does not chain to the trusted CA "
            + trusted.stream().map(AnchorSignature::name).toList() + ": the chain stops at " + name(last)
            + ", issued by " + name(last.getIssuerX500Principal().getEncoded()) + ", which is neither trusted nor among the intermediate certificates");
      }
      path.add(next.get());
    }
  }

  /** RFC 5280 section 6 path validation (names, basic constraints, key usage) at {@code time}. */
  private static void validatePath(List<X509Certificate> path, X509Certificate anchor, Instant time) throws Invalid {
    try {
      PKIXParameters params = new PKIXParameters(Set.of(new java.security.cert.TrustAnchor(anchor, null)));
      params.setDate(Date.from(time));
      params.setRevocationEnabled(false);
      CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
    } catch (CertPathValidatorException e) {
      String at = e.getIndex() >= 0 ? " at " + name(path.get(e.getIndex())) : "";
      throw new Invalid(Check.CHAIN, "the chain to " + name(anchor) + " does not validate" + at + ": " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PKIX validation unavailable", e);
    }
  }

  private static Optional<Instant> signingTime(SignerInformation signer) {
    AttributeTable attributes = signer.getSignedAttributes();
    Attribute attribute = attributes == null ? null : attributes.get(CMSAttributes.signingTime);
    if (attribute == null) {
      return Optional.empty();
    }
    return Optional.of(Time.getInstance(attribute.getAttrValues().getObjectAt(0)).getDate().toInstant());
  }

  private static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
    if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      return false;
    }
    try {
      cert.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static List<X509Certificate> readPem(byte[] pem) {
    List<X509Certificate> certs = new ArrayList<>();
    Reader text = new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII);
    try (PEMParser parser = new PEMParser(text)) {
      Object o;
      while ((o = parser.readObject()) != null) {
        if (!(o instanceof X509CertificateHolder holder)) {
          throw new IllegalArgumentException("not a certificate in the CA file: " + o.getClass().getSimpleName());
        }
        certs.add(new JcaX509CertificateConverter().getCertificate(holder));
      }
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException("unreadable PEM certificate: " + e.getMessage(), e);
    }
    if (certs.isEmpty()) {
      throw new IllegalArgumentException("no PEM certificate found");
    }
    return certs;
  }

  /** A certificate's subject as OpenSSL prints it, in its own order: "O=ICANN,CN=...,E=...". */
  static String name(X509Certificate cert) {
    return name(cert.getSubjectX500Principal().getEncoded());
  }

  private static String name(byte[] encodedName) {
    return X500Name.getInstance(BCStyle.INSTANCE, encodedName).toString();
  }

  /** What a verified signature vouches for. */
  public record Verified(X509Certificate signer, Optional<Instant> signingTime, List<X509Certificate> chain) {
    public Verified {
      chain = List.copyOf(chain);
    }

    /** The signer's subject, such as "O=ICANN,CN=dnssec@iana.org,E=dnssec@iana.org". */
    public String signerName() {
      return name(signer);
    }
  }

  /** The check that a signature failed. */
  public enum Check {
    /** The signature file is not a DER CMS SignedData (RFC 5652 section 5), or a certificate in it is unreadable. */
    NOT_CMS,
    /** The signature does not have exactly one signer, or lacks the signer's certificate. */
    SIGNER_INFO,
    /** The signature does not verify over the XML bytes: the content or the signature was changed. */
    SIGNATURE,
    /** The signer is not dnssec@iana.org, or its key may not sign. */
    WRONG_SIGNER,
    /** A certificate of the chain is not valid at the validation time. */
    NOT_VALID_AT_TIME,
    /** The signer's certificate does not chain to a trusted CA. */
    CHAIN
  }

  /** A signature that failed one check; the message says which and why. */
  public static final class Invalid extends Exception {
    private final Check check;

    private Invalid(Check check, String message) {
      super(message);
      this.check = check;
    }

    public Check check() {
      return check;
    }
  }
}
