package org.rootmirror.dnssec.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rootmirror.dnssec.testing.TestZoneSigner.SignedZone;
import org.rootmirror.dnssec.zone.Zone;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DNSSEC.Algorithm;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * The test signer's NSEC3 chain (RFC 5155 section 7.1), checked against hashes computed here
 * independently of dnsjava, against dnsjava's signature verification, and against ldns-verify-zone.
 */
class TestZoneSignerNsec3Test {
  private static final Instant INCEPTION = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant EXPIRATION = Instant.parse("2026-02-01T00:00:00Z");
  private static final Instant DURING = Instant.parse("2026-01-15T00:00:00Z");
  private static final byte[] SALT = HexFormat.of().parseHex("aabbccdd");
  private static final int ITERATIONS = 2;
  private static final long SOA_MINIMUM = 300;
  private static final TestZoneSigner SIGNER =
      TestZoneSigner.generate(ExampleZone.ORIGIN, Algorithm.ECDSAP256SHA256).validity(INCEPTION, EXPIRATION);

  @TempDir Path dir;

  static SignedZone signed(boolean optOut) {
    return SIGNER.nsec3(ITERATIONS, SALT, optOut).sign(ExampleZone.records());
  }

  @ParameterizedTest(name = "opt-out {0}")
  @ValueSource(booleans = {false, true})
  void chainHasOneNsec3PerAuthoritativeNameAndEmptyNonTerminal(boolean optOut) throws Exception {
    Set<String> expected = new TreeSet<>();
    for (String name : concat(ExampleZone.OWNERS, ExampleZone.EMPTY_NON_TERMINALS)) {
      if (!(optOut && ExampleZone.UNSIGNED_DELEGATIONS.contains(name))) {
        expected.add(base32hex(hash(name)));
      }
    }

    Set<String> owners = nsec3s(signed(optOut).zone()).stream()
        .map(r -> r.getName().getLabelString(0)).collect(Collectors.toCollection(TreeSet::new));

    assertEquals(expected, owners);
  }

  @ParameterizedTest(name = "opt-out {0}")
  @ValueSource(booleans = {false, true})
  void chainIsACycleInHashOrder(boolean optOut) {
    List<NSEC3Record> chain = nsec3s(signed(optOut).zone()); // the zone's canonical order
    List<String> labels = chain.stream().map(r -> r.getName().getLabelString(0)).toList();
    assertEquals(labels.stream().sorted().toList(), labels, "base32hex owners in canonical order are in hash order");
    for (int i = 0; i < chain.size(); i++) {
      String next = labels.get((i + 1) % chain.size());
      assertEquals(next, base32hex(chain.get(i).getNext()), "next hashed owner of " + chain.get(i).getName());
    }
  }

  @Test
  void bitmapsFollowRfc5155Section3_2() throws Exception {
    Zone zone = signed(false).zone();
    assertEquals(Set.of(Type.SOA, Type.NS, Type.A, Type.DNSKEY, Type.NSEC3PARAM, Type.RRSIG), types(zone, "example."));
    assertEquals(Set.of(Type.A, Type.AAAA, Type.RRSIG), types(zone, "www.example."));
    assertEquals(Set.of(Type.NS, Type.DS, Type.RRSIG), types(zone, "secure.example."), "delegation with DS, no glue types");
    assertEquals(Set.of(Type.NS), types(zone, "insecure.example."), "unsigned delegation");
    for (String ent : ExampleZone.EMPTY_NON_TERMINALS) {
      assertEquals(Set.of(), types(zone, ent), "empty non-terminal " + ent);
    }
  }

  @ParameterizedTest(name = "opt-out {0}")
  @ValueSource(booleans = {false, true})
  void parametersFlagsAndTtlsAreTheSignersAndNoNsecRemains(boolean optOut) {
    Zone zone = signed(optOut).zone();
    NSEC3PARAMRecord param = (NSEC3PARAMRecord) zone.rrset(ExampleZone.ORIGIN, Type.NSEC3PARAM).first();
    assertEquals(0, param.getFlags(), "NSEC3PARAM flags are 0 (RFC 5155 section 4.1.2)");
    assertEquals(ITERATIONS, param.getIterations());
    assertArrayEquals(SALT, param.getSalt());
    for (NSEC3Record r : nsec3s(zone)) {
      assertEquals(optOut ? NSEC3Record.Flags.OPT_OUT : 0, r.getFlags(), r.toString());
      assertEquals(ITERATIONS, r.getIterations());
      assertArrayEquals(SALT, r.getSalt());
      assertEquals(SOA_MINIMUM, r.getTTL(), "NSEC3 TTL is the SOA minimum");
    }
    assertTrue(zone.records().stream().noneMatch(r -> r.getType() == Type.NSEC), "no NSEC in an NSEC3 zone");
  }

