package org.rootmirror.sync.changes;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.rootmirror.sync.store.ChangeLog;
import org.rootmirror.sync.store.StoredZone;
import org.rootmirror.sync.store.ZoneMetadata;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.rootmirror.sync.store.ZoneStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * ChangeRecorder -- at each version the sync publishes, compares it with the version held before
 * and adds the difference to the state directory's {@link ChangeLog}, once per serial; counts it
 * for metrics. Called by the sync under the writer lock, after the new version is stored.
 *
 * <p>The first version ever has nothing to compare with: it gets a line that says so, and says how
 * many TLDs it has, so that the log shows where its record starts (and {@code rootmirror changes}
 * can tell "nothing changed yet" from "nothing was ever recorded").
 */
public final class ChangeRecorder {
  private static final Logger log = LoggerFactory.getLogger(ChangeRecorder.class);

  private final ZoneStore store;
  private final ChangeLog changes;
  private final ChangeCounters counters = new ChangeCounters();

  public ChangeRecorder(ZoneStore store) {
    this.store = store;
    this.changes = new ChangeLog(store);
  }

  public ChangeCounters counters() {
    return counters;
  }

  /**
   * Records what {@code published} changed from the version held before it.
   *
   * @param held the metadata of the version held before, or null when there was none
   * @param heldZone that version's zone when it is in memory (it was being served), else null: then
   *     it is read from the store
   * @return the entry added, or empty when the log has the serial already
   * @throws IOException when the log cannot be read or written
   */
  public Optional<ChangeEntry> record(ZoneMetadata held, Zone heldZone, ZoneSnapshot published) throws IOException {
    long serial = published.serial();
    if (changes.read().holds(serial)) {
      return Optional.empty(); // published again (a forced fetch, or back to an older serial): recorded at its first publication
    }
    Zone after = published.zone();
    ZoneMetadata meta = published.metadata();
    int tlds = ZoneComparison.delegationCount(after);
    ChangeEntry entry;
    if (held == null) {
      entry = ChangeEntry.start(serial, meta.fetchedAt(), tlds, "the first version recorded: changes are recorded from the next serial");
    } else if (held.serial() == serial) {
      entry = ChangeEntry.start(serial, meta.fetchedAt(), tlds, "fetched again in place of the same serial: nothing to compare with");
    } else {
      Zone before = heldZone;
      String why = null;
      if (before == null) {
        try {
          before = stored(held).orElse(null);
          why = before == null ? "it is no longer stored" : null;
        } catch (IOException e) {
          why = e.getMessage();
        }
      }
      entry = before == null
          ? ChangeEntry.start(serial, meta.fetchedAt(), tlds, "the version before it (" + held.serial() + ") could not be read (" + why
              + "): changes are recorded from the next serial")
          : new ChangeEntry(serial, held.serial(), meta.fetchedAt(), tlds, ZoneComparison.between(before, after), null);
    }
    if (!changes.append(serial, ChangesJson.write(entry))) {
      return Optional.empty();
    }
    if (!entry.isStart()) {
      counters.count(entry.difference());
    }
    log.info("recorded what {} changed: {}", serial, ChangesText.lines(entry).get(0));
    return Optional.of(entry);
  }

  /**
   * The held version read back from the store: a sync run without the daemon has not read it (a
   * {@code refresh} with none running), and an expired zone is no longer served. It was validated
   * when stored, and the store checks its sha256; it is only compared here.
   */
  private Optional<Zone> stored(ZoneMetadata held) throws IOException {
    for (StoredZone z : store.versions()) {
      if (z.metadata().serial() == held.serial() && Objects.equals(z.metadata().sha256(), held.sha256())) {
        return Optional.of(ZoneFile.read(z.file(), Name.root));
      }
    }
    return Optional.empty();
  }
}
