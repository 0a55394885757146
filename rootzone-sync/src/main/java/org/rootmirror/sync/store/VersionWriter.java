package org.rootmirror.sync.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * VersionWriter -- the steps that add one zone version to zones/, in the only safe order:
 *
 * <ol>
 *   <li>{@link #writeZone}: the zone text into a temporary file, forced to disk;
 *   <li>{@link #writeMeta}: the metadata into another temporary file, forced to disk;
 *   <li>{@link #commitZone}: the zone renamed to {@code root.zone.SERIAL}, directory forced;
 *   <li>{@link #commitMeta}: the metadata renamed to {@code root.zone.SERIAL.meta}, directory
 *       forced. This rename is the commit: before it the version does not exist for readers.
 * </ol>
 *
 * A crash before step 3 leaves only temporary files. Between steps 3 and 4 a new serial's zone
 * file has no .meta, so it was never stored: readers ignore it and the next writer removes it.
 * When the serial was already stored (a forced re-fetch of the same serial with other bytes), the
 * old .meta no longer matches the new zone file, and the old text is gone; but the complete new
 * metadata, forced to disk before step 3, waits in its temporary file: readers take it when its
 * sha256 matches the zone file, and the next writer renames it into place (rolls forward). So a
 * reader sees the old version or the new one whole, at every instant.
 *
 * <p>{@link ZoneStore#save} runs the steps in sequence; the crash tests run them one at a time
 * from a child JVM, to be killed between or during them.
 */
final class VersionWriter {
  private final Path zones;
  private final long serial;
  private Path zoneTemp;
  private Path metaTemp;

  VersionWriter(Path zones, long serial) {
    this.zones = zones;
    this.serial = serial;
  }

  Path zoneFile() {
    return zones.resolve(ZoneStore.zoneFileName(serial));
  }

  Path metaFile() {
    return zones.resolve(ZoneStore.zoneFileName(serial) + ZoneStore.META_SUFFIX);
  }

  void writeZone(AtomicFiles.Body body) throws IOException {
    zoneTemp = AtomicFiles.writeTemp(zones, zoneFile().getFileName().toString(), body);
  }

  void writeMeta(AtomicFiles.Body body) throws IOException {
    metaTemp = AtomicFiles.writeTemp(zones, metaFile().getFileName().toString(), body);
  }

  void commitZone() throws IOException {
    requireWritten();
    AtomicFiles.rename(zoneTemp, zoneFile());
    zoneTemp = null; // renamed: from here on the metadata's temporary file must survive a failure
    AtomicFiles.forceDirectory(zones);
  }

  void commitMeta() throws IOException {
    if (zoneTemp != null || metaTemp == null) {
      throw new IllegalStateException("commitMeta before commitZone");
    }
    AtomicFiles.commit(metaTemp, metaFile());
    metaTemp = null;
  }

  /**
   * Removes what was written but not committed, after a failure. Once the zone file is committed
   * the metadata's temporary file is kept: it is what completes the version later (see above).
   */
  void abandon() {
    if (zoneTemp != null) {
      AtomicFiles.deleteQuietly(zoneTemp);
      zoneTemp = null;
      if (metaTemp != null) {
        AtomicFiles.deleteQuietly(metaTemp);
        metaTemp = null;
      }
    }
  }

  private void requireWritten() {
    if (zoneTemp == null || metaTemp == null) {
      throw new IllegalStateException("commit before both the zone and its metadata were written");
    }
  }
}
