package org.rootmirror.resolver.iterate;

import java.time.Instant;
import java.util.Objects;
import org.rootmirror.dnssec.zone.ZoneLookup;

/**
 * The local, validated copy of the root zone (RFC 8806) as the iterator uses it: answers come from
 * {@code lookup} in process, with no packet sent, while the copy is valid.
 *
 * @param validUntil when the copy stops being usable: its earliest signature expiry, or its SOA
 *     expire timer since the last successful refresh, whichever comes first
 */
public record RootCopy(ZoneLookup lookup, long serial, Instant validUntil) {
  public RootCopy {
    Objects.requireNonNull(lookup, "lookup");
    Objects.requireNonNull(validUntil, "validUntil");
  }

  public boolean validAt(Instant now) {
    return now.isBefore(validUntil);
  }
}
