package org.rootmirror.sync.store;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The state directory (default /var/lib/rootmirror). Layout:
 *
 * <pre>
 *   zones/root.zone.SERIAL        validated zone text, exactly as fetched
 *   zones/root.zone.SERIAL.meta   its {@link ZoneMetadata}, as a properties file: the commit record
 *   rejected/root.zone.TIME.SERIAL         the last 10 zones that failed a check, for the operator
 *   rejected/root.zone.TIME.SERIAL.report  why each failed ({@link RejectedZones})
 *   sync.lock                     held by whoever writes (the daemon, or a direct refresh)
 *   root-anchors.tracked          the root's trust anchors as RFC 5011 tracks them ({@link ManagedKeysStore})
 *   changes.jsonl                 what each published serial changed ({@link ChangeLog})
 * </pre>
 *
 * Every write is atomic: a temporary file, fsync, rename, fsync of the directory, so a crash at
 * any point leaves either the old version or the new one, never a torn file. A version exists
 * once its .meta does and the .meta's sha256 matches the zone file; anything else in zones/ (a
 * crash's leftovers, a damaged file) is ignored with a warning by readers and removed by the next
 * writer. The newest {@value #KEEP} versions are kept.
 *
 * <p>Readers ({@link #scan}, {@link #versions}) need only read access and create nothing. Writers
 * ({@link #save}, {@link #reject}) hold the writer lock: the caller's, when some thread of this
 * process holds it, else they take it themselves for the duration of the write.
 */
public final class ZoneStore {
  public static final int KEEP = 3;

  static final String ZONES = "zones";
  static final String REJECTED = "rejected";
  static final String META_SUFFIX = ".meta";

  /** How long save and reject wait for the writer lock when the caller does not hold it. */
  static final long WRITE_LOCK_WAIT_MILLIS = 10_000;
  /** A temporary file this old is stale even if a process with its writer's id is alive (pid reuse). */
  private static final Duration STALE_TEMP_AGE = Duration.ofHours(1);
  private static final long MAX_META_BYTES = 64 * 1024;
  private static final Pattern STORED_NAME = Pattern.compile("root\\.zone\\.(0|[1-9][0-9]{0,9})(\\.meta)?");
  private static final System.Logger LOG = System.getLogger(ZoneStore.class.getName());

  /** Serializes this JVM's writes to one state directory, keyed by its real path. */
  private static final ConcurrentHashMap<Path, ReentrantLock> WRITE_MUTEXES = new ConcurrentHashMap<>();

  /**
   * Newest first: the most recent fetch time first, so a zone the operator forced in (an older
   * serial fetched later) is the newest; equal fetch times by the higher serial (plain numeric
   * order, which is total, unlike RFC 1982 arithmetic).
   */
  static final Comparator<StoredZone> NEWEST_FIRST =
      Comparator.comparing((StoredZone z) -> z.metadata().fetchedAt()).reversed()
          .thenComparing(Comparator.comparingLong((StoredZone z) -> z.metadata().serial()).reversed());

  private final Path dir;
  private final long writeLockWaitMillis;

  public ZoneStore(Path dir) {
    this(dir, WRITE_LOCK_WAIT_MILLIS);
  }

  ZoneStore(Path dir, long writeLockWaitMillis) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.writeLockWaitMillis = writeLockWaitMillis;
  }

  public Path dir() {
    return dir;
  }

  /** What {@link #scan} found: the usable versions, newest first, and what it had to ignore. */
  public record Listing(List<StoredZone> versions, List<String> warnings) {
    public Listing {
      versions = List.copyOf(versions);
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * Stores a validated zone atomically and prunes old versions; returns what was stored. Saving a
   * serial that is already stored replaces it atomically (a forced re-fetch).
   *
   * <p>The metadata's {@code sha256} may be null: the store computes it from {@code text}. When
   * given, it must match. The returned metadata carries it either way. {@code etag} and {@code
   * modified} may be null; the other fields may not.
   *
   * @throws IllegalArgumentException when the metadata is incomplete, its serial is not a 32-bit
   *     unsigned number or its sha256 is not the text's
   * @throws IOException naming the path that could not be written; then either nothing changed, or
   *     (a failure after the commit, such as the final directory fsync) the new version is stored
   *     whole: never a torn one
   */
  public StoredZone save(byte[] text, ZoneMetadata metadata) throws IOException {
    Objects.requireNonNull(text, "text");
    ZoneMetadata m = complete(metadata, Sha256.hex(text));
    byte[] metaBytes = MetadataFile.format(m, zoneFileName(m.serial()));
    return writing(root -> {
      Path zones = AtomicFiles.ensureDirectory(root.resolve(ZONES));
      recover(zones);
      VersionWriter writer = new VersionWriter(zones, m.serial());
      try {
        writer.writeZone(AtomicFiles.Body.of(text));
        writer.writeMeta(AtomicFiles.Body.of(metaBytes));
        writer.commitZone();
        writer.commitMeta();
      } finally {
        writer.abandon();
      }
      prune(zones, m.serial());
      return new StoredZone(writer.zoneFile(), m);
    });
  }

  /** Stored versions, newest first (see {@link #scan}); what had to be ignored is not reported. */
  public List<StoredZone> versions() throws IOException {
    return scan().versions();
  }

  public Optional<StoredZone> newest() throws IOException {
    List<StoredZone> all = versions();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /**
   * Lists the stored versions, newest first: by fetch time, most recent first, so that a zone the
   * operator forced in (an older serial, fetched later) counts as the newest, since that is what
   * the operator asked for; equal fetch times by the higher serial. A version is listed only when
   * its .meta parses, names the same serial, and gives the sha256 the zone file has now.
   * Everything else (a zone file without .meta, a .meta without zone, a mismatch, a damaged
   * .meta) is left out with a one-line warning for the caller to log: a damaged version never
   * stops the daemon from using the others.
   *
   * <p>Reads only; a missing state directory is an empty listing.
   *
   * @throws IOException only when zones/ itself cannot be read (permissions, not a directory)
   */
  public Listing scan() throws IOException {
    Path zones = dir.resolve(ZONES);
    if (!Files.exists(zones)) {
      return new Listing(List.of(), List.of());
    }
    List<StoredZone> found = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (Candidate c : survey(zones).candidates().values()) {
      switch (judge(c)) {
        case Good g -> found.add(g.zone());
        case Bad b -> warnings.add(b.problem() + "; ignored");
        case Gone g -> { }
      }
    }
    found.sort(NEWEST_FIRST);
    return new Listing(found, warnings);
  }

  /**
   * Keeps a rejected zone and its report under rejected/, named by {@code at} and {@code serial},
   * with the last {@value RejectedZones#KEEP} before it ({@link RejectedZones}). The report gets
   * a first line naming the zone's file, size and sha256, so the two can be matched.
   *
   * @param serial the zone's SOA serial; empty when it could not be parsed
   * @param at when it was rejected, by the caller's clock
   * @return the zone file written
   */
  public Path reject(byte[] text, OptionalLong serial, Instant at, String report) throws IOException {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(report, "report");
    return writing(root -> new RejectedZones(AtomicFiles.ensureDirectory(root.resolve(REJECTED))).keep(text, serial, at, report));
  }

  /**
   * Takes the writer lock (an OS file lock on sync.lock), waiting at most {@code waitMillis};
   * empty when someone else holds it: another process, or another thread of this one (also
   * through another ZoneStore on the same directory). The lock is not reentrant: a thread that
   * holds it and asks again gets empty. The OS releases it when the process dies, however it dies.
   * Creates the state directory when it is missing.
   *
   * <p>While this process holds the lock, nothing in it may open sync.lock (not even to read the
   * holder's pid, which the file shows): POSIX record locks belong to the process and closing any
   * descriptor of the file releases them. Read it from another process, or after releasing.
   */
  public Optional<WriterLock> lock(long waitMillis) throws IOException {
    Path root = AtomicFiles.ensureDirectory(dir).toRealPath();
    return SyncLock.acquire(root.resolve(SyncLock.FILE_NAME), waitMillis);
  }

  /** The writer lock; closing releases it (closing twice is harmless). */
  public interface WriterLock extends AutoCloseable {
    @Override
    void close() throws IOException;
  }

  static String zoneFileName(long serial) {
    return "root.zone." + serial;
  }

  // --- writing ---------------------------------------------------------------------------------

  @FunctionalInterface
  interface Write<T> {
    T run(Path root) throws IOException;
  }

  /**
   * Runs a write under this JVM's mutex for the directory and the writer lock (see class doc);
   * {@code write} is given the state directory's real path. Also for the other files kept there.
   */
  <T> T writing(Write<T> write) throws IOException {
    Path root = AtomicFiles.ensureDirectory(dir).toRealPath();
    Path lockFile = root.resolve(SyncLock.FILE_NAME);
    ReentrantLock mutex = WRITE_MUTEXES.computeIfAbsent(root, k -> new ReentrantLock());
    mutex.lock();
    try {
      if (SyncLock.heldByThisProcess(lockFile)) {
        return write.run(root);
      }
      Optional<WriterLock> lock = SyncLock.acquire(lockFile, writeLockWaitMillis);
      if (lock.isEmpty()) {
        throw new IOException("cannot write to " + root + ": " + lockFile
            + " is held by another writer (waited " + writeLockWaitMillis + " ms)");
      }
      try {
        return write.run(root);
      } finally {
        lock.get().close();
      }
    } finally {
      mutex.unlock();
    }
  }

  private static ZoneMetadata complete(ZoneMetadata m, String sha256) {
    Objects.requireNonNull(m, "metadata");
    if (m.serial() < 0 || m.serial() > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("serial is not a 32-bit unsigned number: " + m.serial());
    }
    Objects.requireNonNull(m.source(), "metadata.source");
    Objects.requireNonNull(m.fetchedAt(), "metadata.fetchedAt");
    Objects.requireNonNull(m.validation(), "metadata.validation");
    Objects.requireNonNull(m.earliestExpiry(), "metadata.earliestExpiry");
    if (m.sha256() != null && !m.sha256().equalsIgnoreCase(sha256)) {
      throw new IllegalArgumentException("metadata.sha256 " + m.sha256() + " is not the text's: " + sha256);
    }
    return new ZoneMetadata(m.serial(), m.source(), sha256, m.fetchedAt(), m.validation(), m.earliestExpiry(),
        m.zonemdVerified(), m.etag(), m.modified(), m.anchors());
  }

  /**
   * Before a write, under the lock: completes a save interrupted between its two renames (see
   * {@link VersionWriter}) and removes crashed writers' temporary files. Problems are logged, not
   * thrown: leftovers never stop a new version from being stored.
   */
  private void recover(Path zones) {
    try {
      for (Candidate c : survey(zones).candidates().values()) {
        if (judge(c) instanceof Good g && g.pendingMeta() != null) {
          AtomicFiles.commit(g.pendingMeta(), zones.resolve(zoneFileName(c.serial) + META_SUFFIX));
          LOG.log(Level.INFO, "completed the interrupted save of {0}", c.zone);
        }
      }
      removeStaleTemps(zones);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not tidy " + zones + " before writing: " + e.getMessage(), e);
    }
  }

  /**
   * Removes temporary files left by writers that are gone. Called only under the writer lock and
   * this JVM's mutex, so no save of ours is in progress; a file of another live process is left
   * alone unless it is old (its writer ignored the lock, or its process id has been reused).
   */
  static void removeStaleTemps(Path dir) throws IOException {
    long self = ProcessHandle.current().pid();
    Instant tooOld = Instant.now().minus(STALE_TEMP_AGE);
    boolean removed = false;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".*.tmp")) {
      for (Path p : entries) {
        Optional<AtomicFiles.Temp> temp = AtomicFiles.parseTemp(p.getFileName().toString());
        if (temp.isEmpty()) {
          continue; // not ours
        }
        long pid = temp.get().pid();
        boolean stale = pid == self || pid <= 0
            || ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)
            || modified(p).isBefore(tooOld);
        if (stale && AtomicFiles.delete(p)) {
          removed = true;
          LOG.log(Level.INFO, "removed {0}, left by an interrupted write", p);
        }
      }
    } catch (IOException e) {
      throw AtomicFiles.failure("cannot clean", dir, e);
    }
    if (removed) {
      AtomicFiles.forceDirectory(dir);
    }
  }

  /**
   * After a save, under the lock: keeps {@code saved} and the newest others up to {@value #KEEP},
   * and removes older versions and unusable leftovers. Each .meta goes before its zone file, so a
   * crash midway never leaves a .meta whose zone is gone. Problems are logged, not thrown: the new
   * version is stored by now.
   */
  private void prune(Path zones, long saved) {
    try {
      Survey survey = survey(zones);
      List<StoredZone> good = new ArrayList<>();
      List<Candidate> unusable = new ArrayList<>();
      for (Candidate c : survey.candidates().values()) {
        switch (judge(c)) {
          case Good g -> good.add(g.zone());
          case Bad b -> {
            if (b.removable()) {
              LOG.log(Level.WARNING, "removing an unusable version: {0}", b.problem());
              unusable.add(c);
            } else {
              LOG.log(Level.WARNING, b.problem());
            }
          }
          case Gone g -> { }
        }
      }
      good.sort(NEWEST_FIRST);
      List<Path> remove = new ArrayList<>();
      int kept = 0;
      for (StoredZone z : good) {
        boolean keep = z.metadata().serial() == saved || kept < KEEP - 1;
        if (keep && z.metadata().serial() != saved) {
          kept++;
        }
        if (!keep) {
          remove.add(z.file().resolveSibling(z.file().getFileName() + META_SUFFIX));
          remove.add(z.file());
        }
      }
      for (Candidate c : unusable) {
        if (c.meta != null) {
          remove.add(c.meta);
        }
        if (c.zone != null) {
          remove.add(c.zone);
        }
      }
      for (Path p : remove) {
        AtomicFiles.delete(p);
      }
      if (!remove.isEmpty()) {
        AtomicFiles.forceDirectory(zones);
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not prune " + zones + ": " + e.getMessage(), e);
    }
  }

  private static Instant modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toInstant();
    } catch (IOException e) {
      return Instant.now(); // gone or unreadable: not old
    }
  }

  // --- reading ---------------------------------------------------------------------------------

  /** The files in zones/ that belong to one serial. */
  private static final class Candidate {
    final long serial;
    Path zone;
    Path meta;
    final List<Path> metaTemps = new ArrayList<>();

    Candidate(long serial) {
      this.serial = serial;
    }
  }

  private record Survey(Map<Long, Candidate> candidates) {}

  /** What one candidate is: a usable version, something to warn about, or nothing (pruned meanwhile). */
  private sealed interface Judgement permits Good, Bad, Gone {}

  /** @param pendingMeta when not null, the complete metadata of an interrupted save, still a temporary file */
  private record Good(StoredZone zone, Path pendingMeta) implements Judgement {}

  /** @param removable whether a writer may delete it (its content is wrong, not merely unreadable now) */
  private record Bad(String problem, boolean removable) implements Judgement {}

  private record Gone() implements Judgement {}

  private static Survey survey(Path zones) throws IOException {
    Map<Long, Candidate> candidates = new TreeMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(zones)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        Matcher m = STORED_NAME.matcher(name);
        if (m.matches()) {
          long serial = Long.parseLong(m.group(1));
          if (serial > 0xFFFF_FFFFL) {
            continue;
          }
          Candidate c = candidates.computeIfAbsent(serial, Candidate::new);
          if (m.group(2) == null) {
            c.zone = p;
          } else {
            c.meta = p;
          }
          continue;
        }
        Optional<AtomicFiles.Temp> temp = AtomicFiles.parseTemp(name);
        if (temp.isPresent()) {
          Matcher t = STORED_NAME.matcher(temp.get().target());
          if (t.matches() && t.group(2) != null) {
            long serial = Long.parseLong(t.group(1));
            if (serial <= 0xFFFF_FFFFL) {
              candidates.computeIfAbsent(serial, Candidate::new).metaTemps.add(p);
            }
          }
        }
      }
    } catch (IOException e) {
      throw AtomicFiles.failure("cannot list", zones, e);
    }
    return new Survey(candidates);
  }

  /**
   * Judges a candidate. A mismatch is looked at twice: a reader in another process may have
   * listed the directory just before a writer renamed the new zone and its .meta into place.
   */
  private static Judgement judge(Candidate c) {
    Judgement first = judgeOnce(c);
    return first instanceof Bad b && b.removable() ? judgeOnce(c) : first;
  }

  private static Judgement judgeOnce(Candidate c) {
    String name = zoneFileName(c.serial);
    if (c.zone == null) {
      return c.meta == null
          ? new Gone() // only temporary files: a save in progress or a crash's leftovers, not a version
          : new Bad(c.meta + " has no zone file beside it", true);
    }
    String actual;
    try {
      actual = Sha256.hex(c.zone);
    } catch (NoSuchFileException e) {
      return new Gone();
    } catch (IOException e) {
      return new Bad("cannot read " + c.zone + " (" + e + ")", false);
    }
    String problem;
    if (c.meta == null) {
      problem = c.zone + " has no " + name + META_SUFFIX + " (a save that did not finish)";
    } else {
      try {
        ZoneMetadata m = readMeta(c.meta, c.serial);
        if (m.sha256().equals(actual)) {
          return new Good(new StoredZone(c.zone, m), null);
        }
        problem = c.meta + " gives sha256 " + m.sha256() + " but " + name + " has " + actual;
      } catch (NoSuchFileException e) {
        return new Gone();
      } catch (MetadataFile.BadMetadataException e) {
        problem = c.meta + ": " + e.getMessage();
      } catch (IOException e) {
        return new Bad("cannot read " + c.meta + " (" + e + ")", false);
      }
    }
    // only a replacement rolls forward: for a new serial the .meta's rename is the commit, and a
    // zone file without it was never stored (see VersionWriter)
    for (Path temp : c.meta == null ? List.<Path>of() : c.metaTemps) {
      try {
        ZoneMetadata m = readMeta(temp, c.serial);
        if (m.sha256().equals(actual)) {
          return new Good(new StoredZone(c.zone, m), temp);
        }
      } catch (IOException | MetadataFile.BadMetadataException e) {
        // being written, or cut short by a crash: not a commit record
      }
    }
    return new Bad(problem, true);
  }

  private static ZoneMetadata readMeta(Path file, long serial) throws IOException, MetadataFile.BadMetadataException {
    if (Files.size(file) > MAX_META_BYTES) {
      throw new MetadataFile.BadMetadataException("larger than " + MAX_META_BYTES + " bytes: not a metadata file");
    }
    ZoneMetadata m = MetadataFile.parse(Files.readAllBytes(file));
    if (m.serial() != serial) {
      throw new MetadataFile.BadMetadataException("serial " + m.serial() + " does not match the file name");
    }
    return m;
  }
}
