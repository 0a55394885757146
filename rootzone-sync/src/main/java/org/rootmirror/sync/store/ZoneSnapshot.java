package org.rootmirror.sync.store;

import org.rootmirror.dnssec.validate.ValidationReport;
import org.rootmirror.dnssec.zone.Zone;

/** A validated zone as published: immutable, replaced whole, never modified. */
public record ZoneSnapshot(Zone zone, ZoneMetadata metadata, ValidationReport report) {
  public long serial() {
    return metadata.serial();
  }
}
