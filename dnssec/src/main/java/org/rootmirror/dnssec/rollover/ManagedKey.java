package org.rootmirror.dnssec.rollover;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.xbill.DNS.DNSKEYRecord;

/**
 * One tracked key: the DNSKEY as last seen (with the REVOKE bit once revoked), its state, when it
 * was first seen, when its state last changed, and when it was last seen in a validated RRset.
 */
public record ManagedKey(DNSKEYRecord key, KeyState state, Instant firstSeen, Instant changed, Instant lastSeen) {
  public ManagedKey {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(firstSeen, "firstSeen");
    Objects.requireNonNull(changed, "changed");
    Objects.requireNonNull(lastSeen, "lastSeen");
  }

  /** The key tag as the key is now (a revoked key's tag differs: the flags are in it). */
  public int keyTag() {
    return key.getFootprint();
  }

  public int algorithm() {
    return key.getAlgorithm();
  }

  public boolean revokedFlag() {
    return (key.getFlags() & DNSKEYRecord.Flags.REVOKE) != 0;
  }

  /** Whether {@code other} is this key, REVOKE bit or not: the same algorithm and public key. */
  public boolean sameKey(DNSKEYRecord other) {
    return other.getAlgorithm() == key.getAlgorithm() && other.getName().equals(key.getName())
        && Arrays.equals(other.getKey(), key.getKey());
  }

  ManagedKey to(KeyState next, DNSKEYRecord asSeen, Instant now) {
    return new ManagedKey(asSeen, next, firstSeen, now, lastSeen);
  }

  ManagedKey seen(DNSKEYRecord asSeen, Instant now) {
    return new ManagedKey(asSeen, state, firstSeen, changed, now);
  }
}
