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
 * or the new, never a mix. Beside the keys, the file records the fingerprint of the anchors the
 * operator configured when it was written ({@code ;configured HEX}), so that a change of
 * configuration can be told from a state that merely grew.
 */
public final class ManagedKeysStore {
  public static final String FILE = "root-anchors.tracked";
  private static final String CONFIGURED = ";configured ";

  /** What the file holds: the keys, the configured anchors' fingerprint, and the text itself. */
  public record Kept(ManagedKeys keys, String configured, String text) {}
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
  public Optional<Kept> read() throws IOException {
    Path file = file();
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new IOException(file + " is larger than " + MAX_BYTES + " bytes: not a trust anchor state file");
      }
      String text = Files.readString(file, StandardCharsets.US_ASCII);
      String configured = text.lines().filter(l -> l.startsWith(CONFIGURED)).map(l -> l.substring(CONFIGURED.length()).strip())
          .findFirst().orElse("");
      return Optional.of(new Kept(ManagedKeysFile.parse(text, file.toString(), Name.root), configured, text));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Writes {@code keys}, made under the configured anchors whose fingerprint is {@code configured}; returns the text written. */
  public String write(ManagedKeys keys, String configured) throws IOException {
    AtomicFiles.ensureDirectory(dir);
    String text = ManagedKeysFile.format(keys) + CONFIGURED + configured + "\n";
    AtomicFiles.commit(AtomicFiles.writeTemp(dir, FILE, AtomicFiles.Body.of(text.getBytes(StandardCharsets.US_ASCII))), file());
    return text;
  }
}
