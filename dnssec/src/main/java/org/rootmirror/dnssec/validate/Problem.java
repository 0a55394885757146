package org.rootmirror.dnssec.validate;

import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * One thing wrong with a zone: where (owner and type), with which key (key tag, or -1), why, and
 * details. Errors make the zone invalid; warnings are reported but do not.
 */
public record Problem(Severity severity, Name owner, int type, int keyTag, Reason reason, String detail) {
  /** Whether a problem rejects the zone. */
  public enum Severity {
    ERROR,
    WARNING
  }

  static Problem error(Name owner, int type, int keyTag, Reason reason, String detail) {
    return new Problem(Severity.ERROR, owner, type, keyTag, reason, detail);
  }

  static Problem error(Name owner, int type, Reason reason, String detail) {
    return error(owner, type, -1, reason, detail);
  }

  static Problem warning(Name owner, int type, Reason reason, String detail) {
    return new Problem(Severity.WARNING, owner, type, -1, reason, detail);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** e.g. {@code error: com. DS key 57780: expired (expired 2026-08-13T20:00:00Z, validating at ...)} */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(severity.name().toLowerCase(java.util.Locale.ROOT)).append(": ");
    sb.append(owner);
    if (type > 0) {
      sb.append(' ').append(Type.string(type));
    }
    if (keyTag >= 0) {
      sb.append(" key ").append(keyTag);
    }
    sb.append(": ").append(reason.label());
    if (detail != null && !detail.isEmpty()) {
      sb.append(" (").append(detail).append(')');
    }
    return sb.toString();
  }
}
