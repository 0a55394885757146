package org.rootmirror.resolver.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.rootmirror.dnssec.testing.TestZoneSigner;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.rootmirror.dnssec.zonemd.ZoneDigest;
import org.xbill.DNS.DNSSEC.Algorithm;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base16;

/**
 * The zones of the {@link MiniInternet}, as master-file text, signed bottom-up: each signed
 * child's DS goes into its parent before the parent is signed (RFC 4035 section 2.4). ECDSA
 * P-256 keys (algorithm 13, fast), fresh for each build; signatures valid from an hour before
 * {@code now} to 30 days after it. Name server addresses are written 127.53.0.N below and moved to
 * the /24 the mini-internet serves on (127.53.S.N), a range no other test uses.
 */
final class MiniZones {
  /** The /24 the zone texts name; {@link #build} moves them to another. */
  private static final String TEXT_NETWORK = "127.53.0.";
  /** How long signatures stay valid: long enough that a test run never sees them expire. */
  static final Duration VALIDITY = Duration.ofDays(30);
  /** The strings of {@code big.sec.test. TXT}: 8 x 200 bytes, more than a 1232-byte UDP response holds. */
  static final int BIG_TXT_STRINGS = 8;

  private static final String ROOT = """
      .                     3600   IN SOA  a.root-servers.test. hostmaster.root-servers.test. 2026112701 1800 900 604800 300
      .                     518400 IN NS   a.root-servers.test.
      .                     518400 IN NS   b.root-servers.test.
      a.root-servers.test.  518400 IN A    127.53.0.1
      b.root-servers.test.  518400 IN A    127.53.0.2
      test.                 172800 IN NS   ns1.test.
      test.                 172800 IN NS   ns2.test.
      ns1.test.             172800 IN A    127.53.0.11
      ns2.test.             172800 IN A    127.53.0.12
      example.              172800 IN NS   ns1.example.
      example.              172800 IN NS   ns2.example.
      ns1.example.          172800 IN A    127.53.0.31
      ns2.example.          172800 IN A    127.53.0.32
      nsec3.                172800 IN NS   ns.example.
      insecure.             172800 IN NS   ns1.insecure.
      insecure.             172800 IN NS   ns2.insecure.
      ns1.insecure.         172800 IN A    127.53.0.41
      ns2.insecure.         172800 IN A    127.53.0.42
      """;

  private static final String TEST = """
      test.                 3600 IN SOA  ns1.test. hostmaster.test. 1 7200 3600 1209600 300
      test.                 3600 IN NS   ns1.test.
      test.                 3600 IN NS   ns2.test.
      ns1.test.             3600 IN A    127.53.0.11
      ns2.test.             3600 IN A    127.53.0.12
      a.root-servers.test.  3600 IN A    127.53.0.1
      b.root-servers.test.  3600 IN A    127.53.0.2
      www.test.             3600 IN A    192.0.2.1
      sec.test.             3600 IN NS   ns1.sec.test.
      ns1.sec.test.         3600 IN A    127.53.0.21
      bogus.test.           3600 IN NS   ns1.bogus.test.
      ns1.bogus.test.       3600 IN A    127.53.0.22
      unsigned.test.        3600 IN NS   ns1.unsigned.test.
      ns1.unsigned.test.    3600 IN A    127.53.0.23
      """;

  private static final String SEC_TEST = """
      sec.test.             3600 IN SOA  ns1.sec.test. hostmaster.sec.test. 1 7200 3600 1209600 300
      sec.test.             3600 IN NS   ns1.sec.test.
      sec.test.             3600 IN MX   10 mail.sec.test.
      ns1.sec.test.         3600 IN A    127.53.0.21
      mail.sec.test.        3600 IN A    192.0.2.25
      mail.sec.test.        3600 IN AAAA 2001:db8::25
      host.sec.test.        3600 IN A    192.0.2.20
      host.sec.test.        3600 IN AAAA 2001:db8::20
      www.sec.test.         3600 IN CNAME www.example.
      *.wild.sec.test.      3600 IN A    192.0.2.77
      *.wild.sec.test.      3600 IN TXT  "wildcard"
      """;

