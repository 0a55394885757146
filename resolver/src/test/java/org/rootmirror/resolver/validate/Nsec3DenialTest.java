package org.rootmirror.resolver.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rootmirror.resolver.validate.Nsec3Denial.Insecure;
import org.rootmirror.resolver.validate.Nsec3Denial.NotProven;
import org.rootmirror.resolver.validate.Nsec3Denial.Proven;
import org.rootmirror.resolver.validate.Nsec3Denial.TooExpensive;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

class Nsec3DenialTest {

  private static final Name ZONE = name("example.");
  private static final byte[] SALT = HexFormat.of().parseHex("aabbccdd");
  private static final base32 B32HEX = new base32(base32.Alphabet.BASE32HEX, false, true);

  private final Nsec3Denial denial = new Nsec3Denial();

  /** example. with a host, two delegations (one insecure), an empty non-terminal and a wildcard. */
  private static Map<String, int[]> exampleZone() {
    Map<String, int[]> names = new LinkedHashMap<>();
    names.put("example.", new int[] {Type.SOA, Type.NS, Type.DNSKEY, Type.NSEC3PARAM, Type.RRSIG});
    names.put("a.example.", new int[] {Type.A, Type.AAAA, Type.RRSIG});
    names.put("b.example.", new int[] {Type.NS});
    names.put("c.example.", new int[] {Type.NS, Type.DS, Type.RRSIG});
    names.put("w.example.", new int[] {});
    names.put("*.w.example.", new int[] {Type.A, Type.RRSIG});
    return names;
  }

  private final Chain chain = Chain.of(exampleZone(), SALT, 12, 0);

  @Test
  void nameErrorIsProvenByClosestEncloserNextCloserAndWildcardCover() {
    Name qname = nameWithDistinctCovers(chain, ZONE);
    var records = chain.proof(chain.matching(ZONE), chain.covering(qname),
        chain.covering(wildcard(ZONE)));

    assertInstanceOf(Proven.class, denial.nameError(qname, ZONE, records));
  }

  @Test
  void nameErrorWithoutWildcardCoverIsNotProven() {
    Name qname = nameWithDistinctCovers(chain, ZONE);
    var records = chain.proof(chain.matching(ZONE), chain.covering(qname));

    assertInstanceOf(NotProven.class, denial.nameError(qname, ZONE, records));
  }

  @Test
  void nameErrorWithoutNextCloserCoverIsNotProven() {
    Name qname = nameWithDistinctCovers(chain, ZONE);
    var records = chain.proof(chain.matching(ZONE), chain.covering(wildcard(ZONE)));

    assertInstanceOf(NotProven.class, denial.nameError(qname, ZONE, records));
  }

  @Test
  void nameErrorForAnExistingNameIsNotProven() {
    Name qname = name("a.example.");
    var records = chain.proof(chain.matching(qname), chain.matching(ZONE),
        chain.covering(wildcard(ZONE)));

    assertInstanceOf(NotProven.class, denial.nameError(qname, ZONE, records));
  }

  @Test
  void noDataIsProvenByAMatchingNsec3WithoutTheType() {
    Name qname = name("a.example.");

    assertInstanceOf(Proven.class, denial.noData(qname, Type.MX, ZONE, chain.proof(chain.matching(qname))));
  }

  @Test
  void noDataForATypeTheMatchingNsec3ListsIsNotProven() {
    Name qname = name("a.example.");

    assertInstanceOf(NotProven.class, denial.noData(qname, Type.AAAA, ZONE, chain.proof(chain.matching(qname))));
  }

  @Test
  void noDsAtADelegationIsProvenByTheParentsMatchingNsec3() {
    Name qname = name("b.example.");

    assertInstanceOf(Proven.class, denial.noData(qname, Type.DS, ZONE, chain.proof(chain.matching(qname))));
  }

  @Test
  void theParentsNsec3AtADelegationDoesNotProveOtherTypesAbsent() {
    Name qname = name("b.example.");

    assertInstanceOf(NotProven.class, denial.noData(qname, Type.A, ZONE, chain.proof(chain.matching(qname))));
  }

