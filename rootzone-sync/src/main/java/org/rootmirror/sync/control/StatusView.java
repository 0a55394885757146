package org.rootmirror.sync.control;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rootmirror.sync.accept.SyncRunning;
import org.rootmirror.sync.accept.SyncStatus;
import org.rootmirror.sync.store.ZoneMetadata;

/**
 * What {@code rootmirror status} shows: serial, source, age, validation, earliest signature
 * expiry, the sync under way, next check, last result and last error (one line per source), and
 * while no zone is served what that means; as aligned text or as one JSON object. Its {@link
 * #exitCode}: 0 a valid zone is served, 1 none is.
 *
 * @param zone metadata of the zone served (or, without a daemon, stored); null when none
 * @param serving whether the zone is being served now (false: expired, or no daemon)
 * @param running the sync under way, or null
 * @param message one line for the operator (why nothing is served and what to check), or null
 */
public record StatusView(ZoneMetadata zone, boolean serving, SyncStatus sync, SyncRunning running, Instant nextCheck,
    Instant now, String message) {

  /** The view of a zone and nothing else (no daemon's state): no sync, no timer. */
  public static StatusView stored(ZoneMetadata zone, Instant now, String message) {
    return new StatusView(zone, false, null, null, null, now, message);
  }

  /** The fields in display order; absent values are null; {@code last_error} is a list of lines. */
  public Map<String, Object> fields() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("serving", serving);
    f.put("serial", zone == null ? null : zone.serial());
    f.put("source", zone == null ? null : zone.source().toString());
    f.put("fetched", zone == null ? null : zone.fetchedAt());
    f.put("age_seconds", zone == null ? null : Duration.between(zone.fetchedAt(), now).toSeconds());
    f.put("validation", zone == null ? null : zone.validation());
    f.put("earliest_signature_expiry", zone == null ? null : zone.earliestExpiry());
    f.put("syncing_since", running == null ? null : running.since());
    f.put("syncing_from", running == null || running.source() == null ? null : running.source().toString());
    // while a sync runs the next check follows it; a check due is shown as now, never in the past
    f.put("next_check", running != null || nextCheck == null ? null : nextCheck.isBefore(now) ? now : nextCheck);
    f.put("last_result", sync == null || sync.last() == null ? null : sync.last().describe());
    f.put("last_success", sync == null ? null : sync.lastSuccess());
    f.put("last_error", sync == null || sync.lastError().isEmpty() ? null : sync.lastError());
    f.put("message", message);
    return f;
  }

  /** 0 when a valid zone is served, 1 when none is: the exit status of {@code rootmirror status}. */
  public int exitCode() {
    return serving ? 0 : 1;
  }

  public String text() {
    StringBuilder sb = new StringBuilder();
    fields().forEach((k, v) -> {
      String key = String.format("%-26s ", k.replace('_', ' ') + ":");
      if (v instanceof List<?> lines) {
        for (int i = 0; i < lines.size(); i++) {
          sb.append(i == 0 ? key : " ".repeat(key.length())).append(lines.get(i)).append('\n');
        }
      } else if (!k.equals("message") || v != null) {
        sb.append(key).append(v == null ? "-" : v).append('\n');
      }
    });
    return sb.toString();
  }

  public String json() {
    return Json.object(fields());
  }
}
