package org.rootmirror.dnssec.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.rootmirror.dnssec.anchor.TrustAnchor;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.rootmirror.dnssec.zonemd.ZoneDigest;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DNSSEC.Algorithm;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneMDRecord;
import org.xbill.DNS.utils.base32;

/**
 * Signs zones for tests, as a zone's operator would (RFC 4035 section 2): a KSK signs the DNSKEY
 * RRset, a ZSK every other RRset the zone is authoritative for, an NSEC chain (or, on request, an
 * NSEC3 chain, RFC 5155 section 7.1) links the authoritative names, and an optional ZONEMD (RFC 8976) is computed last, over the final zone.
 * Builds synthetic zones for every algorithm, and re-signs the real root zone with test keys so
 * that other modules can serve a zone that is valid now.
 *
 * <pre>{@code
 * SignedZone signed = TestZoneSigner.generate(origin, Algorithm.ED25519)
 *     .validity(inception, expiration)
 *     .zonemd(ZoneDigest.HASH_SHA384)
 *     .sign(records);
 * }</pre>
 */
public final class TestZoneSigner {
  /** The DNSKEY RRset's TTL: two days, as in the root zone. */
  private static final long DNSKEY_TTL = 172_800;

  private final Name origin;
  private final SigningKey ksk;
  private final SigningKey zsk;
  private final Instant inception;
  private final Instant expiration;
  private final int[] zonemdHashes;
  private final Nsec3Params nsec3;

  private TestZoneSigner(Name origin, SigningKey ksk, SigningKey zsk, Instant inception, Instant expiration,
      int[] zonemdHashes, Nsec3Params nsec3) {
    this.origin = origin;
    this.ksk = ksk;
    this.zsk = zsk;
    this.inception = inception;
    this.expiration = expiration;
    this.zonemdHashes = zonemdHashes;
    this.nsec3 = nsec3;
  }

  /** The NSEC3 parameters (RFC 5155 section 3.1): SHA-1, {@code iterations} extra hashings, the salt, Opt-Out. */
  public record Nsec3Params(int iterations, byte[] salt, boolean optOut) {
    public Nsec3Params {
      salt = salt.clone();
    }

    @Override
    public byte[] salt() {
      return salt.clone();
    }

    /** The NSEC3PARAM record at {@code origin}: flags 0, whatever the chain's Opt-Out (RFC 5155 section 4.1.2). */
    public NSEC3PARAMRecord param(Name origin, long ttl) {
      return new NSEC3PARAMRecord(origin, DClass.IN, ttl, NSEC3Record.SHA1_DIGEST_ID, 0, iterations, salt);
    }

    /** The hash of {@code name} (RFC 5155 section 5). */
    public byte[] hash(Name name) {
      try {
        return param(Name.root, 0).hashName(name);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK has no SHA-1", e);
      }
    }

