package org.rootmirror.sync.source;

import java.time.Instant;

/** What a fetch produced: the zone's master-file text, or word that it has not changed. */
public sealed interface FetchResult {
  /**
   * The zone as master-file text, exactly as it will be validated and stored (an AXFR or IXFR
   * result is written out one record per line), with the validators to send next time.
   */
  record Fetched(byte[] text, String etag, Instant modified, long size, String detail) implements FetchResult {}

  /** The source says the zone held now is current; {@code why} says how it knows. */
  record Unchanged(String why) implements FetchResult {}
}
