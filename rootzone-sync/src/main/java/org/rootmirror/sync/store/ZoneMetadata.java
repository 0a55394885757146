package org.rootmirror.sync.store;

import java.net.URI;
import java.time.Instant;

/**
 * What is recorded beside each stored zone version.
 *
 * @param serial the SOA serial
 * @param source where it was fetched from
 * @param sha256 hex SHA-256 of the stored file's bytes
 * @param fetchedAt when the fetch completed
 * @param validation the validator's one-line summary
 * @param earliestExpiry the earliest expiration among the signatures that verified: the zone is
 *     no longer valid after it
 * @param zonemdVerified whether a ZONEMD record was verified (once one has been, it is required)
 * @param etag HTTP ETag the source gave, or null
 * @param modified HTTP Last-Modified or FTP MDTM the source gave, or null
 * @param anchors hex SHA-256 of the trust anchors the zone was validated with ({@code
 *     TrustAnchors.fingerprint()}), or null when not recorded (older versions)
 */
public record ZoneMetadata(
    long serial,
    URI source,
    String sha256,
    Instant fetchedAt,
    String validation,
    Instant earliestExpiry,
    boolean zonemdVerified,
    String etag,
    Instant modified,
    String anchors) {

  /** Metadata that does not say which trust anchors validated the zone. */
  public ZoneMetadata(long serial, URI source, String sha256, Instant fetchedAt, String validation, Instant earliestExpiry,
      boolean zonemdVerified, String etag, Instant modified) {
    this(serial, source, sha256, fetchedAt, validation, earliestExpiry, zonemdVerified, etag, modified, null);
  }
}
