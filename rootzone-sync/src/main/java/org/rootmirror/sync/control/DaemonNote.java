package org.rootmirror.sync.control;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * DaemonNote -- the note a daemon leaves in its state directory ({@value #FILE}): its process id
 * and control socket. {@code refresh} and {@code status} given only {@code --state-dir} find the
 * daemon that serves it through the note, and so never sync beside it (issue 11). The note is
 * advice: a daemon that died leaves a stale one, which {@link #alive} tells apart.
 */
public record DaemonNote(Path socket, long pid) {
  public static final String FILE = "daemon.note";
  private static final long MAX_BYTES = 4096;

  /** Writes the note for this process (replacing any), atomically. */
  public static void write(Path stateDir, Path socket) throws IOException {
    Files.createDirectories(stateDir);
    String text = "# the rootmirror daemon serving this directory, for refresh and status\n"
        + "pid=" + ProcessHandle.current().pid() + "\nsocket=" + socket.toAbsolutePath() + "\n";
    Path temp = stateDir.resolve("." + FILE + "." + ProcessHandle.current().pid() + ".tmp");
    Files.writeString(temp, text, StandardCharsets.UTF_8);
    Files.move(temp, stateDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The note in {@code stateDir}; empty when there is none or it cannot be read. */
  public static Optional<DaemonNote> read(Path stateDir) {
    Path file = stateDir.resolve(FILE);
    try {
      if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
        return Optional.empty();
      }
      Properties p = new Properties();
      p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
      String socket = p.getProperty("socket");
      String pid = p.getProperty("pid");
      if (socket == null || pid == null) {
        return Optional.empty();
      }
      return Optional.of(new DaemonNote(Path.of(socket), Long.parseLong(pid.strip())));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // unreadable or garbled: as good as none
    }
  }

  /** Removes the note if it is this process's (a newer daemon's note stays). */
  public static void remove(Path stateDir) {
    if (read(stateDir).filter(n -> n.pid() == ProcessHandle.current().pid()).isPresent()) {
      try {
        Files.deleteIfExists(stateDir.resolve(FILE));
      } catch (IOException e) {
        // a stale note is told apart by its process id
      }
    }
  }

  /** Whether the process that wrote the note still runs. */
  public boolean alive() {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
