package org.rootmirror.sync.control;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rootmirror.dnssec.anchor.TrustAnchor;
import org.rootmirror.dnssec.rollover.ManagedKey;
import org.rootmirror.dnssec.rollover.ManagedKeys;
import org.xbill.DNS.Type;

/**
 * What {@code rootmirror anchor status} says of the root's trust anchors: every tracked key with
 * its tag, algorithm, RFC 5011 state, when it was first seen, last changed state, last seen, and
 * when time alone changes its state; or, before the first zone is accepted, the anchors the state
 * will grow from.
 */
public record AnchorView(Path file, ManagedKeys keys) {
  /** The fields, in order, for {@code --json}. */
  public Map<String, Object> fields() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("state_file", file.toString());
    f.put("tracking", keys.started());
    f.put("trusted", keys.trusted().all().size());
    List<Object> list = new ArrayList<>();
    if (keys.started()) {
      for (ManagedKey k : keys.keys()) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("key_tag", k.keyTag());
        key.put("algorithm", k.algorithm());
        key.put("state", k.state().label());
        key.put("first_seen", k.firstSeen().toString());
        key.put("changed", k.changed().toString());
        key.put("last_seen", k.lastSeen().toString());
        Instant due = ManagedKeys.due(k, k.key().getTTL());
        key.put("next_change", due == null ? null : due.toString());
        list.add(key);
      }
    } else {
      for (TrustAnchor a : keys.trusted().all()) {
        Map<String, Object> seed = new LinkedHashMap<>();
        seed.put("key_tag", a.keyTag());
        seed.put("algorithm", a.algorithm());
        seed.put("state", "Seed");
        list.add(seed);
      }
    }
    f.put("keys", list);
    return f;
  }

  public String json() {
    return Json.object(fields());
  }

  /** One line of summary, then a line per key. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    int trusted = keys.trusted().all().size();
    if (!keys.started()) {
      // the seed is the configured anchors, or those `anchor update` installed since
      sb.append("not tracking yet (no zone accepted since these anchors were configured or installed; state: ").append(file)
          .append("): ").append(trusted).append(trusted == 1 ? " anchor" : " anchors").append(" in force\n");
      for (TrustAnchor a : keys.trusted().all()) {
        sb.append("  key ").append(a.keyTag()).append("  algorithm ").append(a.algorithm()).append("  seed (")
            .append(a.record().getType() == Type.DS ? "DS" : "DNSKEY").append(")\n");
      }
      return sb.toString();
    }
    sb.append(trusted).append(trusted == 1 ? " root key trusted" : " root keys trusted").append(" (RFC 5011, ").append(file).append(")\n");
    for (ManagedKey k : keys.keys()) {
      sb.append(String.format("  key %-5d  algorithm %-2d  %-8s first seen %s  last seen %s", k.keyTag(), k.algorithm(),
          k.state().label(), k.firstSeen().truncatedTo(ChronoUnit.SECONDS), k.lastSeen().truncatedTo(ChronoUnit.SECONDS)));
      Instant due = ManagedKeys.due(k, k.key().getTTL());
      if (due != null) {
        sb.append(switch (k.state()) {
          case ADD_PEND -> "  trusted from " + due.truncatedTo(ChronoUnit.SECONDS) + " if still published";
          case MISSING -> "  removed at " + due.truncatedTo(ChronoUnit.SECONDS) + " unless published again";
          case REVOKED -> "  removed at " + due.truncatedTo(ChronoUnit.SECONDS);
          default -> "";
        });
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
