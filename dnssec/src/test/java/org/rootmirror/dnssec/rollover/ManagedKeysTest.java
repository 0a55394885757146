package org.rootmirror.dnssec.rollover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.anchor.TrustAnchor;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.dnssec.testing.Fixtures;
import org.rootmirror.dnssec.testing.TestZoneSigner;
import org.rootmirror.dnssec.validate.ValidationReport;
import org.rootmirror.dnssec.validate.ZoneValidator;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DNSSEC.Algorithm;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/** A root KSK rollover with test keys on a clock moved by hand (RFC 5011 section 4). */
class ManagedKeysTest {
  private static final Name ROOT = Name.root;
  private static final Instant T0 = Instant.parse("2027-01-01T00:00:00Z");

  private final KeyPair k1 = TestZoneSigner.newKeyPair(Algorithm.ECDSAP256SHA256);
  private final KeyPair k2 = TestZoneSigner.newKeyPair(Algorithm.ECDSAP256SHA256);
  private final KeyPair zsk = TestZoneSigner.newKeyPair(Algorithm.ECDSAP256SHA256);

  @Test
  void aRolloverFromK1ToK2FollowsTheHoldDownsAndSurvivesARestartAtEachStep() throws Exception {
    ManagedKeys keys = ManagedKeys.seeded(ROOT, anchorsOf(dnskey(k1, 257)));
    keys = restart(observe(keys, T0, List.of(dnskey(k1, 257)), k1));
    assertEquals(Map.of(tag(k1, 257), KeyState.VALID), states(keys));

    // K2 published beside K1, the RRset signed by K1
    keys = restart(observe(keys, T0.plus(Duration.ofDays(1)), List.of(dnskey(k1, 257), dnskey(k2, 257)), k1));
    assertEquals(KeyState.ADD_PEND, states(keys).get(tag(k2, 257)));
    keys = restart(observe(keys, T0.plus(Duration.ofDays(30)), List.of(dnskey(k1, 257), dnskey(k2, 257)), k1));
    assertEquals(KeyState.ADD_PEND, states(keys).get(tag(k2, 257)), "29 days after it appeared");
    assertFalse(accepts(keys, k2, T0.plus(Duration.ofDays(30))), "a zone signed by K2 alone is refused during the hold-down");
    keys = restart(observe(keys, T0.plus(Duration.ofDays(31)), List.of(dnskey(k1, 257), dnskey(k2, 257)), k1));
    assertEquals(KeyState.VALID, states(keys).get(tag(k2, 257)), "30 days after it appeared");
    assertTrue(accepts(keys, k2, T0.plus(Duration.ofDays(31))), "a zone signed by K2 alone is accepted");

    // K1 revoked: its REVOKE bit set, the RRset signed by the revoked K1 itself (and by K2)
    keys = restart(observe(keys, T0.plus(Duration.ofDays(40)), List.of(dnskey(k1, 257 | 128), dnskey(k2, 257)), k1, k2));
    assertEquals(KeyState.REVOKED, states(keys).get(tag(k1, 257 | 128)));
    assertFalse(accepts(keys, k1, T0.plus(Duration.ofDays(40))), "a zone signed by K1 alone is refused once K1 is revoked");
    assertTrue(accepts(keys, k2, T0.plus(Duration.ofDays(40))));

    // K1 gone: removed once the remove hold-down has passed since its revocation
    keys = restart(observe(keys, T0.plus(Duration.ofDays(69)), List.of(dnskey(k2, 257)), k2));
    assertEquals(KeyState.REVOKED, states(keys).get(tag(k1, 257 | 128)));
    keys = restart(observe(keys, T0.plus(Duration.ofDays(70)), List.of(dnskey(k2, 257)), k2));
    assertEquals(KeyState.REMOVED, states(keys).get(tag(k1, 257 | 128)));
    assertEquals(List.of(tag(k2, 257)), keys.trusted().all().stream().map(TrustAnchor::keyTag).toList());
  }

