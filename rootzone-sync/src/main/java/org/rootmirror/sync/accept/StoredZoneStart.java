package org.rootmirror.sync.accept;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.rootmirror.dnssec.validate.ValidationReport;
import org.rootmirror.dnssec.validate.ZoneValidator;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.StoredZone;
import org.rootmirror.sync.store.ZoneMetadata;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.rootmirror.sync.store.ZoneStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * Publishes the newest stored zone that may still be served, without the network. A version whose
 * file still has the SHA-256 recorded when it was validated, validated under the same trust
 * anchors, and whose earliest signature expiry is still ahead, is the very zone that passed every
 * check: it is published at once, so that the first answer needs no signature checks, and is
 * validated again in the background, withdrawn if that fails. Any other version (different
 * anchors, a metadata file from before anchors were recorded) is validated before it is published.
 */
final class StoredZoneStart {
  private static final Logger log = LoggerFactory.getLogger(StoredZoneStart.class);

  private final ZoneStore store;
  private final PublishedZone published;
  private final String anchors;
  private final Function<Boolean, ZoneValidator> validators;
  private final Clock clock;

  /**
   * @param anchors the fingerprint of the trust anchors in force
   * @param validators a validator, given whether a ZONEMD must be there
   */
  StoredZoneStart(ZoneStore store, PublishedZone published, String anchors, Function<Boolean, ZoneValidator> validators, Clock clock) {
    this.store = store;
    this.published = published;
    this.anchors = anchors;
    this.validators = validators;
    this.clock = clock;
  }

  Optional<ZoneSnapshot> load() throws IOException {
    for (StoredZone stored : store.versions()) {
      ZoneMetadata meta = stored.metadata();
      try {
        // read() checks the file against its recorded SHA-256
        Zone zone = ZoneFile.parse(stored.read(), stored.file().toString(), Name.root);
        if (anchors.equals(meta.anchors()) && clock.instant().isBefore(meta.earliestExpiry())) {
          ZoneSnapshot snapshot = new ZoneSnapshot(zone, meta, asStored(zone, meta));
          published.publish(snapshot);
          log.info("serving stored zone {} from {}: unchanged since it was validated at {} with the same trust anchors; "
              + "validating it again in the background", meta.serial(), stored.file(), meta.fetchedAt());
          Thread.ofVirtual().name("revalidate-stored").start(() -> revalidate(snapshot, stored));
          return Optional.of(snapshot);
        }
        ValidationReport report = validators.apply(meta.zonemdVerified()).validate(zone, clock.instant());
        if (report.valid()) {
          ZoneSnapshot snapshot = new ZoneSnapshot(zone, meta, report);
          published.publish(snapshot);
          log.info("serving stored zone {} from {}: {}", meta.serial(), stored.file(), report.summary());
          return Optional.of(snapshot);
        }
        log.warn("stored zone {} is no longer valid: {}", stored.file(), report.summary());
      } catch (IOException e) {
        log.warn("stored zone {} cannot be read: {}", stored.file(), e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** The full checks again; a zone that fails them stops being served at once. */
  private void revalidate(ZoneSnapshot snapshot, StoredZone stored) {
    ValidationReport report = validators.apply(snapshot.metadata().zonemdVerified()).validate(snapshot.zone(), clock.instant());
    if (report.valid()) {
      log.info("stored zone {} validated again: {}", snapshot.metadata().serial(), report.summary());
      return;
    }
    if (published.current().filter(current -> current == snapshot).isPresent()) {
      published.withdraw();
    }
    log.error("stored zone {} from {} failed validation and is no longer served: {}", snapshot.metadata().serial(), stored.file(),
        report.summary());
  }

  /**
   * The report of a zone served as stored: its checks were made when it was stored; its expiry is
   * the one recorded then.
   */
  private ValidationReport asStored(Zone zone, ZoneMetadata meta) {
    ValidationReport.Zonemd zonemd = new ValidationReport.Zonemd(
        meta.zonemdVerified() ? ValidationReport.Zonemd.State.VERIFIED : ValidationReport.Zonemd.State.ABSENT, "when stored");
    return new ValidationReport(Name.root, meta.serial(), clock.instant(), List.of(),
        new ValidationReport.Counts(zone.records().size(), 0, 0, 0, 0, 0), zonemd, meta.earliestExpiry(), Duration.ZERO);
  }
}
