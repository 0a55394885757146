package org.rootmirror.dnssec.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rootmirror.dnssec.testing.TestZoneSigner;
import org.rootmirror.dnssec.validate.Signatures.Result;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.TXTRecord;

/** The verifier gives dnsjava's verdict on every algorithm, with its own ECDSA for 13 and 14. */
class SignaturesTest {
  private static final Name ZONE = Name.fromConstantString("example.");
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

  private static TestZoneSigner signer(int algorithm) {
    return TestZoneSigner.generate(ZONE, algorithm).validity(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
  }

  private static RRset rrset(Random random, int records) throws Exception {
    RRset set = new RRset();
    Name owner = Name.fromConstantString("n" + random.nextInt(1000) + ".example.");
    for (int i = 0; i < records; i++) {
      set.addRR(new TXTRecord(owner, DClass.IN, 300, "text " + random.nextLong()));
    }
    return set;
  }

  private static boolean dnsjava(RRset set, RRSIGRecord sig, DNSKEYRecord key) {
    try {
      DNSSEC.verify(set, sig, key, NOW);
      return true;
    } catch (DNSSEC.DNSSECException e) {
      return false;
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 5, 6, 7, 8, 10, 13, 14, 15, 16})
  void agreesWithDnsjavaOnGoodAndTamperedSignatures(int algorithm) throws Exception {
    TestZoneSigner s = signer(algorithm);
    DNSKEYRecord key = s.zsk().dnskey();
    Random random = new Random(algorithm);
    for (int i = 0; i < 20; i++) {
      RRset set = rrset(random, 1 + random.nextInt(3));
      RRSIGRecord sig = s.signRRset(set);
      assertEquals(Result.VERIFIED, Signatures.verify(set, sig, key, NOW));
      byte[] signature = sig.getSignature();
      signature[random.nextInt(signature.length)] ^= (byte) (1 << random.nextInt(8));
      RRSIGRecord tampered = new RRSIGRecord(sig.getName(), sig.getDClass(), sig.getTTL(), sig.getTypeCovered(), sig.getAlgorithm(),
          sig.getOrigTTL(), sig.getExpire(), sig.getTimeSigned(), sig.getFootprint(), sig.getSigner(), signature);
      assertEquals(dnsjava(set, tampered, key), Signatures.verify(set, tampered, key, NOW) == Result.VERIFIED);
      assertEquals(Result.BAD_SIGNATURE, Signatures.verify(set, tampered, key, NOW));
      // the data changed under the signature
      RRset other = rrset(random, 1);
      RRset moved = new RRset();
      other.rrs(false).forEach(r -> moved.addRR(r.withName(set.getName())));
      assertEquals(Result.BAD_SIGNATURE, Signatures.verify(moved, sig, key, NOW));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 5, 7, 8, 13})
  void theValidityWindowAndTheKeyAreCheckedFirst(int algorithm) throws Exception {
    TestZoneSigner s = signer(algorithm);
    RRset set = new RRset(new ARecord(Name.fromConstantString("www.example."), DClass.IN, 300, InetAddress.getByName("192.0.2.1")));
    RRSIGRecord sig = s.signRRset(set);
    assertEquals(Result.EXPIRED, Signatures.verify(set, sig, s.zsk().dnskey(), NOW.plus(Duration.ofDays(2))));
    assertEquals(Result.NOT_YET_VALID, Signatures.verify(set, sig, s.zsk().dnskey(), NOW.minus(Duration.ofDays(2))));
    assertEquals(Result.KEY_MISMATCH, Signatures.verify(set, sig, s.ksk().dnskey(), NOW));
    assertEquals(Result.KEY_MISMATCH, Signatures.verify(set, sig, signer(algorithm).zsk().dnskey(), NOW), "another zone's key, another tag");
  }

  @ParameterizedTest
  @ValueSource(ints = {13, 14})
  void aMalformedEcdsaKeyOrSignatureIsBadNotAnError(int algorithm) throws Exception {
    TestZoneSigner s = signer(algorithm);
    RRset set = new RRset(new ARecord(Name.fromConstantString("www.example."), DClass.IN, 300, InetAddress.getByName("192.0.2.1")));
    RRSIGRecord sig = s.signRRset(set);
    DNSKEYRecord key = s.zsk().dnskey();
    byte[] notOnCurve = key.getKey();
    notOnCurve[notOnCurve.length - 1] ^= 1;
    DNSKEYRecord bent = new DNSKEYRecord(key.getName(), key.getDClass(), key.getTTL(), key.getFlags(), key.getProtocol(), key.getAlgorithm(), notOnCurve);
    RRSIGRecord forBent = new RRSIGRecord(sig.getName(), sig.getDClass(), sig.getTTL(), sig.getTypeCovered(), sig.getAlgorithm(),
        sig.getOrigTTL(), sig.getExpire(), sig.getTimeSigned(), bent.getFootprint(), sig.getSigner(), sig.getSignature());
    assertEquals(Result.BAD_SIGNATURE, Signatures.verify(set, forBent, bent, NOW));
    RRSIGRecord shortSig = new RRSIGRecord(sig.getName(), sig.getDClass(), sig.getTTL(), sig.getTypeCovered(), sig.getAlgorithm(),
        sig.getOrigTTL(), sig.getExpire(), sig.getTimeSigned(), sig.getFootprint(), sig.getSigner(), new byte[10]);
    assertEquals(Result.BAD_SIGNATURE, Signatures.verify(set, shortSig, key, NOW));
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 6})
  void aMalformedDsaSignatureIsBadNotAnError(int algorithm) throws Exception {
    // RFC 2536 section 3: T, then R and S of 20 bytes each
    TestZoneSigner s = signer(algorithm);
    RRset set = new RRset(new ARecord(Name.fromConstantString("www.example."), DClass.IN, 300, InetAddress.getByName("192.0.2.1")));
    RRSIGRecord sig = s.signRRset(set);
    DNSKEYRecord key = s.zsk().dnskey();
    assertEquals(Result.VERIFIED, Signatures.verify(set, sig, key, NOW));
    // (T itself is not checked, by dnsjava as by Unbound's conversion of the signature)
    byte[] longer = java.util.Arrays.copyOf(sig.getSignature(), 42);
    for (byte[] bad : new byte[][] {new byte[10], new byte[0], longer}) {
      RRSIGRecord malformed = new RRSIGRecord(sig.getName(), sig.getDClass(), sig.getTTL(), sig.getTypeCovered(), sig.getAlgorithm(),
          sig.getOrigTTL(), sig.getExpire(), sig.getTimeSigned(), sig.getFootprint(), sig.getSigner(), bad);
      assertEquals(Result.BAD_SIGNATURE, Signatures.verify(set, malformed, key, NOW));
    }
  }
}
