package org.rootmirror.sync.store;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ChangeLog -- {@value #FILE} in the state directory: one line per published serial, in the order
 * they were published, saying what that version changed (the lines are written and read by
 * org.rootmirror.sync.changes; here they are text that starts with their serial).
 *
 * <p>Bounded: the newest {@value #KEEP_SERIALS} serials (at two serials a day, over a year of the
 * root's history) and no more than {@value #KEEP_BYTES} bytes, the oldest lines going first; the
 * newest line is always kept, whatever its size. A line for a serial the file already holds is not
 * added: the first publication of a serial is the one recorded.
 *
 * <p>Adding a line rewrites the file atomically ({@link AtomicFiles}) under the state directory's
 * writer lock, so a reader sees the old file or the new one, and a crash loses at most the line
 * being added. Reading needs only read access.
 */
public final class ChangeLog {
  public static final String FILE = "changes.jsonl";
  public static final int KEEP_SERIALS = 1_000;
  public static final long KEEP_BYTES = 4L * 1024 * 1024;
  /** Far more than this writes (the newest line alone may pass {@link #KEEP_BYTES}): a bigger file is not ours. */
  static final long MAX_READ_BYTES = 64L * 1024 * 1024;

  private static final Pattern SERIAL = Pattern.compile("\\{\"serial\":(0|[1-9][0-9]{0,9}),.*");
  private static final System.Logger LOG = System.getLogger(ChangeLog.class.getName());

  private final ZoneStore store;
  private final int keepSerials;
  private final long keepBytes;

  /** The log in {@code store}'s state directory, written under its writer lock. */
  public ChangeLog(ZoneStore store) {
    this(store, KEEP_SERIALS, KEEP_BYTES);
  }

  /** With other bounds, for tests. */
  ChangeLog(ZoneStore store, int keepSerials, long keepBytes) {
    this.store = store;
    this.keepSerials = keepSerials;
    this.keepBytes = keepBytes;
  }

  /** A line of the file: its number (from 1), the serial it is about, and the line itself. */
  public record Line(int number, long serial, String text) {}

  /** The lines that start with a serial, oldest first, and one warning for each line that does not. */
  public record Listing(List<Line> lines, List<String> warnings) {
    public Listing {
      lines = List.copyOf(lines);
      warnings = List.copyOf(warnings);
    }

    public boolean holds(long serial) {
      return lines.stream().anyMatch(l -> l.serial() == serial);
    }
  }

  /** Reads the log in this store's state directory (see {@link #read(Path)}). */
  public Listing read() throws IOException {
    return read(store.dir());
  }

  /**
   * Reads the log in {@code stateDir}; a missing file is an empty listing.
   *
   * @throws IOException naming the file when it cannot be read or is too large to be one
   */
  public static Listing read(Path stateDir) throws IOException {
    Path file = stateDir.resolve(FILE);
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_READ_BYTES) {
        throw new IOException(file + " is larger than " + MAX_READ_BYTES / (1024 * 1024) + " MiB: not a change log rootmirror wrote");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new Listing(List.of(), List.of());
    } catch (IOException e) {
      throw e.getCause() == null && String.valueOf(e.getMessage()).startsWith(file.toString()) ? e : AtomicFiles.failure("cannot read", file, e);
    }
    // bytes that are not UTF-8 become U+FFFD: such a line fails to parse, with a message, and the others are read
    String[] text = new String(bytes, StandardCharsets.UTF_8).split("\n");
    List<Line> lines = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (int i = 0; i < text.length; i++) {
      String line = text[i];
      Matcher m = SERIAL.matcher(line);
      long serial = m.matches() ? Long.parseLong(m.group(1)) : -1;
      if (serial >= 0 && serial <= 0xFFFF_FFFFL) {
        lines.add(new Line(i + 1, serial, line));
      } else if (!line.isBlank()) {
        warnings.add(file + " line " + (i + 1) + " does not start with {\"serial\":N, and is skipped");
      }
    }
    return new Listing(lines, warnings);
  }

  /**
   * Adds the line for {@code serial} unless the log holds one already, then drops the oldest lines
   * beyond the bounds. Lines that do not start with a serial are dropped, with a warning.
   *
   * @param json one line, without the newline, starting with {@code {"serial":SERIAL,}
   * @return false when the log held the serial already
   * @throws IOException naming the file that could not be read or written; the log is then as it was
   */
  public boolean append(long serial, String json) throws IOException {
    Matcher m = SERIAL.matcher(json);
    if (!m.matches() || Long.parseLong(m.group(1)) != serial || json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("not one line starting with {\"serial\":" + serial + ",");
    }
    return store.writing(root -> {
      Listing old = read(root);
      old.warnings().forEach(w -> LOG.log(Level.WARNING, w));
      if (old.holds(serial)) {
        return false;
      }
      List<String> kept = new ArrayList<>(old.lines().stream().map(Line::text).toList());
      kept.add(json);
      long bytes = 0;
      for (String line : kept) {
        bytes += utf8Length(line) + 1;
      }
      while (kept.size() > 1 && (kept.size() > keepSerials || bytes > keepBytes)) {
        bytes -= utf8Length(kept.remove(0)) + 1;
      }
      StringBuilder sb = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 8, bytes));
      kept.forEach(line -> sb.append(line).append('\n'));
      byte[] content = sb.toString().getBytes(StandardCharsets.UTF_8);
      ZoneStore.removeStaleTemps(root);
      Path temp = AtomicFiles.writeTemp(root, FILE, AtomicFiles.Body.of(content));
      try {
        AtomicFiles.commit(temp, root.resolve(FILE));
        temp = null;
      } finally {
        if (temp != null) {
          AtomicFiles.deleteQuietly(temp);
        }
      }
      return true;
    });
  }

  private static long utf8Length(String s) {
    // the lines are ASCII but for names and notes; counting exactly costs nothing at this size
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