  private static final String BOGUS_TEST = """
      bogus.test.           3600 IN SOA  ns1.bogus.test. hostmaster.bogus.test. 1 7200 3600 1209600 300
      bogus.test.           3600 IN NS   ns1.bogus.test.
      ns1.bogus.test.       3600 IN A    127.53.0.22
      www.bogus.test.       3600 IN A    192.0.2.66
      ok.bogus.test.        3600 IN A    192.0.2.67
      """;

  private static final String UNSIGNED_TEST = """
      unsigned.test.        3600 IN SOA  ns1.unsigned.test. hostmaster.unsigned.test. 1 7200 3600 1209600 300
      unsigned.test.        3600 IN NS   ns1.unsigned.test.
      ns1.unsigned.test.    3600 IN A    127.53.0.23
      www.unsigned.test.    3600 IN A    192.0.2.23
      """;

  private static final String EXAMPLE = """
      example.              3600 IN SOA  ns1.example. hostmaster.example. 1 7200 3600 1209600 300
      example.              3600 IN NS   ns1.example.
      example.              3600 IN NS   ns2.example.
      example.              3600 IN MX   10 mail.example.
      ns1.example.          3600 IN A    127.53.0.31
      ns2.example.          3600 IN A    127.53.0.32
      ns.example.           3600 IN A    127.53.0.33
      mail.example.         3600 IN A    192.0.2.35
      host.example.         3600 IN A    192.0.2.30
      host.example.         3600 IN AAAA 2001:db8::30
      www.example.          3600 IN CNAME host.child.nsec3.
      old.example.          3600 IN DNAME sec.test.
      """;

  private static final String NSEC3 = """
      nsec3.                3600 IN SOA  ns.example. hostmaster.nsec3. 1 7200 3600 1209600 300
      nsec3.                3600 IN NS   ns.example.
      host.nsec3.           3600 IN A    192.0.2.50
      child.nsec3.          3600 IN NS   ns1.child.nsec3.
      ns1.child.nsec3.      3600 IN A    127.53.0.34
      """;

  private static final String CHILD_NSEC3 = """
      child.nsec3.          3600 IN SOA  ns1.child.nsec3. hostmaster.child.nsec3. 1 7200 3600 1209600 300
      child.nsec3.          3600 IN NS   ns1.child.nsec3.
      ns1.child.nsec3.      3600 IN A    127.53.0.34
      host.child.nsec3.     3600 IN A    192.0.2.51
      host.child.nsec3.     3600 IN AAAA 2001:db8::51
      legacy.child.nsec3.   3600 IN NS   ns1.legacy.child.nsec3.
      ns1.legacy.child.nsec3. 3600 IN A  127.53.0.35
      """;

  private static final String LEGACY_CHILD_NSEC3 = """
      legacy.child.nsec3.   3600 IN SOA  ns1.legacy.child.nsec3. hostmaster.child.nsec3. 1 7200 3600 1209600 300
      legacy.child.nsec3.   3600 IN NS   ns1.legacy.child.nsec3.
      ns1.legacy.child.nsec3. 3600 IN A  127.53.0.35
      www.legacy.child.nsec3. 3600 IN A  192.0.2.52
      """;

  private static final String INSECURE = """
      insecure.             3600 IN SOA  ns1.insecure. hostmaster.insecure. 1 7200 3600 1209600 300
      insecure.             3600 IN NS   ns1.insecure.
      insecure.             3600 IN NS   ns2.insecure.
      ns1.insecure.         3600 IN A    127.53.0.41
      ns2.insecure.         3600 IN A    127.53.0.42
      www.insecure.         3600 IN A    192.0.2.41
      www.insecure.         3600 IN AAAA 2001:db8::41
      """;

  /** Every zone by origin, parents before children. */
  final Map<Name, Zone> zones = new LinkedHashMap<>();
  /** The DS of every signed zone (the root's is the trust anchor). */
  final Map<Name, DSRecord> ds = new LinkedHashMap<>();

  private final Instant inception;
  private final Instant expiration;

  private final String network;

  private MiniZones(Instant now, String network) {
    this.inception = now.minus(Duration.ofHours(1));
    this.expiration = now.plus(VALIDITY);
    this.network = network;
  }

