package org.rootmirror.sync.accept;

import org.rootmirror.sync.source.Limits;

/**
 * What a sync demands.
 *
 * @param requireZonemd fail zones without a verified ZONEMD even before one has been seen (once a
 *     stored zone had one, it is required anyway: a ZONEMD that disappears is a downgrade)
 * @param requireAgreement how many different sources must report the same SOA serial and ZONEMD
 *     digest before a new serial is accepted (1: the first valid zone is enough)
 * @param limits bounds on each fetch
 */
public record SyncPolicy(boolean requireZonemd, int requireAgreement, Limits limits) {
  public SyncPolicy {
    if (requireAgreement < 1) {
      throw new IllegalArgumentException("require-agreement must be at least 1, not " + requireAgreement);
    }
  }

  public static SyncPolicy defaults() {
    return new SyncPolicy(false, 1, Limits.defaults());
  }
}
