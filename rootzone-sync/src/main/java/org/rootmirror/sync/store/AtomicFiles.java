package org.rootmirror.sync.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AtomicFiles -- durable, all-or-nothing file replacement: a temporary file in the target's own
 * directory, written and forced to disk, renamed over the target, then the directory forced so
 * that the rename itself survives a power cut.
 *
 * <p>A temporary file is named {@code .TARGET.PID.NONCE.tmp}: hidden, never mistaken for a stored
 * version, and carrying the writing process's id so that a later writer can tell a crashed
 * writer's leftovers (the process is gone) from a live one's work in progress.
 *
 * <p>Directories are created 0750 and files 0640 where the file system has POSIX permissions, so
 * that the daemon's group can read the state but not change it; both are set explicitly after
 * creation, because the umask would otherwise decide.
 */
final class AtomicFiles {
  static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwxr-x---");
  static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r-----");

  private static final Pattern TEMP = Pattern.compile("\\.(.+)\\.(\\d{1,19})\\.([0-9a-f]{1,32})\\.tmp");
  private static final SecureRandom NONCES = new SecureRandom();
  private static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");

  private AtomicFiles() {}

  /** Writes the content of a file being created; the channel is forced and closed afterwards. */
  @FunctionalInterface
  interface Body {
    void writeTo(FileChannel channel) throws IOException;

    static Body of(byte[] bytes) {
      return channel -> writeFully(channel, ByteBuffer.wrap(bytes));
    }
  }

  /** A temporary file's parts: the name it is to be renamed to, and the process that wrote it. */
  record Temp(String target, long pid) {}

  /** The parts of a temporary file's name, or empty when the name is not one of ours. */
  static Optional<Temp> parseTemp(String fileName) {
    Matcher m = TEMP.matcher(fileName);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Temp(m.group(1), Long.parseLong(m.group(2))));
    } catch (NumberFormatException e) {
      return Optional.of(new Temp(m.group(1), -1));
    }
  }

  /**
   * Creates a new temporary file beside {@code targetName} in {@code dir}, lets {@code body} write
   * it and forces it to disk. On any failure the temporary file is removed and the exception names
   * it.
   *
   * @return the temporary file, complete and durable, to be given to {@link #commit}
   */
  static Path writeTemp(Path dir, String targetName, Body body) throws IOException {
    String nonce = HexFormat.of().formatHex(randomBytes());
    Path temp = dir.resolve("." + targetName + "." + ProcessHandle.current().pid() + "." + nonce + ".tmp");
    boolean done = false;
    try (FileChannel channel = create(temp)) {
      body.writeTo(channel);
      channel.force(true);
      done = true;
    } catch (IOException e) {
      throw failure("cannot write", temp, e);
    } finally {
      if (!done) {
        deleteQuietly(temp);
      }
    }
    return temp;
  }

  /**
   * Renames {@code temp} over {@code target} in one step (rename(2): a reader sees the old file or
   * the new one, never a mix), then forces the directory so the new name is on disk before the
   * caller goes on. Both must be in the same directory.
   */
  static void commit(Path temp, Path target) throws IOException {
    rename(temp, target);
    forceDirectory(target.getParent());
  }

  /** The rename step of {@link #commit} alone; the caller forces the directory. */
  static void rename(Path temp, Path target) throws IOException {
    try {
      // on POSIX systems ATOMIC_MOVE is rename(2), which replaces an existing target atomically
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw failure("cannot rename " + temp.getFileName() + " to", target, e);
    }
  }

  /**
   * Forces a directory's entries (names created, renamed or removed in it) to disk. Opening a
   * directory for reading and calling fsync on it is how Linux (and the BSDs and macOS) make a
   * rename durable; the JDK allows it on those systems. Windows cannot open a directory this way
   * and makes renames durable by itself, so there it is skipped.
   */
  static void forceDirectory(Path dir) throws IOException {
    if (WINDOWS) {
      return;
    }
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      throw failure("cannot fsync directory", dir, e);
    }
  }

  /**
   * Makes sure {@code dir} is a directory, creating it and any missing parents (0750, each made
   * durable in its parent). An existing directory is left as it is, permissions included.
   */
  static Path ensureDirectory(Path dir) throws IOException {
    dir = dir.toAbsolutePath().normalize();
    if (Files.isDirectory(dir)) {
      return dir;
    }
    if (Files.exists(dir)) {
      throw new IOException("state directory " + dir + " exists but is not a directory");
    }
    Path parent = dir.getParent();
    if (parent != null) {
      ensureDirectory(parent);
    }
    try {
      if (posix(parent)) {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
        Files.setPosixFilePermissions(dir, DIRECTORY_MODE);
      } else {
        Files.createDirectory(dir);
      }
    } catch (FileAlreadyExistsException e) {
      if (Files.isDirectory(dir)) {
        return dir; // created meanwhile by another writer
      }
      throw new IOException("state directory " + dir + " exists but is not a directory", e);
    } catch (IOException e) {
      throw failure("cannot create directory", dir, e);
    }
    if (parent != null) {
      forceDirectory(parent);
    }
    return dir;
  }

  /** Opens a new file (it must not exist) for writing, 0640. */
  static FileChannel create(Path file) throws IOException {
    EnumSet<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    if (!posix(file.getParent())) {
      return FileChannel.open(file, options);
    }
    FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(FILE_MODE);
    FileChannel channel = FileChannel.open(file, options, mode);
    try {
      Files.setPosixFilePermissions(file, FILE_MODE);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    return channel;
  }

  static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /** Removes a file if it is there; true when it was. */
  static boolean delete(Path file) throws IOException {
    try {
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      throw failure("cannot remove", file, e);
    }
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // cleaning up after a failure that is already being reported; the next writer retries
    }
  }

  /** An IOException saying what failed, on which path, and why (the cause is kept). */
  static IOException failure(String what, Path path, IOException cause) {
    String why;
    if (cause instanceof NoSuchFileException) {
      why = "no such file or directory";
    } else if (cause instanceof AccessDeniedException) {
      why = "permission denied";
    } else if (cause instanceof FileSystemException fse && fse.getReason() != null) {
      why = fse.getReason();
    } else if (cause.getMessage() != null) {
      why = cause.getMessage();
    } else {
      why = cause.getClass().getSimpleName();
    }
    return new IOException(what + " " + path + ": " + why, cause);
  }

  private static boolean posix(Path dir) {
    return dir != null && dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[6];
    NONCES.nextBytes(b);
    return b;
  }
}
