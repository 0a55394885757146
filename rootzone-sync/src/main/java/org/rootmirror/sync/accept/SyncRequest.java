package org.rootmirror.sync.accept;

import java.net.URI;
import java.time.Duration;
import org.rootmirror.sync.source.FetchContext.Progress;

/**
 * One request to sync. {@code force} fetches even when the source says unchanged and accepts a
 * serial older than the one held; {@code onlySource} limits the attempt to one source (null: all
 * configured ones, in order); {@code lockWait} is how long to wait for a sync already running.
 */
public record SyncRequest(boolean force, URI onlySource, Progress progress, Duration lockWait) {
  /** The scheduler's request: never waits, a running sync already does the work. */
  public static final SyncRequest SCHEDULED = new SyncRequest(false, null, Progress.SILENT, Duration.ZERO);

  /** An operator's {@code rootmirror refresh}: waits for a running sync to finish. */
  public static SyncRequest manual(boolean force, URI onlySource, Progress progress) {
    return new SyncRequest(force, onlySource, progress == null ? Progress.SILENT : progress, Duration.ofMinutes(2));
  }
}
