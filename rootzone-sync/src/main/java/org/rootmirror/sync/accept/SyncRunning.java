package org.rootmirror.sync.accept;

import java.net.URI;
import java.time.Instant;

/**
 * A sync under way, for {@code rootmirror status}: since when, and the source it is trying now
 * (null before the first).
 */
public record SyncRunning(Instant since, URI source) {}