  @Test
  void wildcardNoDataIsProvenByClosestEncloserAndMatchingWildcard() {
    Name qname = nameWithDistinctCovers(chain, name("w.example."));
    var records = chain.proof(chain.matching(name("w.example.")), chain.covering(qname),
        chain.matching(name("*.w.example.")));

    assertInstanceOf(Proven.class, denial.noData(qname, Type.MX, ZONE, records));
    assertInstanceOf(NotProven.class, denial.noData(qname, Type.A, ZONE, records));
  }

  @Test
  void wildcardAnswerIsProvenByTheNextCloserCover() {
    Name qname = name("q.w.example.");

    assertInstanceOf(Proven.class, denial.wildcardAnswer(qname, name("w.example."), ZONE,
        chain.proof(chain.covering(qname))));
  }

  @Test
  void dsUnderOptOutCoverIsAnInsecureDelegation() {
    // u.example. is an unsigned delegation left out of the opt-out chain.
    Chain optOut = Chain.of(exampleZone(), SALT, 12, NSEC3Record.Flags.OPT_OUT);
    Name qname = name("u.example.");
    var records = optOut.proof(optOut.matching(ZONE), optOut.covering(qname));

    assertInstanceOf(Insecure.class, denial.noData(qname, Type.DS, ZONE, records));
  }

  @Test
  void dsUnderACoverWithoutOptOutIsNotProven() {
    Name qname = name("u.example.");
    var records = chain.proof(chain.matching(ZONE), chain.covering(qname));

    assertInstanceOf(NotProven.class, denial.noData(qname, Type.DS, ZONE, records));
  }

  @Test
  void nameErrorUnderOptOutCoverIsInsecure() {
    Chain optOut = Chain.of(exampleZone(), SALT, 12, NSEC3Record.Flags.OPT_OUT);
    Name qname = nameWithDistinctCovers(optOut, ZONE);
    var records = optOut.proof(optOut.matching(ZONE), optOut.covering(qname),
        optOut.covering(wildcard(ZONE)));

    assertInstanceOf(Insecure.class, denial.nameError(qname, ZONE, records));
  }

  @Test
  void noDataUnderAnOptOutCoverIsInsecureForAnyType() {
    // Unbound's answer (Deckard val_nsec3_optout_ad): the name may be an unsigned delegation
    Chain optOut = Chain.of(exampleZone(), SALT, 12, NSEC3Record.Flags.OPT_OUT);
    Name qname = name("u.example.");

    assertInstanceOf(Insecure.class, denial.noData(qname, Type.MX, ZONE,
        optOut.proof(optOut.matching(ZONE), optOut.covering(qname))));
    assertInstanceOf(NotProven.class, denial.noData(qname, Type.MX, ZONE,
        chain.proof(chain.matching(ZONE), chain.covering(qname))), "without opt-out");
  }

  @Test
  void wildcardAnswerOrWildcardNoDataUnderAnOptOutCoverIsInsecure() {
    // RFC 5155 appendix B.4 and B.5 with opt-out set (Deckard val_nsec3_b4_wild, val_nsec3_b5_wcnodata)
    Chain optOut = Chain.of(exampleZone(), SALT, 12, NSEC3Record.Flags.OPT_OUT);
    Name qname = nameWithDistinctCovers(optOut, name("w.example."));

    assertInstanceOf(Insecure.class, denial.wildcardAnswer(qname, name("w.example."), ZONE,
        optOut.proof(optOut.covering(qname))));
    assertInstanceOf(Insecure.class, denial.noData(qname, Type.MX, ZONE, optOut.proof(
        optOut.matching(name("w.example.")), optOut.covering(qname), optOut.matching(name("*.w.example.")))));
    assertInstanceOf(NotProven.class, denial.noData(qname, Type.A, ZONE, optOut.proof(
        optOut.matching(name("w.example.")), optOut.covering(qname), optOut.matching(name("*.w.example.")))),
        "a type the wildcard has is still not denied");
  }