  @Test
  void aNewKeyThatLeavesDuringItsHoldDownStartsAgainWhenItReturns() throws Exception {
    ManagedKeys keys = ManagedKeys.seeded(ROOT, anchorsOf(dnskey(k1, 257)));
    keys = observe(keys, T0, List.of(dnskey(k1, 257), dnskey(k2, 257)), k1);
    assertEquals(KeyState.ADD_PEND, states(keys).get(tag(k2, 257)), "not in the seed: it waits");
    keys = observe(keys, T0.plus(Duration.ofDays(10)), List.of(dnskey(k1, 257)), k1);
    assertFalse(states(keys).containsKey(tag(k2, 257)), "forgotten: " + states(keys));
    keys = observe(keys, T0.plus(Duration.ofDays(11)), List.of(dnskey(k1, 257), dnskey(k2, 257)), k1);
    assertEquals(java.util.Optional.of(T0.plus(Duration.ofDays(41))), keys.nextChange(), "its hold-down, from when it came back");
    keys = observe(keys, T0.plus(Duration.ofDays(40)), List.of(dnskey(k1, 257), dnskey(k2, 257)), k1);
    assertEquals(KeyState.ADD_PEND, states(keys).get(tag(k2, 257)), "29 days since it came back, not 40 since first seen");
    keys = observe(keys, T0.plus(Duration.ofDays(41)), List.of(dnskey(k1, 257), dnskey(k2, 257)), k1);
    assertEquals(KeyState.VALID, states(keys).get(tag(k2, 257)));
  }

  @Test
  void aRevokeBitTheKeyDidNotSignIsIgnored() throws Exception {
    ManagedKeys keys = ManagedKeys.seeded(ROOT, anchorsOf(dnskey(k1, 257), dnskey(k2, 257)));
    keys = observe(keys, T0, List.of(dnskey(k1, 257), dnskey(k2, 257)), k1);
    // K1 shown revoked, but only K2 signed the RRset
    keys = observe(keys, T0.plus(Duration.ofDays(1)), List.of(dnskey(k1, 257 | 128), dnskey(k2, 257)), k2);
    assertEquals(KeyState.VALID, states(keys).get(tag(k1, 257)), states(keys).toString());
    assertTrue(keys.trusted().all().stream().anyMatch(a -> a.keyTag() == tag(k1, 257)));
  }

  @Test
  void aValidKeyThatLeavesIsMissingAndStillTrustedThenValidWhenItReturns() throws Exception {
    ManagedKeys keys = ManagedKeys.seeded(ROOT, anchorsOf(dnskey(k1, 257), dnskey(k2, 257)));
    keys = observe(keys, T0, List.of(dnskey(k1, 257), dnskey(k2, 257)), k1);
    keys = observe(keys, T0.plus(Duration.ofDays(1)), List.of(dnskey(k2, 257)), k2);
    assertEquals(KeyState.MISSING, states(keys).get(tag(k1, 257)));
    assertTrue(accepts(keys, k1, T0.plus(Duration.ofDays(1))), "a Missing key is still an anchor");
    keys = observe(keys, T0.plus(Duration.ofDays(2)), List.of(dnskey(k1, 257), dnskey(k2, 257)), k2);
    assertEquals(KeyState.VALID, states(keys).get(tag(k1, 257)));
    keys = observe(keys, T0.plus(Duration.ofDays(3)), List.of(dnskey(k2, 257)), k2);
    keys = observe(keys, T0.plus(Duration.ofDays(3)).plus(ManagedKeys.KEEP_MISSING), List.of(dnskey(k2, 257)), k2);
    assertEquals(KeyState.REMOVED, states(keys).get(tag(k1, 257)), "missing for a year and a day");
  }

  @Test
  void whenNoTrustedKeyIsLeftNothingIsTrusted() throws Exception {
    ManagedKeys keys = ManagedKeys.seeded(ROOT, anchorsOf(dnskey(k1, 257)));
    keys = observe(keys, T0, List.of(dnskey(k1, 257)), k1);
    keys = observe(keys, T0.plus(Duration.ofDays(1)), List.of(dnskey(k1, 257 | 128)), k1);
    assertEquals(List.of(), keys.trusted().all());
    assertFalse(accepts(keys, k1, T0.plus(Duration.ofDays(1))));
  }

