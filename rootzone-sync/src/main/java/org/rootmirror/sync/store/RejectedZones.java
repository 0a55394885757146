package org.rootmirror.sync.store;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * rejected/ -- the evidence of the last {@value #KEEP} zones that failed a check, so that one
 * failure does not erase the last: each zone exactly as fetched, its report beside it, named by
 * the time it was rejected (UTC, to the millisecond, so that names sort in time order) and its
 * SOA serial ({@code unknown} when the zone could not be parsed):
 *
 * <pre>
 *   rejected/root.zone.20261208T013726.983Z.2026120701
 *   rejected/root.zone.20261208T013726.983Z.2026120701.report
 * </pre>
 *
 * Each file is written atomically (a temporary file, fsync, rename, fsync of the directory), the
 * zone before its report, so a crash leaves at worst a zone without its report, never a torn file;
 * a name already taken (two rejections in the same millisecond) gets {@code -2}, {@code -3}. Then
 * the oldest beyond {@value #KEEP} go, zone and report together. The single pair that earlier
 * versions kept (rejected/root.zone and root.zone.report) is renamed into this scheme, by its
 * time of change, the first time another zone is rejected.
 *
 * <p>Called by {@link ZoneStore#reject} under the writer lock.
 */
final class RejectedZones {
  /** Rejected zones kept, each with its report. */
  static final int KEEP = 10;
  static final String REPORT_SUFFIX = ".report";
  static final String UNKNOWN_SERIAL = "unknown";

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern NAME = Pattern.compile(
      "root\\.zone\\.([0-9]{8}T[0-9]{6}\\.[0-9]{3}Z\\.(?:0|[1-9][0-9]{0,9}|" + UNKNOWN_SERIAL + ")(?:-[0-9]+)?)(" + Pattern.quote(REPORT_SUFFIX) + ")?");
  /** What earlier versions kept: the last rejected zone only. */
  private static final String LEGACY_ZONE = "root.zone";
  private static final System.Logger LOG = System.getLogger(RejectedZones.class.getName());

  private final Path dir;

  /** @param dir the rejected/ directory, which exists */
  RejectedZones(Path dir) {
    this.dir = dir;
  }

  /**
   * Keeps {@code text} and its report, named by {@code at} and {@code serial}, then removes the
   * oldest beyond {@value #KEEP}. Removal problems are logged, not thrown: the new pair is kept by
   * then.
   *
   * @return the zone file written
   * @throws IOException naming the path that could not be written; then neither file of this pair
   *     exists, or only the zone does
   */
  Path keep(byte[] text, OptionalLong serial, Instant at, String report) throws IOException {
    ZoneStore.removeStaleTemps(dir);
    adoptLegacyPair();
    Path zone = freeName(TIME.format(at) + "." + (serial.isPresent() ? Long.toString(serial.getAsLong()) : UNKNOWN_SERIAL));
    String header = "# rootmirror: why rejected/" + zone.getFileName() + " (" + text.length + " bytes, sha256 " + Sha256.hex(text)
        + ") was refused\n";
    byte[] reportBytes = (header + report + (report.endsWith("\n") ? "" : "\n")).getBytes(StandardCharsets.UTF_8);
    write(zone, text);
    write(zone.resolveSibling(zone.getFileName() + REPORT_SUFFIX), reportBytes);
    prune();
    return zone;
  }

  /** The zone files kept, oldest first (the report of each is its name and {@value #REPORT_SUFFIX}). */
  List<Path> zones() throws IOException {
    List<Path> zones = new ArrayList<>();
    for (String base : kept().keySet()) {
      Path zone = dir.resolve("root.zone." + base);
      if (Files.exists(zone)) {
        zones.add(zone);
      }
    }
    return zones;
  }

  private void write(Path target, byte[] bytes) throws IOException {
    Path temp = AtomicFiles.writeTemp(dir, target.getFileName().toString(), AtomicFiles.Body.of(bytes));
    try {
      AtomicFiles.commit(temp, target);
    } catch (IOException e) {
      AtomicFiles.deleteQuietly(temp);
      throw e;
    }
  }

  /** {@code root.zone.BASE}, or with -2, -3 ... when a zone or report of that name is there. */
  private Path freeName(String base) {
    String name = "root.zone." + base;
    for (int n = 2; Files.exists(dir.resolve(name)) || Files.exists(dir.resolve(name + REPORT_SUFFIX)); n++) {
      name = "root.zone." + base + "-" + n;
    }
    return dir.resolve(name);
  }

  /** The pairs kept, by the name after "root.zone.", in time order (names of equal time by serial). */
  private TreeMap<String, List<Path>> kept() throws IOException {
    TreeMap<String, List<Path>> pairs = new TreeMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "root.zone.*")) {
      for (Path p : entries) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (m.matches()) {
          pairs.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(p);
        }
      }
    }
    return pairs;
  }

  private void prune() {
    try {
      TreeMap<String, List<Path>> pairs = kept();
      boolean removed = false;
      while (pairs.size() > KEEP) {
        for (Path p : pairs.pollFirstEntry().getValue()) {
          removed |= AtomicFiles.delete(p);
        }
      }
      if (removed) {
        AtomicFiles.forceDirectory(dir);
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not remove the oldest rejected zones in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Renames the one pair an earlier version kept into the scheme, by the time the zone was written. */
  private void adoptLegacyPair() {
    Path zone = dir.resolve(LEGACY_ZONE);
    if (!Files.isRegularFile(zone)) {
      return;
    }
    try {
      Path named = freeName(TIME.format(Files.getLastModifiedTime(zone).toInstant()) + "." + UNKNOWN_SERIAL);
      Path report = dir.resolve(LEGACY_ZONE + REPORT_SUFFIX);
      if (Files.isRegularFile(report)) {
        AtomicFiles.rename(report, named.resolveSibling(named.getFileName() + REPORT_SUFFIX));
      }
      AtomicFiles.rename(zone, named);
      AtomicFiles.forceDirectory(dir);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not rename the rejected zone an earlier version kept, " + zone + ": " + e.getMessage(), e);
    }
  }
}
