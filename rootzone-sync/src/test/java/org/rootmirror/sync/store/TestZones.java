package org.rootmirror.sync.store;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Zone texts and metadata for the store's tests: any bytes will do, but these look the part. */
final class TestZones {
  static final URI SOURCE = URI.create("https://www.internic.net/domain/root.zone");
  static final Instant T0 = Instant.parse("2026-08-01T00:00:00Z");

  private TestZones() {}

  /** A zone-like text of about {@code size} bytes whose content depends on the serial. */
  static byte[] zone(long serial, int size) {
    StringBuilder out = new StringBuilder(size + 100);
    out.append(". 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. ")
        .append(serial).append(" 1800 900 604800 86400\n");
    for (int i = 0; out.length() < size; i++) {
      out.append("tld").append(i).append(". 172800 IN NS ns").append(serial % 7).append(".tld").append(i).append(".\n");
    }
    return out.toString().getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] zone(long serial) {
    return zone(serial, 4096);
  }

  /** Metadata fetched {@code minutes} after {@link #T0}, without sha256 (the store fills it in). */
  static ZoneMetadata metadata(long serial, int minutes) {
    Instant fetched = T0.plusSeconds(60L * minutes);
    return new ZoneMetadata(serial, SOURCE, null, fetched, "valid: 1452 RRsets, ZONEMD SHA-384 verified",
        fetched.plusSeconds(13 * 86400), true, "\"6617a0b2-" + serial + "\"", fetched.minusSeconds(3600));
  }

  /** The same metadata with the sha256 of {@code text}, as the store returns it. */
  static ZoneMetadata stored(ZoneMetadata m, byte[] text) {
    return new ZoneMetadata(m.serial(), m.source(), Sha256.hex(text), m.fetchedAt(), m.validation(),
        m.earliestExpiry(), m.zonemdVerified(), m.etag(), m.modified());
  }
}