  /**
   * Builds and signs every zone with signatures valid around {@code now}, name servers in {@code
   * network} (the first three octets and a dot, such as {@code "127.53.0."}).
   */
  static MiniZones build(Instant now, String network) {
    MiniZones m = new MiniZones(now, network);
    Map<Name, Zone> built = new LinkedHashMap<>();
    // leaves first, so that each parent holds its children's DS when it is signed
    built.put(name("legacy.child.nsec3."), m.unsigned("legacy.child.nsec3.", LEGACY_CHILD_NSEC3));
    // Opt-Out (RFC 5155 section 6): legacy.child.nsec3., unsigned, gets no NSEC3 of its own
    built.put(name("child.nsec3."), m.signed("child.nsec3.", CHILD_NSEC3, signer -> signer.nsec3(0, new byte[0], true)));
    built.put(name("nsec3."), m.signed("nsec3.", NSEC3,
        signer -> signer.nsec3(0, base16.fromString("AB12"), false), "child.nsec3."));
    built.put(name("sec.test."), m.signed("sec.test.", SEC_TEST + bigTxt(), s -> s));
    built.put(name("bogus.test."), corrupt(m.signed("bogus.test.", BOGUS_TEST, s -> s), name("www.bogus.test."), Type.A));
    built.put(name("unsigned.test."), m.unsigned("unsigned.test.", UNSIGNED_TEST));
    built.put(name("test."), m.signed("test.", TEST, s -> s, "sec.test.", "bogus.test."));
    built.put(name("example."), m.signed("example.", EXAMPLE, s -> s));
    built.put(name("insecure."), m.unsigned("insecure.", INSECURE));
    built.put(Name.root, m.signed(".", ROOT, s -> s.zonemd(ZoneDigest.HASH_SHA384), "test.", "example.", "nsec3."));
    List<Name> order = new ArrayList<>(built.keySet());
    order.sort((a, b) -> Integer.compare(a.labels(), b.labels()));
    order.forEach(origin -> m.zones.put(origin, built.get(origin)));
    return m;
  }

  static Name name(String text) {
    return Name.fromConstantString(text);
  }

  /** The TXT RRset at {@code big.sec.test.}: strings of 200 letters, each RR a different letter. */
  private static String bigTxt() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < BIG_TXT_STRINGS; i++) {
      text.append("big.sec.test. 3600 IN TXT \"").append(String.valueOf((char) ('a' + i)).repeat(200)).append("\"\n");
    }
    return text.toString();
  }

  private Zone unsigned(String origin, String text) {
    return Zone.of(name(origin), parse(origin, text));
  }

  private List<Record> parse(String origin, String text) {
    try {
      byte[] bytes = text.replace(TEXT_NETWORK, network).getBytes(StandardCharsets.UTF_8);
      return ZoneFile.parse(bytes, origin, name(origin)).records();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Signs {@code text} plus the DS of each named child (already signed). */
  private Zone signed(String origin, String text, UnaryOperator<TestZoneSigner> options,
      String... children) {
    List<Record> records = new ArrayList<>(parse(origin, text));
    for (String child : children) {
      records.add(ds.get(name(child)));
    }
    TestZoneSigner.SignedZone signed = options.apply(
        TestZoneSigner.generate(name(origin), Algorithm.ECDSAP256SHA256).validity(inception, expiration)).sign(records);
    ds.put(name(origin), signed.ds());
    return signed.zone();
  }

  /** The zone with the RRSIG over {@code owner}/{@code type} broken: one bit of its signature flipped. */
  private static Zone corrupt(Zone zone, Name owner, int type) {
    List<Record> records = new ArrayList<>();
    boolean found = false;
    for (Record r : zone.records()) {
      if (r instanceof RRSIGRecord sig && sig.getName().equals(owner) && sig.getTypeCovered() == type) {
        byte[] signature = sig.getSignature();
        signature[signature.length / 2] ^= 0x01;
        r = new RRSIGRecord(sig.getName(), sig.getDClass(), sig.getTTL(), sig.getTypeCovered(), sig.getAlgorithm(),
            sig.getOrigTTL(), sig.getExpire(), sig.getTimeSigned(), sig.getFootprint(), sig.getSigner(), signature);
        found = true;
      }
      records.add(r);
    }
    if (!found) {
      throw new IllegalStateException("no RRSIG over " + owner + " " + Type.string(type));
    }
    return Zone.of(zone.origin(), records);
  }
}
