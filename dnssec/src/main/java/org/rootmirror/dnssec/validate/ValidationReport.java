package org.rootmirror.dnssec.validate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.xbill.DNS.Name;

/**
 * What validating a zone found: every problem, what was checked, the ZONEMD outcome, the earliest
 * expiration among the signatures that verified (when the zone stops being valid), and the time
 * taken.
 */
public record ValidationReport(
    Name origin,
    long serial,
    Instant validationTime,
    List<Problem> problems,
    Counts counts,
    Zonemd zonemd,
    Instant earliestExpiry,
    Duration elapsed) {

  /** How many of each thing were checked. */
  public record Counts(int records, int rrsets, int delegations, int glue, int nsec, int signaturesVerified) {}

  /** The ZONEMD outcome (RFC 8976 section 4): the state and which scheme and hash it refers to. */
  public record Zonemd(State state, String detail) {
    public enum State {
      /** A supported ZONEMD record matched the zone. */
      VERIFIED,
      /** The zone has no ZONEMD record. */
      ABSENT,
      /** ZONEMD records exist but none has a supported scheme and hash. */
      UNSUPPORTED,
      /** A supported ZONEMD record did not match, or the RRset is malformed. */
      FAILED
    }

    @Override
    public String toString() {
      return state.name().toLowerCase(java.util.Locale.ROOT) + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
  }

  public ValidationReport {
    problems = List.copyOf(problems);
  }

  /** True when no problem is an error. */
  public boolean valid() {
    return problems.stream().noneMatch(Problem::isError);
  }

  public List<Problem> errors() {
    return problems.stream().filter(Problem::isError).toList();
  }

  public List<Problem> warnings() {
    return problems.stream().filter(p -> !p.isError()).toList();
  }

  /** True when the zone's keys are not vouched for by a trust anchor, so no signature counts. */
  public boolean untrusted() {
    return errors().stream().anyMatch(p -> p.reason() == Reason.NO_TRUST_ANCHOR || p.reason() == Reason.NO_TRUSTED_KEY
        || p.reason() == Reason.DNSKEY_NOT_SIGNED_BY_ANCHOR);
  }

  /** One line for operators, e.g. {@code valid: . serial 2026073102, 22877 records, ...}. */
  public String summary() {
    StringBuilder sb = new StringBuilder(valid() ? "valid: " : "invalid: ");
    sb.append(origin).append(" serial ").append(serial);
    if (!valid()) {
      List<Problem> errors = errors();
      sb.append(", ").append(errors.size()).append(errors.size() == 1 ? " error" : " errors");
      sb.append(", first: ").append(errors.get(0));
    }
    sb.append(", ").append(counts.records()).append(" records, ")
        .append(counts.delegations()).append(" delegations, ");
    // signatures made by keys no anchor vouches for prove nothing: no count beside "no trusted key"
    if (untrusted()) {
      sb.append("no signature trusted");
    } else {
      sb.append(counts.signaturesVerified()).append(" signatures verified");
    }
    sb.append(", ZONEMD ").append(zonemd);
    if (earliestExpiry != null) {
      sb.append(", earliest signature expiry ").append(earliestExpiry);
    }
    int warnings = warnings().size();
    if (warnings > 0) {
      sb.append(", ").append(warnings).append(warnings == 1 ? " warning" : " warnings");
    }
    sb.append(String.format(java.util.Locale.ROOT, ", %.3f s", elapsed.toNanos() / 1e9));
    return sb.toString();
  }
}
