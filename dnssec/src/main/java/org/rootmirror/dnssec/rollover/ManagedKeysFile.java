package org.rootmirror.dnssec.rollover;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rootmirror.dnssec.anchor.TrustAnchor;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The text form of {@link ManagedKeys}, as Unbound's auto-trust-anchor-file keeps it: one DNSKEY
 * per line in zone-file format with its state in a comment, then the seed's anchors, so that the
 * file alone says what is trusted and why:
 *
 * <pre>
 * ; rootmirror trust anchors, tracked by RFC 5011: see `rootmirror anchor status`
 * . 172800 IN DNSKEY 257 3 8 AwEAAa... ;state=Valid first-seen=2026-12-08T10:00:00Z changed=... last-seen=...
 * ;seed . IN DS 20326 8 2 E06D44B8... valid-from=2017-02-02T00:00:00Z
 * </pre>
 *
 * Pure: text in, text out.
 */
public final class ManagedKeysFile {
  private static final String HEADER = "; rootmirror trust anchors, tracked by RFC 5011 (rootmirror anchor status shows them)";
  private static final String SEED = ";seed ";

  private ManagedKeysFile() {}

  public static String format(ManagedKeys keys) {
    StringBuilder out = new StringBuilder(HEADER).append('\n');
    for (ManagedKey k : keys.keys()) {
      out.append(k.key()).append(" ;state=").append(k.state().label())
          .append(" first-seen=").append(k.firstSeen())
          .append(" changed=").append(k.changed())
          .append(" last-seen=").append(k.lastSeen()).append('\n');
    }
    for (TrustAnchor a : keys.seed().all()) {
      out.append(SEED).append(a.record())
          .append(a.validFrom().equals(Instant.MIN) ? "" : " valid-from=" + a.validFrom())
          .append(a.validUntil() == null ? "" : " valid-until=" + a.validUntil()).append('\n');
    }
    return out.toString();
  }

  /**
   * Reads what {@link #format} wrote.
   *
   * @throws IllegalArgumentException naming {@code source} and the line of the first problem
   */
  public static ManagedKeys parse(String text, String source, Name zone) {
    List<ManagedKey> keys = new ArrayList<>();
    List<TrustAnchor> seed = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      String at = source + ":" + (i + 1) + ": ";
      try {
        if (line.startsWith(SEED)) {
          Fields f = Fields.split(line.substring(SEED.length()), " valid-");
          Record record = single(f.record(), source);
          Map<String, String> v = f.values();
          seed.add(new TrustAnchor(record, instant(v.get("from")), v.containsKey("until") ? instant(v.get("until")) : null));
        } else if (!line.isEmpty() && !line.startsWith(";")) {
          Fields f = Fields.split(line, " ;");
          if (!(single(f.record(), source) instanceof DNSKEYRecord key)) {
            throw new IllegalArgumentException("not a DNSKEY record");
          }
          Map<String, String> v = f.values();
          keys.add(new ManagedKey(key, KeyState.ofLabel(required(v, "state")), Instant.parse(required(v, "first-seen")),
              Instant.parse(required(v, "changed")), Instant.parse(required(v, "last-seen"))));
        }
      } catch (IllegalArgumentException | DateTimeParseException e) {
        throw new IllegalArgumentException(at + e.getMessage(), e);
      }
    }
    return ManagedKeys.restored(zone, TrustAnchors.of(seed), keys);
  }

  /** A record, then {@code key=value} words after {@code marker}. */
  private record Fields(String record, Map<String, String> values) {
    static Fields split(String line, String marker) {
      int cut = line.indexOf(marker);
      String record = cut < 0 ? line : line.substring(0, cut);
      Map<String, String> values = new HashMap<>();
      if (cut >= 0) {
        String rest = line.substring(cut + marker.length());
        // " valid-from=X valid-until=Y" or " ;state=S first-seen=X ..."
        for (String word : (marker.startsWith(" valid-") ? "valid-" + rest : rest).split("\\s+")) {
          int eq = word.indexOf('=');
          if (eq > 0) {
            String key = word.substring(0, eq).replaceFirst("^valid-", "");
            values.put(key, word.substring(eq + 1));
          }
        }
      }
      return new Fields(record.strip(), values);
    }
  }

  private static Record single(String text, String source) {
    List<TrustAnchor> parsed = TrustAnchors.parseZoneFormat(text, source).all();
    if (parsed.size() != 1) {
      throw new IllegalArgumentException("expected one DS or DNSKEY record, found " + parsed.size());
    }
    return parsed.get(0).record();
  }

  private static String required(Map<String, String> values, String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("no " + key + "=");
    }
    return v;
  }

  private static Instant instant(String text) {
    return text == null ? Instant.MIN : Instant.parse(text);
  }
}