  @Test
  void theStateFileKeepsEveryKeyAndTheSeed() throws Exception {
    ManagedKeys keys = ManagedKeys.seeded(ROOT, TrustAnchors.builtIn());
    keys = observe(keys, T0, List.of(dnskey(k1, 257), dnskey(k2, 257)), k1);
    String text = ManagedKeysFile.format(keys);
    ManagedKeys back = ManagedKeysFile.parse(text, "managed-keys", ROOT);
    assertEquals(keys.keys(), back.keys());
    assertEquals(TrustAnchors.builtIn().fingerprint(), back.seed().fingerprint());
    assertEquals(text, ManagedKeysFile.format(back));
  }

  @Test
  void aDamagedStateFileNamesItsLine() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> ManagedKeysFile.parse("; header\n. 172800 IN DNSKEY 257 3 13 AAAA ;state=Sleeping first-seen=x\n", "keys", ROOT));
    assertTrue(e.getMessage().startsWith("keys:2: "), e.getMessage());
  }

  @Test
  void theRealRootZoneSeedsBothRootKeysAsValid() throws Exception {
    Zone zone = ZoneFile.read(Fixtures.rootZone(Fixtures.ZONE_2026), ROOT);
    ManagedKeys keys = ManagedKeys.seeded(ROOT, TrustAnchors.builtIn())
        .observe(zone.rrset(ROOT, Type.DNSKEY), Fixtures.TIME_2026).keys();
    assertEquals(Map.of(20326, KeyState.VALID, 38696, KeyState.VALID), states(keys));
  }

  // --- helpers ---------------------------------------------------------------------------------

  private static ManagedKeys restart(ManagedKeys keys) {
    return ManagedKeysFile.parse(ManagedKeysFile.format(keys), "state", ROOT);
  }

  private static ManagedKeys observe(ManagedKeys keys, Instant now, List<DNSKEYRecord> published, KeyPair... signers)
      throws DNSSEC.DNSSECException {
    RRset set = new RRset();
    published.forEach(set::addRR);
    for (KeyPair signer : signers) {
      DNSKEYRecord as = published.stream().filter(k -> sameKey(k, signer))
          .findFirst().orElseThrow();
      set.addRR(DNSSEC.sign(set, as, signer.getPrivate(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7))));
    }
    return keys.observe(set, now).keys();
  }

  /** Whether a zone whose KSK is {@code ksk} alone validates under the anchors {@code keys} trusts at {@code now}. */
  private boolean accepts(ManagedKeys keys, KeyPair ksk, Instant now) throws Exception {
    TestZoneSigner.SignedZone zone = TestZoneSigner.withKeys(ROOT, Algorithm.ECDSAP256SHA256, ksk, zsk)
        .validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7)))
        .sign(List.of(new SOARecord(ROOT, DClass.IN, 86400, Name.fromString("a.root-servers.net."),
                Name.fromString("nstld.verisign-grs.com."), 1, 1800, 900, 604800, 86400),
            new NSRecord(ROOT, DClass.IN, 518400, Name.fromString("a.root-servers.net."))));
    ValidationReport report = new ZoneValidator(keys.trusted(), false).validate(zone.zone(), now);
    return report.valid();
  }

  private static Map<Integer, KeyState> states(ManagedKeys keys) {
    return keys.keys().stream().collect(Collectors.toMap(ManagedKey::keyTag, ManagedKey::state));
  }

  private static TrustAnchors anchorsOf(DNSKEYRecord... keys) {
    return TrustAnchors.of(java.util.Arrays.stream(keys)
        .map(k -> TrustAnchor.of(new DSRecord(ROOT, DClass.IN, 0, DNSSEC.Digest.SHA256, k))).toList());
  }

  private static DNSKEYRecord dnskey(KeyPair pair, int flags) {
    try {
      return new DNSKEYRecord(ROOT, DClass.IN, 172800, flags, DNSKEYRecord.Protocol.DNSSEC, Algorithm.ECDSAP256SHA256,
          pair.getPublic());
    } catch (DNSSEC.DNSSECException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int tag(KeyPair pair, int flags) {
    return dnskey(pair, flags).getFootprint();
  }

  private static boolean sameKey(DNSKEYRecord k, KeyPair pair) {
    return java.util.Arrays.equals(k.getKey(), dnskey(pair, 257).getKey());
  }

}
