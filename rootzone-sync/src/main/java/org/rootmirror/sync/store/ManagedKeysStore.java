package org.rootmirror.sync.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.rootmirror.dnssec.rollover.ManagedKeys;
import org.rootmirror.dnssec.rollover.ManagedKeysFile;
import org.xbill.DNS.Name;

/**
 * The root's tracked trust anchors (RFC 5011) in the state directory, {@value #FILE}: read whole,
 * written whole and atomically (a new file renamed over the old), so a crash leaves the old state
 * or the new, never a mix.
 */
public final class ManagedKeysStore {
  public static final String FILE = "root-anchors.tracked";
  /** A state file is a few keys; anything much larger is not one. */
  private static final long MAX_BYTES = 64 * 1024;

  private final Path dir;

  public ManagedKeysStore(Path stateDir) {
    this.dir = stateDir;
  }

  public Path file() {
    return dir.resolve(FILE);
  }

  /**
   * The state kept, or empty when there is none yet.
   *
   * @throws IOException when it cannot be read, or does not parse (the message names the line)
   */
  public Optional<ManagedKeys> read() throws IOException {
    Path file = file();
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new IOException(file + " is larger than " + MAX_BYTES + " bytes: not a trust anchor state file");
      }
      return Optional.of(ManagedKeysFile.parse(Files.readString(file, StandardCharsets.US_ASCII), file.toString(), Name.root));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  public void write(ManagedKeys keys) throws IOException {
    AtomicFiles.ensureDirectory(dir);
    byte[] text = ManagedKeysFile.format(keys).getBytes(StandardCharsets.US_ASCII);
    AtomicFiles.commit(AtomicFiles.writeTemp(dir, FILE, AtomicFiles.Body.of(text)), file());
  }
}