  @Test
  void insecureDelegationIsProvenByAMatchWithNsWithoutDs() {
    Name child = name("b.example.");

    assertInstanceOf(Proven.class, denial.insecureDelegation(child, ZONE, chain.proof(chain.matching(child))));
  }

  @Test
  void signedDelegationOrNonCutIsNotAnInsecureDelegation() {
    Name signed = name("c.example.");
    Name host = name("a.example.");

    assertInstanceOf(NotProven.class, denial.insecureDelegation(signed, ZONE, chain.proof(chain.matching(signed))));
    assertInstanceOf(NotProven.class, denial.insecureDelegation(host, ZONE, chain.proof(chain.matching(host))));
  }

  @Test
  void delegationUnderOptOutCoverIsInsecure() {
    Chain optOut = Chain.of(exampleZone(), SALT, 12, NSEC3Record.Flags.OPT_OUT);
    Name child = name("u.example.");
    var records = optOut.proof(optOut.matching(ZONE), optOut.covering(child));

    assertInstanceOf(Insecure.class, denial.insecureDelegation(child, ZONE, records));
    assertInstanceOf(NotProven.class,
        denial.insecureDelegation(child, ZONE, chain.proof(chain.matching(ZONE), chain.covering(child))));
  }

  @Test
  void iterationsAboveTheLimitAreInsecure() {
    Chain costly = Chain.of(exampleZone(), SALT, Nsec3Denial.DEFAULT_MAX_ITERATIONS + 1, 0);
    Name qname = name("a.example.");

    assertInstanceOf(Insecure.class, denial.noData(qname, Type.MX, ZONE, costly.proof(costly.matching(qname))));
  }

  @Test
  void iterationsAtTheLimitAreStillChecked() {
    Chain atLimit = Chain.of(exampleZone(), SALT, Nsec3Denial.DEFAULT_MAX_ITERATIONS, 0);
    Name qname = name("a.example.");

    assertInstanceOf(Proven.class, denial.noData(qname, Type.MX, ZONE, atLimit.proof(atLimit.matching(qname))));
  }

  @Test
  void moreRecordsThanTheLimitAreTooExpensive() {
    List<NSEC3Record> nine = new ArrayList<>(chain.records);
    nine.addAll(Chain.of(Map.of("d.example.", new int[] {Type.A}, "e.example.", new int[] {}),
        SALT, 12, 0).records);
    nine.add(chain.records.get(0));
    assertEquals(Nsec3Denial.DEFAULT_MAX_RECORDS + 1, nine.size());

    assertInstanceOf(TooExpensive.class, denial.nameError(name("nx.example."), ZONE, nine));
  }

  @Test
  void moreHashesThanTheLimitAreTooExpensive() {
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i < Nsec3Denial.DEFAULT_MAX_HASHES + 1; i++) {
      deep.append("x.");
    }
    Name qname = name(deep + "example.");
    var records = chain.proof(chain.matching(ZONE), chain.covering(wildcard(ZONE)));

