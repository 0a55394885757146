package org.rootmirror.sync.source;

import java.util.Objects;
import org.rootmirror.dnssec.zone.Zone;

/**
 * What a fetch may use: its limits, what is known of the zone held now (to skip an unchanged one
 * or, for IXFR, to apply differences to), and where to report progress.
 *
 * @param current the zone held now, or null when there is none (IXFR then falls back to AXFR)
 */
public record FetchContext(Limits limits, Known known, Zone current, Progress progress) {
  public FetchContext {
    Objects.requireNonNull(limits, "limits");
    known = known == null ? Known.NOTHING : known;
    progress = progress == null ? Progress.SILENT : progress;
  }

  /** A context with default limits that knows nothing: fetch everything. */
  public static FetchContext fresh() {
    return new FetchContext(Limits.defaults(), Known.NOTHING, null, Progress.SILENT);
  }

  /**
   * Receives download progress: {@code received} counts bytes as they arrive, before any
   * decompression, and {@code total} is the size the transfer announced (so, for a gzip HTTP
   * response, the compressed size), or -1 when it is not known in advance. The last call, once
   * the transfer is complete, has {@code received == total} when the total was known.
   */
  @FunctionalInterface
  public interface Progress {
    Progress SILENT = (received, total) -> {};

    void bytes(long received, long total);
  }
}
