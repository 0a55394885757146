package org.rootmirror.dnssec.rollover;

/**
 * The states of a tracked key (RFC 5011 section 4). Start is not one: a key in it is not tracked
 * at all. VALID and MISSING keys are trust anchors; the others are not.
 */
public enum KeyState {
  /** Seen in a validated DNSKEY RRset, waiting out the add hold-down (section 2.4.1). */
  ADD_PEND,
  /** A trust anchor. */
  VALID,
  /** A trust anchor no longer in the DNSKEY RRset: "an abnormal state" (section 4); it stays trusted. */
  MISSING,
  /** Revoked by a self-signed DNSKEY RRset with the REVOKE bit (section 2.1): never trusted again. */
  REVOKED,
  /** Revoked past the remove hold-down (section 2.4.2), or missing past the keep-missing time. */
  REMOVED;

  /** Whether a key in this state is a trust anchor. */
  public boolean trusted() {
    return this == VALID || this == MISSING;
  }

  /** The name in the state file and in {@code anchor status}: AddPend, Valid, ... as RFC 5011 writes them. */
  public String label() {
    return switch (this) {
      case ADD_PEND -> "AddPend";
      case VALID -> "Valid";
      case MISSING -> "Missing";
      case REVOKED -> "Revoked";
      case REMOVED -> "Removed";
    };
  }

  /** The state a label names, any case. */
  public static KeyState ofLabel(String label) {
    for (KeyState s : values()) {
      if (s.label().equalsIgnoreCase(label)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown key state \"" + label + "\" (known: AddPend, Valid, Missing, Revoked, Removed)");
  }
}
