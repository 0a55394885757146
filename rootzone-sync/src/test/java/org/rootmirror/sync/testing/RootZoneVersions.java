package org.rootmirror.sync.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.dnssec.testing.Fixtures;
import org.rootmirror.dnssec.testing.TestZoneSigner;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.rootmirror.dnssec.zonemd.ZoneDigest;
import org.xbill.DNS.DNSSEC.Algorithm;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Versions of a small root zone cut from the real one (the apex and a few TLDs with their glue),
 * re-signed with one test key so that several serials validate under the same anchor, valid from
 * {@code inception} for a week.
 */
public final class RootZoneVersions {
  private static final Set<String> TLDS = Set.of("com", "net", "org", "arpa", "aaa", "de");
  private static final Set<Integer> DNSSEC_TYPES = Set.of(Type.RRSIG, Type.NSEC, Type.DNSKEY, Type.ZONEMD);

  private final List<Record> base;
  private final TestZoneSigner signer;
  private final long baseSerial;

  public RootZoneVersions(Instant inception) throws IOException {
    List<Record> all = ZoneFile.read(Fixtures.rootZone(Fixtures.ZONE_2026), Name.root).records();
    List<Record> kept = all.stream()
        .filter(r -> !DNSSEC_TYPES.contains(r.getType()))
        .filter(r -> r.getName().equals(Name.root) || TLDS.contains(tld(r.getName())))
        .toList();
    // glue only for the name servers the kept NS records use, as in the real zone
    Set<Name> servers = kept.stream().filter(r -> r instanceof NSRecord).map(r -> ((NSRecord) r).getTarget())
        .collect(Collectors.toSet());
    this.base = kept.stream()
        .filter(r -> (r.getType() != Type.A && r.getType() != Type.AAAA) || servers.contains(r.getName()))
        .toList();
    this.baseSerial = base.stream().filter(r -> r.getType() == Type.SOA).map(r -> ((SOARecord) r).getSerial()).findFirst().orElseThrow();
    this.signer = TestZoneSigner.generate(Name.root, Algorithm.ECDSAP256SHA256)
        .validity(inception, inception.plus(Duration.ofDays(7)));
  }

  /** The anchors that validate every version. */
  public TrustAnchors anchors() {
    return signer.zonemd(ZoneDigest.HASH_SHA384).sign(base).anchors();
  }

  public long serial(int version) {
    return baseSerial + version;
  }

  /** Version {@code n} (serial base + n) with a ZONEMD, as master-file text. */
  public byte[] text(int version) {
    return text(version, true);
  }

  /** Version {@code n}, with or without a ZONEMD. */
  public byte[] text(int version, boolean zonemd) {
    return text(version, zonemd, UnaryOperator.identity());
  }

  /**
   * Version {@code n} with a ZONEMD, its records (unsigned: no RRSIG, NSEC or DNSKEY) changed by
   * {@code edit} before it is signed: TLDs added or removed, a DS or glue record replaced.
   */
  public byte[] text(int version, UnaryOperator<List<Record>> edit) {
    return text(version, true, edit);
  }

  private byte[] text(int version, boolean zonemd, UnaryOperator<List<Record>> edit) {
    List<Record> records = edit.apply(base.stream().map(r -> r instanceof SOARecord soa ? withSerial(soa, serial(version)) : r).toList());
    TestZoneSigner s = zonemd ? signer.zonemd(ZoneDigest.HASH_SHA384) : signer.zonemd();
    String text = s.sign(records).records().stream().map(Record::toString).collect(Collectors.joining("\n", "", "\n"));
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static SOARecord withSerial(SOARecord soa, long serial) {
    return new SOARecord(soa.getName(), soa.getDClass(), soa.getTTL(), soa.getHost(), soa.getAdmin(), serial,
        soa.getRefresh(), soa.getRetry(), soa.getExpire(), soa.getMinimum());
  }

  private static String tld(Name name) {
    return name.labels() < 2 ? "" : name.getLabelString(name.labels() - 2).toLowerCase(java.util.Locale.ROOT);
  }
}
