package org.rootmirror.dnssec.anchor;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * One trust anchor: a DS or DNSKEY record for a zone, in force from {@code validFrom} (inclusive)
 * until {@code validUntil} (exclusive; null for no end).
 */
public record TrustAnchor(Record record, Instant validFrom, Instant validUntil) {
  public TrustAnchor {
    Objects.requireNonNull(record, "record");
    if (!(record instanceof DSRecord) && !(record instanceof DNSKEYRecord)) {
      throw new IllegalArgumentException("a trust anchor is a DS or DNSKEY record, not " + record);
    }
    validFrom = validFrom == null ? Instant.MIN : validFrom;
  }

  /** An anchor with no time limits. */
  public static TrustAnchor of(Record record) {
    return new TrustAnchor(record, Instant.MIN, null);
  }

  public Name zone() {
    return record.getName();
  }

  public int keyTag() {
    return record instanceof DSRecord ds ? ds.getFootprint() : ((DNSKEYRecord) record).getFootprint();
  }

  public int algorithm() {
    return record instanceof DSRecord ds ? ds.getAlgorithm() : ((DNSKEYRecord) record).getAlgorithm();
  }

  /** Whether the anchor is in force at {@code time}. */
  public boolean validAt(Instant time) {
    return !time.isBefore(validFrom) && (validUntil == null || time.isBefore(validUntil));
  }

  /**
   * Whether {@code key} is the key this anchor names: the same DNSKEY, or a DS whose digest (SHA-1,
   * SHA-256 or SHA-384: RFC 4034, RFC 4509, RFC 6605) matches the key (RFC 4034 section 5.1.4).
   */
  public boolean matches(DNSKEYRecord key) {
    if (!key.getName().equals(zone()) || key.getAlgorithm() != algorithm() || key.getFootprint() != keyTag()) {
      return false;
    }
    if (record instanceof DNSKEYRecord anchorKey) {
      return anchorKey.getFlags() == key.getFlags()
          && anchorKey.getProtocol() == key.getProtocol()
          && Arrays.equals(anchorKey.getKey(), key.getKey());
    }
    DSRecord ds = (DSRecord) record;
    if (!supportedDigest(ds.getDigestID())) {
      return false;
    }
    DSRecord computed = new DSRecord(key.getName(), key.getDClass(), 0, ds.getDigestID(), key);
    return Arrays.equals(computed.getDigest(), ds.getDigest());
  }

  /**
   * DS digest types accepted: 1 (SHA-1), 2 (SHA-256) and 4 (SHA-384). RFC 8624 section 3.3 says a
   * validator MUST still accept SHA-1 DS records (many delegations have only those); GOST and
   * unknown types are unsupported, which makes a DS set of only those insecure (RFC 6840 section
   * 5.2), not bogus. When a DS set has SHA-256 too, RFC 4509 section 3 lets the caller prefer it.
   */
  public static boolean supportedDigest(int digestType) {
    return digestType == DNSSEC.Digest.SHA1 || digestType == DNSSEC.Digest.SHA256 || digestType == DNSSEC.Digest.SHA384;
  }

  @Override
  public String toString() {
    String type = record instanceof DSRecord ? "DS" : "DNSKEY";
    return zone() + " " + type + " " + keyTag() + " (algorithm " + algorithm() + ")";
  }
}
