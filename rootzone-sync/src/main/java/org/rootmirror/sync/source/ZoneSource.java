package org.rootmirror.sync.source;

import java.net.URI;

/**
 * One place the root zone can be fetched from. A source does transport only: it never judges the
 * zone (the accept pipeline parses and validates what it returns), but it skips the transfer when
 * it can tell the zone is unchanged since {@link FetchContext#known()}.
 */
public interface ZoneSource {
  /** The configured URI, e.g. {@code https://www.internic.net/domain/root.zone}. */
  URI uri();

  /**
   * Fetches the zone, within the context's limits.
   *
   * @return the zone text, or {@link FetchResult.Unchanged} when the source says it has not changed
   * @throws FetchException naming what failed: connect, timeout, stall, size cap, HTTP status, ...
   */
  FetchResult fetch(FetchContext context) throws FetchException;
}
