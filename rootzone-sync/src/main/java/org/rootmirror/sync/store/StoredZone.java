package org.rootmirror.sync.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One stored zone version: its file and metadata. */
public record StoredZone(Path file, ZoneMetadata metadata) {
  public byte[] read() throws IOException {
    return Files.readAllBytes(file);
  }
}