  @ParameterizedTest(name = "opt-out {0}")
  @ValueSource(booleans = {false, true})
  void everyAuthoritativeRRsetIsSignedAndEverySignatureVerifies(boolean optOut) throws Exception {
    SignedZone signed = signed(optOut);
    Zone zone = signed.zone();
    List<DNSKEYRecord> keys = zone.apex(Type.DNSKEY).stream().map(DNSKEYRecord.class::cast).toList();
    int verified = 0;
    for (Map.Entry<Name, Map<Integer, RRset>> node : zone.nodes().entrySet()) {
      for (RRset set : node.getValue().values()) {
        boolean authoritative = !isGlueOrCutNs(node.getKey(), set.getType());
        assertEquals(authoritative, !set.sigs().isEmpty(), "signed iff authoritative: " + set.getName() + " " + Type.string(set.getType()));
        for (RRSIGRecord sig : set.sigs()) {
          DNSKEYRecord key = keys.stream().filter(k -> k.getFootprint() == sig.getFootprint()).findFirst().orElseThrow();
          DNSSEC.verify(set, sig, key, DURING); // throws when bogus
          verified++;
        }
      }
    }
    assertTrue(verified > nsec3s(zone).size(), "the NSEC3 RRsets and the data were verified");
  }

  @ParameterizedTest(name = "opt-out {0}")
  @ValueSource(booleans = {false, true})
  void ldnsVerifyZoneAcceptsTheZone(boolean optOut) throws Exception {
    boolean onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, "ldns-verify-zone")));
    assumeTrue(onPath, "ldns-verify-zone is not on the PATH (Debian package ldnsutils): skipping the check with ldns");
    SignedZone signed = signed(optOut);
    Path zone = signed.write(dir.resolve("example.zone"));
    Path ds = Files.writeString(dir.resolve("example.ds"), signed.ds() + "\n");
    String time = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC).format(DURING);

    Process process = new ProcessBuilder("ldns-verify-zone", "-V", "3", "-k", ds.toString(), "-t", time, zone.toString())
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);

    assertEquals(0, process.waitFor(), output);
  }

  /** Glue, occluded data and the NS RRset at a cut: the only RRsets a parent does not sign (RFC 4035 section 2.2). */
  private static boolean isGlueOrCutNs(Name name, int type) {
    for (String cut : List.of("secure.example.", "insecure.example.", "deleg.ent.example.")) {
      Name c = Name.fromConstantString(cut);
      if (name.equals(c) && type == Type.NS) {
        return true;
      }
      if (name.subdomain(c) && !name.equals(c)) {
        return true;
      }
    }
    return false;
  }

  private static Set<Integer> types(Zone zone, String original) throws Exception {
    Name owner = new Name(base32hex(hash(original)), ExampleZone.ORIGIN);
    RRset set = zone.rrset(owner, Type.NSEC3);
    assertNotNull(set, "an NSEC3 for " + original);
    int[] types = ((NSEC3Record) set.first()).getTypes();
    assertFalse(IntStream.of(types).anyMatch(t -> t == Type.NSEC3), "NSEC3 is never in its own bitmap");
    return IntStream.of(types).boxed().collect(Collectors.toSet());
  }

  private static List<NSEC3Record> nsec3s(Zone zone) {
    List<NSEC3Record> all = new ArrayList<>();
    zone.nodes().values().forEach(node -> {
      RRset set = node.get(Type.NSEC3);
      if (set != null) {
        set.rrs(false).forEach(r -> all.add((NSEC3Record) r));
      }
    });
    return all;
  }

  private static byte[] hash(String name) {
    return Nsec3Hash.hash(Name.fromConstantString(name), ITERATIONS, SALT);
  }

  private static String base32hex(byte[] bytes) {
    return Nsec3Hash.base32hex(bytes);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
