package org.rootmirror.sync.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Properties;

/**
 * MetadataFile -- {@link ZoneMetadata} as a java.util.Properties file, one {@code key=value} per
 * line with stable key names and ISO-8601 times, so an operator can read it with {@code cat}:
 *
 * <pre>
 *   # rootmirror: metadata of root.zone.2026073102
 *   serial=2026073102
 *   source=https://www.internic.net/domain/root.zone
 *   fetched=2026-08-01T00:00:00Z
 *   validation=valid: 1452 RRsets, 2 DNSKEYs, ZONEMD SHA-384 verified
 *   earliest-expiry=2026-08-13T20:00:00Z
 *   zonemd-verified=true
 *   etag="6617a0b2-22e7c0"
 *   modified=2026-07-31T18:51:03Z
 *   sha256=4f0c...
 * </pre>
 *
 * {@code sha256} is written last on purpose: a file cut short anywhere (a crash during the write of
 * a temporary file) lacks it or has it shorter than 64 digits, so a partial file is never taken for
 * a whole one. {@code etag}, {@code modified} and {@code anchors} are absent when unknown; every other key is
 * required. Unknown keys are ignored, so a later version may add some.
 */
final class MetadataFile {
  static final String SERIAL = "serial";
  static final String SOURCE = "source";
  static final String FETCHED = "fetched";
  static final String VALIDATION = "validation";
  static final String EARLIEST_EXPIRY = "earliest-expiry";
  static final String ZONEMD_VERIFIED = "zonemd-verified";
  static final String ETAG = "etag";
  static final String MODIFIED = "modified";
  static final String SHA256 = "sha256";
  static final String ANCHORS = "anchors";

  private MetadataFile() {}

  /** Why a metadata file cannot be used; the message names the key at fault. */
  static final class BadMetadataException extends Exception {
    BadMetadataException(String message) {
      super(message);
    }
  }

  /** The file's bytes (ASCII: anything else is written as a backslash-u escape). */
  static byte[] format(ZoneMetadata m, String zoneFileName) {
    StringBuilder out = new StringBuilder(512);
    out.append("# rootmirror: metadata of ").append(zoneFileName).append('\n');
    line(out, SERIAL, Long.toString(m.serial()));
    line(out, SOURCE, m.source().toString());
    line(out, FETCHED, m.fetchedAt().toString());
    line(out, VALIDATION, m.validation());
    line(out, EARLIEST_EXPIRY, m.earliestExpiry().toString());
    line(out, ZONEMD_VERIFIED, Boolean.toString(m.zonemdVerified()));
    if (m.etag() != null) {
      line(out, ETAG, m.etag());
    }
    if (m.modified() != null) {
      line(out, MODIFIED, m.modified().toString());
    }
    if (m.anchors() != null) {
      line(out, ANCHORS, m.anchors());
    }
    line(out, SHA256, m.sha256());
    return out.toString().getBytes(StandardCharsets.US_ASCII);
  }

  static ZoneMetadata parse(byte[] bytes) throws BadMetadataException {
    Properties p = new Properties();
    try {
      p.load(new ByteArrayInputStream(bytes));
    } catch (IOException | IllegalArgumentException e) {
      // IllegalArgumentException: a malformed backslash-u escape
      throw new BadMetadataException("not a properties file: " + e.getMessage());
    }
    String sha256 = required(p, SHA256);
    if (!Sha256.isHex(sha256)) {
      throw new BadMetadataException(SHA256 + ": not 64 lower-case hex digits (a file cut short?): '" + sha256 + "'");
    }
    long serial = serial(required(p, SERIAL));
    URI source;
    try {
      source = new URI(required(p, SOURCE));
    } catch (URISyntaxException e) {
      throw new BadMetadataException(SOURCE + ": " + e.getMessage());
    }
    Instant fetched = instant(p, FETCHED, required(p, FETCHED));
    String validation = required(p, VALIDATION);
    Instant earliestExpiry = instant(p, EARLIEST_EXPIRY, required(p, EARLIEST_EXPIRY));
    String zonemd = required(p, ZONEMD_VERIFIED);
    if (!zonemd.equals("true") && !zonemd.equals("false")) {
      throw new BadMetadataException(ZONEMD_VERIFIED + ": neither true nor false: '" + zonemd + "'");
    }
    String etag = p.getProperty(ETAG);
    String modified = p.getProperty(MODIFIED);
    String anchors = p.getProperty(ANCHORS);
    if (anchors != null && !Sha256.isHex(anchors)) {
      throw new BadMetadataException(ANCHORS + ": not 64 lower-case hex digits: '" + anchors + "'");
    }
    return new ZoneMetadata(serial, source, sha256, fetched, validation, earliestExpiry,
        zonemd.equals("true"), etag, modified == null ? null : instant(p, MODIFIED, modified), anchors);
  }

  private static String required(Properties p, String key) throws BadMetadataException {
    String v = p.getProperty(key);
    if (v == null) {
      throw new BadMetadataException("no " + key + " (a file cut short, or not ours)");
    }
    return v;
  }

  private static long serial(String text) throws BadMetadataException {
    try {
      long s = Long.parseLong(text);
      if (s >= 0 && s <= 0xFFFF_FFFFL) {
        return s;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadMetadataException(SERIAL + ": not a 32-bit unsigned number: '" + text + "'");
  }

  private static Instant instant(Properties p, String key, String text) throws BadMetadataException {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new BadMetadataException(key + ": not an ISO-8601 instant: '" + text + "'");
    }
  }

  private static void line(StringBuilder out, String key, String value) {
    out.append(key).append('=');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\f' -> out.append("\\f");
        case ' ' -> out.append(i == 0 ? "\\ " : " "); // Properties drops leading blanks of a value
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('\n');
  }
}
