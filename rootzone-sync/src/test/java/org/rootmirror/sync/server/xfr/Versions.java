package org.rootmirror.sync.server.xfr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.rootmirror.sync.store.ZoneStore;
import org.rootmirror.sync.testing.RootZoneVersions;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Signed versions of a small root zone ({@link RootZoneVersions}), each signed once and kept, so
 * that the text stored, the snapshot published and what a client holds are the same bytes.
 */
final class Versions {
  static final Instant INCEPTION = Instant.parse("2026-08-01T00:00:00Z");
  /** When the versions are validated: an hour into their week of validity. */
  static final Instant NOW = INCEPTION.plus(Duration.ofHours(1));

  private static Versions instance;

  private final RootZoneVersions versions;
  private final Map<Integer, byte[]> texts = new HashMap<>();
  private final Map<Integer, ZoneSnapshot> snapshots = new HashMap<>();

  private Versions(RootZoneVersions versions) {
    this.versions = versions;
  }

  /** Skips the calling test when the fixtures (which the versions are cut from) are absent. */
  static synchronized Versions get() throws IOException {
    if (instance == null) {
      instance = new Versions(new RootZoneVersions(INCEPTION));
    }
    return instance;
  }

  long serial(int version) {
    return versions.serial(version);
  }

  synchronized byte[] text(int version) {
    return texts.computeIfAbsent(version, versions::text);
  }

  List<Record> records(int version) {
    try {
      return ZoneFile.parse(text(version), "version " + version, Name.root).records();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Version {@code version}, validated at {@link #NOW} as the sync would before publishing it. */
  synchronized ZoneSnapshot snapshot(int version) throws IOException {
    ZoneSnapshot s = snapshots.get(version);
    if (s == null) {
      s = Snapshots.validated(text(version), versions.anchors(), NOW);
      snapshots.put(version, s);
    }
    return s;
  }

  /** A store in {@code dir} keeping {@code kept}, each fetched a minute after the one before. */
  ZoneStore store(Path dir, int... kept) throws IOException {
    ZoneStore store = new ZoneStore(dir);
    for (int v : kept) {
      ZoneSnapshot s = snapshot(v);
      store.save(text(v), Snapshots.metadata(s.serial(), INCEPTION.plus(Duration.ofMinutes(v)), s.report()));
    }
    return store;
  }
}
