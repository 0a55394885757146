package org.rootmirror.sync.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One stored zone version: its file and metadata. */
public record StoredZone(Path file, ZoneMetadata metadata) {
  /**
   * The zone's bytes, checked against the metadata's sha256.
   *
   * @throws IOException naming the file when it is gone or no longer matches its metadata: a
   *     writer replaced or pruned it since it was listed (list again), or the disk damaged it
   */
  public byte[] read() throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String actual = Sha256.hex(bytes);
    if (!actual.equals(metadata.sha256())) {
      throw new IOException(file + " changed since it was listed: its sha256 is " + actual
          + ", its metadata says " + metadata.sha256());
    }
    return bytes;
  }
}