    assertInstanceOf(TooExpensive.class, denial.nameError(qname, ZONE, records));
  }

  @Test
  void recordsWithDifferentSaltsAreNotAProof() {
    Chain other = Chain.of(exampleZone(), new byte[] {1, 2}, 12, 0);
    Name qname = nameWithDistinctCovers(chain, ZONE);
    var records = List.of(chain.matching(ZONE), chain.covering(qname),
        other.covering(wildcard(ZONE)));

    var result = assertInstanceOf(NotProven.class, denial.nameError(qname, ZONE, records));
    assertEquals("NSEC3 records with different parameters", result.reason());
  }

  @Test
  void recordsWithDifferentIterationsAreNotAProof() {
    Chain other = Chain.of(exampleZone(), SALT, 13, 0);
    Name qname = nameWithDistinctCovers(chain, ZONE);
    var records = List.of(chain.matching(ZONE), chain.covering(qname),
        other.covering(wildcard(ZONE)));

    assertInstanceOf(NotProven.class, denial.nameError(qname, ZONE, records));
  }

  @Test
  void onlyUnknownHashAlgorithmsIsInsecure() {
    NSEC3Record sha1 = chain.matching(name("a.example."));
    NSEC3Record unknown = new NSEC3Record(sha1.getName(), DClass.IN, 3600, 2, 0,
        sha1.getIterations(), sha1.getSalt(), sha1.getNext(), sha1.getTypes());

    assertInstanceOf(Insecure.class, denial.noData(name("a.example."), Type.MX, ZONE, List.of(unknown)));
  }

  @Test
  void hashesMatchRfc5155AppendixA() throws Exception {
    // RFC 5155 Appendix A: salt aabbccdd, 12 additional iterations.
    NSEC3Record params = chain.records.get(0);
    assertEquals("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom", B32HEX.toString(params.hashName(name("example."))));
    assertEquals("35mthgpgcu1qg68fab165klnsnk3dpvl", B32HEX.toString(params.hashName(name("a.example."))));
  }

  // --- helpers -----------------------------------------------------------------------------

  /** A name one label below {@code parent} whose cover differs from the wildcard's. */
  private static Name nameWithDistinctCovers(Chain chain, Name parent) {
    NSEC3Record wildcardCover = chain.covering(wildcard(parent));
    for (int i = 0; ; i++) {
      Name candidate = name("nx" + i + "." + parent);
      NSEC3Record cover = chain.covering(candidate);
      if (cover != null && cover != wildcardCover) {
        return candidate;
      }
    }
  }

  private static Name wildcard(Name parent) {
    return name("*." + parent);
  }

  private static Name name(String s) {
    return Name.fromConstantString(s);
  }

  /** A complete NSEC3 chain for a set of names: hashed, sorted and linked. */
  private record Chain(List<NSEC3Record> records) {

    static Chain of(Map<String, int[]> names, byte[] salt, int iterations, int flags) {
      NSEC3Record hasher = new NSEC3Record(ZONE, DClass.IN, 3600, NSEC3Record.Digest.SHA1,
          flags, iterations, salt, new byte[20], new int[0]);
      List<Map.Entry<byte[], int[]>> hashed = new ArrayList<>();
      names.forEach((n, types) -> hashed.add(Map.entry(hash(hasher, name(n)), types)));
      hashed.sort((x, y) -> Arrays.compareUnsigned(x.getKey(), y.getKey()));
      List<NSEC3Record> records = new ArrayList<>();
      for (int i = 0; i < hashed.size(); i++) {
        byte[] owner = hashed.get(i).getKey();
        byte[] next = hashed.get((i + 1) % hashed.size()).getKey();
        Name ownerName = name(B32HEX.toString(owner) + "." + ZONE);
        records.add(new NSEC3Record(ownerName, DClass.IN, 3600, NSEC3Record.Digest.SHA1, flags,
            iterations, salt, next, hashed.get(i).getValue()));
      }
      return new Chain(records);
    }

    NSEC3Record matching(Name n) {
      String label = B32HEX.toString(hash(records.get(0), n));
      return records.stream()
          .filter(r -> r.getName().getLabelString(0).equalsIgnoreCase(label))
          .findFirst().orElseThrow(() -> new AssertionError(n + " has no NSEC3"));
    }

    NSEC3Record covering(Name n) {
      byte[] h = hash(records.get(0), n);
      for (NSEC3Record r : records) {
        byte[] owner = B32HEX.fromString(r.getName().getLabelString(0));
        byte[] next = r.getNext();
        boolean wraps = Arrays.compareUnsigned(owner, next) >= 0;
        boolean after = Arrays.compareUnsigned(owner, h) < 0;
        boolean before = Arrays.compareUnsigned(h, next) < 0;
        if (wraps ? after || before : after && before) {
          return r;
        }
      }
      return null;
    }

    /** The distinct records of a proof, in order. */
    List<NSEC3Record> proof(NSEC3Record... parts) {
      return List.copyOf(new LinkedHashSet<>(Arrays.asList(parts)));
    }

    private static byte[] hash(NSEC3Record params, Name n) {
      try {
        return params.hashName(n);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }
}
