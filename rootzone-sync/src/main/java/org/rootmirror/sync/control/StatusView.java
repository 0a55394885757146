package org.rootmirror.sync.control;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.rootmirror.sync.accept.SyncStatus;
import org.rootmirror.sync.store.ZoneMetadata;

/**
 * What {@code rootmirror status} shows: serial, source, age, validation, earliest signature
 * expiry, next check, last result and last error, as aligned text or as one JSON object.
 *
 * @param zone metadata of the zone served (or, without a daemon, stored); null when none
 * @param serving whether the zone is being served now (false: expired, or no daemon)
 */
public record StatusView(ZoneMetadata zone, boolean serving, SyncStatus sync, Instant nextCheck, Instant now) {

  /** The fields in display order; absent values are null. */
  public Map<String, Object> fields() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("serving", serving);
    f.put("serial", zone == null ? null : zone.serial());
    f.put("source", zone == null ? null : zone.source().toString());
    f.put("fetched", zone == null ? null : zone.fetchedAt());
    f.put("age_seconds", zone == null ? null : Duration.between(zone.fetchedAt(), now).toSeconds());
    f.put("validation", zone == null ? null : zone.validation());
    f.put("earliest_signature_expiry", zone == null ? null : zone.earliestExpiry());
    f.put("next_check", nextCheck);
    f.put("last_result", sync == null || sync.last() == null ? null : sync.last().describe());
    f.put("last_success", sync == null ? null : sync.lastSuccess());
    f.put("last_error", sync == null ? null : sync.lastError());
    return f;
  }

  public String text() {
    StringBuilder sb = new StringBuilder();
    fields().forEach((k, v) -> sb.append(String.format("%-26s %s%n", k.replace('_', ' ') + ":", v == null ? "-" : v)));
    return sb.toString();
  }

  public String json() {
    StringBuilder sb = new StringBuilder("{");
    fields().forEach((k, v) -> {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append('"').append(k).append("\":");
      if (v == null) {
        sb.append("null");
      } else if (v instanceof Number || v instanceof Boolean) {
        sb.append(v);
      } else {
        sb.append('"').append(escape(v.toString())).append('"');
      }
    });
    return sb.append('}').toString();
  }

  /** RFC 8259 section 7 string escaping. */
  private static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }

}
