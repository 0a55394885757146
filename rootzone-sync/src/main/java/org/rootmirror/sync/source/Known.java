package org.rootmirror.sync.source;

import java.time.Instant;

/**
 * What is known of the zone held now, for conditional fetches: its SOA serial (AXFR/IXFR compare
 * it with RFC 1982 serial arithmetic), and the validators the same source gave for it last time:
 * HTTP ETag and Last-Modified, FTP modification time (MDTM) and size. Null fields are unknown.
 *
 * @param serial the SOA serial held, or -1 when no zone is held
 */
public record Known(long serial, String etag, Instant modified, long size) {
  public static final Known NOTHING = new Known(-1, null, null, -1);

  public boolean hasZone() {
    return serial >= 0;
  }
}