    /** The NSEC3 owner name of {@code name}: its hash in base32hex, under {@code origin} (RFC 5155 section 3). */
    public Name hashedOwner(Name name, Name origin) {
      try {
        return Name.fromString(BASE32HEX.toString(hash(name)), origin);
      } catch (org.xbill.DNS.TextParseException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static final base32 BASE32HEX = new base32(base32.Alphabet.BASE32HEX, false, true);

  /** A key of the zone: its DNSKEY record and the private key that signs for it. */
  public record SigningKey(DNSKEYRecord dnskey, PrivateKey privateKey) {
    /** An RRSIG over {@code rrset} by this key; its TTL and original TTL are the RRset's (RFC 4034 section 3). */
    public RRSIGRecord sign(RRset rrset, Instant inception, Instant expiration) {
      try {
        return DNSSEC.sign(rrset, dnskey, privateKey, inception, expiration);
      } catch (DNSSEC.DNSSECException e) {
        throw new IllegalStateException("cannot sign " + rrset.getName() + " " + Type.string(rrset.getType()), e);
      }
    }
  }

  /** A signed zone: its records, and the DS of its KSK, which is what a parent or a trust anchor names. */
  public record SignedZone(Name origin, List<Record> records, DSRecord ds) {
    public SignedZone {
      records = List.copyOf(records);
    }

    public Zone zone() {
      return Zone.of(origin, records);
    }

    /** The KSK's DS as the zone's only trust anchor. */
    public TrustAnchors anchors() {
      return TrustAnchors.of(List.of(TrustAnchor.of(ds)));
    }

    /** Writes the zone as a master file, one record per line, and returns {@code file}. */
    public Path write(Path file) throws IOException {
      return Files.write(file, records.stream().map(Record::toString).toList());
    }
  }

  /** A signer for the zone at {@code origin} with a new KSK and ZSK of {@code algorithm} (3, 5, 6, 7, 8, 10, 13, 14, 15 or 16). */
  public static TestZoneSigner generate(Name origin, int algorithm) {
    return withKeys(origin, algorithm, newKeyPair(algorithm), newKeyPair(algorithm));
  }

  /** A signer for the zone at {@code origin} with the given key pairs of {@code algorithm}. */
  public static TestZoneSigner withKeys(Name origin, int algorithm, KeyPair ksk, KeyPair zsk) {
    int zoneKey = DNSKEYRecord.Flags.ZONE_KEY;
    return new TestZoneSigner(origin,
        key(origin, algorithm, zoneKey | DNSKEYRecord.Flags.SEP_KEY, ksk), key(origin, algorithm, zoneKey, zsk),
        null, null, new int[0], null);
  }

  /**
   * The real root zone in {@code rootZoneFile} re-signed with new ECDSA P-256 keys: the same names
   * and data, fresh signatures valid from {@code inception} to {@code expiration}, a fresh NSEC
   * chain and a fresh ZONEMD (SIMPLE, SHA-384, as the root zone publishes).
   */
  public static SignedZone resign(Path rootZoneFile, Instant inception, Instant expiration) throws IOException {
    return generate(Name.root, Algorithm.ECDSAP256SHA256)
        .validity(inception, expiration)
        .zonemd(ZoneDigest.HASH_SHA384)
        .sign(ZoneFile.read(rootZoneFile, Name.root).records());
  }

  /** This signer with signatures valid from {@code inception} to {@code expiration}. */
  public TestZoneSigner validity(Instant inception, Instant expiration) {
    return new TestZoneSigner(origin, ksk, zsk, inception, expiration, zonemdHashes, nsec3);
  }

  /** This signer adding a ZONEMD record per hash algorithm (SIMPLE scheme); none when empty. */
  public TestZoneSigner zonemd(int... hashes) {
    return new TestZoneSigner(origin, ksk, zsk, inception, expiration, hashes.clone(), nsec3);
  }

  /**
   * This signer making an NSEC3 chain instead of NSEC (RFC 5155 section 7.1), SHA-1 hashed with
   * {@code iterations} extra iterations and {@code salt}; with {@code optOut}, delegations without
   * DS get no NSEC3 of their own and every NSEC3 has the Opt-Out flag.
   */
  public TestZoneSigner nsec3(int iterations, byte[] salt, boolean optOut) {
    return new TestZoneSigner(origin, ksk, zsk, inception, expiration, zonemdHashes, new Nsec3Params(iterations, salt, optOut));
  }

  /** The NSEC3 parameters, or null when this signer makes an NSEC chain. */
  public Nsec3Params nsec3Params() {
    return nsec3;
  }

  public SigningKey ksk() {
    return ksk;
  }

  public SigningKey zsk() {
    return zsk;
  }

  /** An RRSIG over {@code rrset} as this signer makes them: the apex DNSKEY RRset by the KSK, the rest by the ZSK. */
  public RRSIGRecord signRRset(RRset rrset) {
    boolean keys = rrset.getType() == Type.DNSKEY && rrset.getName().equals(origin);
    return (keys ? ksk : zsk).sign(rrset, inception, expiration);
  }

  /**
   * Signs the zone made of {@code records}. What signing replaces is dropped first: every RRSIG,
   * NSEC and NSEC3, and the apex DNSKEY, NSEC3PARAM and ZONEMD; DS records at delegations stay.
   *
   * @throws IllegalArgumentException when a record lies outside the zone, or the apex has no SOA
   */
  public SignedZone sign(Collection<? extends Record> records) {
    Objects.requireNonNull(inception, "set the signatures' validity first");
    NavigableMap<Name, Map<Integer, RRset>> nodes = unsignedNodes(records);
    SOARecord soa = soa(nodes);
    nodes.get(origin).put(Type.DNSKEY, new RRset(ksk.dnskey(), zsk.dnskey()));
    if (nsec3 != null) {
      nodes.get(origin).put(Type.NSEC3PARAM, new RRset(nsec3.param(origin, soa.getMinimum())));
    }
    List<Owner> owners = owners(nodes);
    if (nsec3 == null) {
      // RFC 4034 section 4: the NSEC TTL is the SOA minimum field
      addNsecChain(owners, soa.getMinimum());
      signAll(authoritativeRRsets(owners));
    } else {
      // RFC 5155 section 7.1: the NSEC3 TTL too
      NavigableMap<Name, RRset> chain = nsec3Chain(owners, soa.getMinimum());
      List<RRset> sets = authoritativeRRsets(owners);
      sets.addAll(chain.values());
      signAll(sets);
      chain.forEach((owner, set) -> nodes.computeIfAbsent(owner, n -> new TreeMap<>()).put(Type.NSEC3, set));
    }
    if (zonemdHashes.length > 0) {
      RRset zonemd = zonemd(flatten(nodes), soa);
      signAll(List.of(zonemd));
      nodes.get(origin).put(Type.ZONEMD, zonemd);
    }
    DSRecord ds = new DSRecord(origin, DClass.IN, DNSKEY_TTL, DNSSEC.Digest.SHA256, ksk.dnskey());
    return new SignedZone(origin, flatten(nodes), ds);
  }

  /** A name that owns an NSEC record: the apex, a delegation point, or another authoritative name. */
  private record Owner(Name name, Map<Integer, RRset> node, boolean delegation) {}

  private NavigableMap<Name, Map<Integer, RRset>> unsignedNodes(Collection<? extends Record> records) {
    // dnsjava's Name.compareTo is the canonical DNSSEC order (RFC 4034 section 6.1)
    NavigableMap<Name, Map<Integer, RRset>> nodes = new TreeMap<>();
    for (Record r : records) {
      if (!r.getName().subdomain(origin)) {
        throw new IllegalArgumentException(r + " is not in the zone " + origin);
      }
      if (!replacedBySigning(r)) {
        nodes.computeIfAbsent(r.getName(), n -> new TreeMap<>()).computeIfAbsent(r.getType(), t -> new RRset()).addRR(r);
      }
    }
    return nodes;
  }

  private boolean replacedBySigning(Record r) {
    return switch (r.getType()) {
      case Type.RRSIG, Type.NSEC, Type.NSEC3 -> true;
      case Type.DNSKEY, Type.NSEC3PARAM, Type.ZONEMD -> r.getName().equals(origin);
      default -> false;
    };
  }

  private SOARecord soa(NavigableMap<Name, Map<Integer, RRset>> nodes) {
    Map<Integer, RRset> apex = nodes.get(origin);
    if (apex == null || !apex.containsKey(Type.SOA)) {
      throw new IllegalArgumentException("the zone " + origin + " has no SOA at its apex");
    }
    return (SOARecord) apex.get(Type.SOA).first();
  }

  /**
   * The NSEC owners in canonical order (RFC 4035 section 2.3). Canonical order lists every name
   * right after its ancestors, so names below the current delegation (glue, occluded data) are
   * skipped by remembering one cut.
   */
  private List<Owner> owners(NavigableMap<Name, Map<Integer, RRset>> nodes) {
    List<Owner> owners = new ArrayList<>();
    Name cut = null;
    for (Map.Entry<Name, Map<Integer, RRset>> e : nodes.entrySet()) {
      Name name = e.getKey();
      if (cut != null && name.subdomain(cut)) {
        continue;
      }
      boolean delegation = !name.equals(origin) && e.getValue().containsKey(Type.NS);
      cut = delegation ? name : null;
      owners.add(new Owner(name, e.getValue(), delegation));
    }
    return owners;
  }

  private void addNsecChain(List<Owner> owners, long ttl) {
    for (int i = 0; i < owners.size(); i++) {
      Owner owner = owners.get(i);
      Name next = owners.get((i + 1) % owners.size()).name(); // the last points back to the apex
      owner.node().put(Type.NSEC, new RRset(new NSECRecord(owner.name(), DClass.IN, ttl, next, bitmap(owner))));
    }
  }

  /**
   * The NSEC3 chain by hashed owner name (RFC 5155 section 7.1): one NSEC3 per owner (less the
   * unsigned delegations under Opt-Out) and per empty non-terminal between an owner and the apex.
   * The base32hex owners sort in canonical order exactly as their hashes do, so the map's order is
   * the chain's.
   */
  private NavigableMap<Name, RRset> nsec3Chain(List<Owner> owners, long ttl) {
    Map<Name, Owner> byName = new TreeMap<>();
    owners.forEach(o -> byName.put(o.name(), o));
    NavigableMap<Name, int[]> bitmaps = new TreeMap<>(); // by hashed owner
    Map<Name, Name> original = new TreeMap<>();
    for (Owner owner : owners) {
      boolean unsignedDelegation = owner.delegation() && !owner.node().containsKey(Type.DS);
      if (!(nsec3.optOut() && unsignedDelegation)) {
        put(bitmaps, original, owner.name(), nsec3Bitmap(owner));
      }
      // empty non-terminals, even those only above unsigned delegations: RFC 5155 section 7.1 allows it
      for (Name n = parent(owner.name()); n != null && n.subdomain(origin) && !byName.containsKey(n); n = parent(n)) {
        put(bitmaps, original, n, new int[0]);
      }
    }
    int flags = nsec3.optOut() ? NSEC3Record.Flags.OPT_OUT : 0;
    List<Name> hashed = new ArrayList<>(bitmaps.keySet());
    NavigableMap<Name, RRset> chain = new TreeMap<>();
    for (int i = 0; i < hashed.size(); i++) {
      Name owner = hashed.get(i);
      byte[] next = nsec3.hash(original.get(hashed.get((i + 1) % hashed.size()))); // the last points back to the first
      chain.put(owner, new RRset(new NSEC3Record(owner, DClass.IN, ttl, NSEC3Record.SHA1_DIGEST_ID, flags,
          nsec3.iterations(), nsec3.salt(), next, bitmaps.get(owner))));
    }
    return chain;
  }

  private void put(NavigableMap<Name, int[]> bitmaps, Map<Name, Name> original, Name name, int[] types) {
    Name owner = nsec3.hashedOwner(name, origin);
    Name earlier = original.putIfAbsent(owner, name);
    if (earlier != null && !earlier.equals(name)) {
      throw new IllegalStateException("NSEC3 hash collision between " + earlier + " and " + name);
    }
    bitmaps.putIfAbsent(owner, types);
  }

  private static Name parent(Name name) {
    return name.labels() <= 1 ? null : new Name(name, 1);
  }

  /**
   * RFC 5155 section 3.2: the types at the original owner name plus RRSIG, never NSEC3 itself; at a
   * delegation only NS, and DS and RRSIG when there is a DS.
   */
  private int[] nsec3Bitmap(Owner owner) {
    TreeSet<Integer> types = new TreeSet<>();
    if (owner.delegation()) {
      types.add(Type.NS);
      if (owner.node().containsKey(Type.DS)) {
        types.add(Type.DS);
        types.add(Type.RRSIG);
      }
    } else {
      types.addAll(owner.node().keySet());
      types.add(Type.RRSIG);
    }
    if (owner.name().equals(origin) && zonemdHashes.length > 0) {
      types.add(Type.ZONEMD); // a placeholder, as for NSEC
    }
    return types.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The types at the name plus NSEC and RRSIG (RFC 4035 section 2.3); at a delegation only NS, DS
   * if present, NSEC and RRSIG, never the glue the parent is not authoritative for.
   */
  private int[] bitmap(Owner owner) {
    TreeSet<Integer> types = new TreeSet<>();
    if (owner.delegation()) {
      types.add(Type.NS);
      if (owner.node().containsKey(Type.DS)) {
        types.add(Type.DS);
      }
    } else {
      types.addAll(owner.node().keySet());
    }
    types.add(Type.NSEC);
    types.add(Type.RRSIG);
    if (owner.name().equals(origin) && zonemdHashes.length > 0) {
      types.add(Type.ZONEMD); // a placeholder: the ZONEMD is made last, over the final NSEC chain
    }
    return types.stream().mapToInt(Integer::intValue).toArray();
  }

  /** RFC 4035 section 2.2: every authoritative RRset; at a delegation only DS and NSEC, not NS (nor glue). */
  private static List<RRset> authoritativeRRsets(List<Owner> owners) {
    List<RRset> sets = new ArrayList<>();
    for (Owner owner : owners) {
      for (RRset set : owner.node().values()) {
        if (!owner.delegation() || set.getType() == Type.DS || set.getType() == Type.NSEC) {
          sets.add(set);
        }
      }
    }
    return sets;
  }

  private void signAll(List<RRset> sets) {
    // in parallel: re-signing the root zone (~2,900 RRsets) with RSA-2048 took 2-3 s on 2 cores, P-256 0.6 s
    List<RRSIGRecord> signatures = sets.parallelStream().map(this::signRRset).toList();
    for (int i = 0; i < sets.size(); i++) {
      sets.get(i).addRR(signatures.get(i));
    }
  }

  /** RFC 8976 section 3: the digest of everything else, with the SOA's serial and TTL. */
  private RRset zonemd(List<Record> records, SOARecord soa) {
    RRset set = new RRset();
    ZoneDigest.compute(origin, records, zonemdHashes).forEach((hash, digest) -> set.addRR(
        new ZoneMDRecord(origin, DClass.IN, soa.getTTL(), soa.getSerial(), ZoneDigest.SCHEME_SIMPLE, hash, digest)));
    return set;
  }

  private static List<Record> flatten(NavigableMap<Name, Map<Integer, RRset>> nodes) {
    List<Record> records = new ArrayList<>();
    for (Map<Integer, RRset> node : nodes.values()) {
      for (RRset set : node.values()) {
        records.addAll(set.rrs(false));
        records.addAll(set.sigs());
      }
    }
    return records;
  }

  private static SigningKey key(Name origin, int algorithm, int flags, KeyPair pair) {
    try {
      DNSKEYRecord dnskey = new DNSKEYRecord(
          origin, DClass.IN, DNSKEY_TTL, flags, DNSKEYRecord.Protocol.DNSSEC, algorithm, pair.getPublic());
      return new SigningKey(dnskey, pair.getPrivate());
    } catch (DNSSEC.DNSSECException e) {
      throw new IllegalArgumentException("a " + pair.getPublic().getAlgorithm() + " key cannot be a DNSKEY of algorithm " + algorithm, e);
    }
  }

  /** A new key pair for DNSSEC algorithm {@code algorithm}, of the size zones use. */
  public static KeyPair newKeyPair(int algorithm) {
    try {
      KeyPairGenerator generator = switch (algorithm) {
        case Algorithm.RSASHA1, Algorithm.RSA_NSEC3_SHA1, Algorithm.RSASHA256, Algorithm.RSASHA512 -> {
          KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
          rsa.initialize(2048);
          yield rsa;
        }
        case Algorithm.DSA, Algorithm.DSA_NSEC3_SHA1 -> {
          // RFC 2536: at most 1024 bits, with the 160-bit q that SHA1withDSA needs
          KeyPairGenerator dsa = KeyPairGenerator.getInstance("DSA");
          dsa.initialize(1024);
          yield dsa;
        }
        case Algorithm.ECDSAP256SHA256 -> ec("secp256r1");
        case Algorithm.ECDSAP384SHA384 -> ec("secp384r1");
        case Algorithm.ED25519 -> KeyPairGenerator.getInstance("Ed25519");
        case Algorithm.ED448 -> KeyPairGenerator.getInstance("Ed448");
        default -> throw new IllegalArgumentException("no key generation for DNSSEC algorithm " + algorithm);
      };
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot generate keys for DNSSEC algorithm " + algorithm, e);
    }
  }

  private static KeyPairGenerator ec(String curve) throws GeneralSecurityException {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec(curve));
    return ec;
  }
}
