package org.rootmirror.sync.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The state directory (default /var/lib/rootmirror). Layout:
 *
 * <pre>
 *   zones/root.zone.SERIAL        validated zone text, exactly as fetched
 *   zones/root.zone.SERIAL.meta   its {@link ZoneMetadata}, as a properties file
 *   rejected/root.zone            the last zone that failed a check, for the operator
 *   rejected/root.zone.report     why it failed
 *   sync.lock                     held by whoever writes (the daemon, or a direct refresh)
 * </pre>
 *
 * Every write is atomic: a temporary file, fsync, rename, fsync of the directory, so a crash at
 * any point leaves either the old version or the new one, never a torn file. The newest
 * {@value #KEEP} versions are kept.
 */
public final class ZoneStore {
  public static final int KEEP = 3;

  private final Path dir;

  public ZoneStore(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** Stores a validated zone atomically and prunes old versions; returns what was stored. */
  public StoredZone save(byte[] text, ZoneMetadata metadata) throws IOException {
    throw new UnsupportedOperationException("to be written");
  }

  /** Stored versions, newest (highest serial in RFC 1982 order, then latest fetch) first. */
  public List<StoredZone> versions() throws IOException {
    throw new UnsupportedOperationException("to be written");
  }

  public Optional<StoredZone> newest() throws IOException {
    List<StoredZone> all = versions();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /** Keeps a rejected zone and its report under rejected/, replacing the previous one. */
  public void reject(byte[] text, String report) throws IOException {
    throw new UnsupportedOperationException("to be written");
  }

  /**
   * Takes the writer lock (an OS file lock on sync.lock), waiting at most {@code waitMillis};
   * empty when someone else holds it.
   */
  public Optional<WriterLock> lock(long waitMillis) throws IOException {
    throw new UnsupportedOperationException("to be written");
  }

  /** The writer lock; closing releases it. */
  public interface WriterLock extends AutoCloseable {
    @Override
    void close() throws IOException;
  }
}
