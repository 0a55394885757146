package org.rootmirror.dnssec.validate;

/** Why a zone, or part of it, failed validation. Each value names one precise check. */
public enum Reason {
  // structure
  NO_SOA("the apex has no SOA, or more than one"),
  NO_APEX_NS("the apex has no NS RRset"),
  OUT_OF_ZONE("record is not at or below the zone's origin"),
  WRONG_CLASS("record class is not IN"),
  TTL_MISMATCH("TTLs differ within an RRset, or from its RRSIG"),
  // delegations (RFC 1034 section 4.2.1, RFC 4035 section 2.2)
  DATA_BELOW_DELEGATION("only glue (A/AAAA of a name server) may exist below a delegation"),
  UNUSED_GLUE("address record below a delegation is not the address of any name server"),
  DATA_AT_DELEGATION("a delegation point may hold only NS, DS, NSEC, RRSIG and glue"),
  DS_WITHOUT_DELEGATION("DS at a name that is not a delegation point"),
  // trust
  NO_TRUST_ANCHOR("no trust anchor for the zone is in force at the validation time"),
  NO_TRUSTED_KEY("no DNSKEY of the apex matches a trust anchor"),
  DNSKEY_NOT_SIGNED_BY_ANCHOR("the DNSKEY RRset has no valid signature by a key matching a trust anchor"),
  NO_ZONE_KEY("the DNSKEY RRset has no usable zone signing key"),
  // signatures (RFC 4035 section 5.3)
  NO_SIGNATURE("authoritative RRset has no RRSIG"),
  EXPIRED("signature expired before the validation time"),
  NOT_YET_VALID("signature inception is after the validation time"),
  BAD_SIGNATURE("signature does not verify"),
  NO_MATCHING_KEY("no DNSKEY has the signature's key tag and algorithm"),
  UNSUPPORTED_ALGORITHM("algorithm is not one of 5, 7, 8, 10, 13, 14, 15, 16"),
  BAD_RRSIG_FIELDS("RRSIG signer name or labels field does not fit the RRset"),
  SIGNED_NON_AUTHORITATIVE("RRSIG over data the zone is not authoritative for"),
  ORPHAN_SIGNATURE("RRSIG covers a type that is not present at its owner"),
  // denial of existence (RFC 4035 section 2.3)
  NSEC_MISSING("authoritative name has no NSEC record"),
  NSEC_DUPLICATE("name has more than one NSEC record"),
  NSEC_NOT_AUTHORITATIVE("NSEC at a name below a delegation"),
  CHAIN_GAP("NSEC next name is not the next authoritative name in canonical order"),
  BITMAP_MISMATCH("NSEC type bitmap differs from the types present at the name"),
  NSEC3_UNSUPPORTED("the zone uses NSEC3, which whole-zone validation does not check"),
  // ZONEMD (RFC 8976 section 4)
  ZONEMD_MISSING("the zone has no ZONEMD record and one is required"),
  ZONEMD_SERIAL_MISMATCH("ZONEMD serial differs from the SOA serial"),
  ZONEMD_DUPLICATE("more than one ZONEMD record with the same scheme and hash algorithm"),
  ZONEMD_UNSUPPORTED("ZONEMD scheme or hash algorithm is not supported (only SIMPLE with SHA-384 or SHA-512)"),
  DIGEST_MISMATCH("ZONEMD digest does not match the zone's contents");

  private final String meaning;

  Reason(String meaning) {
    this.meaning = meaning;
  }

  /** One sentence saying what the check found. */
  public String meaning() {
    return meaning;
  }

  /** The name used in reports, e.g. {@code bad-signature}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
