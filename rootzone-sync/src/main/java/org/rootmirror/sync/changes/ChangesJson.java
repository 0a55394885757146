package org.rootmirror.sync.changes;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.rootmirror.sync.changes.ZoneDifference.Delegation;
import org.rootmirror.sync.changes.ZoneDifference.DelegationChange;
import org.rootmirror.sync.changes.ZoneDifference.RecordChange;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * ChangesJson -- a {@link ChangeEntry} of the root zone as one JSON line and back. The serial comes
 * first, so that the log can be searched by serial without reading the rest:
 *
 * <pre>
 * {"serial":2026073103,"previous":2026073102,"at":"2026-07-31T21:00:00Z","tlds":1438,"note":null,
 *  "dnskey":{"added":[{"tag":38696,"flags":257,"algorithm":8,"rdata":"257 3 8 AwEAAa..."}],"removed":[]},
 *  "tlds_added":[{"name":"example.","ns":["a.nic.example."],"ds":["12345 8 2 0A1B..."],"glue":["a.nic.example. A 192.0.2.1"]}],
 *  "tlds_removed":[...the same...],
 *  "tlds_changed":[{"name":"de.","ns":{"added":[],"removed":[]},"ds":{"added":[...],"removed":[...]},"glue":{...}}]}
 * </pre>
 *
 * (one line in the file). Records are in presentation format (RFC 1035 section 5.1): an NS record
 * by its target, a DS record by its RDATA, a glue record by owner, type and RDATA.
 */
public final class ChangesJson {
  private ChangesJson() {}

  /** The entry as one line of JSON, without the newline. */
  public static String write(ChangeEntry e) {
    StringBuilder sb = new StringBuilder(256);
    sb.append("{\"serial\":").append(e.serial()).append(",\"previous\":").append(e.isStart() ? "null" : e.previous());
    Json.quote(sb.append(",\"at\":"), e.at().toString()).append(",\"tlds\":").append(e.delegations()).append(",\"note\":");
    if (e.note() == null) {
      sb.append("null");
    } else {
      Json.quote(sb, e.note());
    }
    ZoneDifference d = e.difference();
    sb.append(",\"dnskey\":{\"added\":");
    keys(sb, d.dnskey().added()).append(",\"removed\":");
    keys(sb, d.dnskey().removed()).append("},\"tlds_added\":");
    delegations(sb, d.added()).append(",\"tlds_removed\":");
    delegations(sb, d.removed()).append(",\"tlds_changed\":[");
    for (int i = 0; i < d.changed().size(); i++) {
      DelegationChange c = d.changed().get(i);
      Json.quote(sb.append(i == 0 ? "{\"name\":" : ",{\"name\":"), c.name().toString());
      change(sb.append(",\"ns\":"), c.ns(), ChangesJson::ns);
      change(sb.append(",\"ds\":"), c.ds(), Record::rdataToString);
      change(sb.append(",\"glue\":"), c.glue(), ChangesJson::glue).append('}');
    }
    return sb.append("]}").toString();
  }

  /**
   * Reads a line {@link #write} wrote.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static ChangeEntry read(String line) {
    if (!(Json.parse(line) instanceof Map<?, ?> top)) {
      throw new IllegalArgumentException("not a JSON object");
    }
    long serial = serial(top, "serial");
    Object previous = top.get("previous");
    Instant at;
    try {
      at = Instant.parse(string(top, "at"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("\"at\" is not a time: " + top.get("at"));
    }
    int tlds = (int) Math.min(Integer.MAX_VALUE, number(top, "tlds"));
    Object note = top.get("note");
    if (note != null && !(note instanceof String)) {
      throw new IllegalArgumentException("\"note\" is not a string");
    }
    if (previous == null) {
      return ChangeEntry.start(serial, at, tlds, note == null ? "" : (String) note);
    }
    Map<?, ?> dnskey = object(top, "dnskey");
    RecordChange keys = new RecordChange(records(dnskey, "added", Name.root, Type.DNSKEY), records(dnskey, "removed", Name.root, Type.DNSKEY));
    List<DelegationChange> changed = new ArrayList<>();
    for (Object o : list(top, "tlds_changed")) {
      Map<?, ?> c = asObject(o, "tlds_changed");
      Name name = name(string(c, "name"));
      changed.add(new DelegationChange(name, recordChange(c, "ns", name, Type.NS), recordChange(c, "ds", name, Type.DS),
          recordChange(c, "glue", name, Type.A)));
    }
    ZoneDifference difference = new ZoneDifference(keys, delegations(top, "tlds_added"), delegations(top, "tlds_removed"), changed);
    return new ChangeEntry(serial, serial(top, "previous"), at, tlds, difference, (String) note);
  }

  // --- writing ---------------------------------------------------------------------------------

  private static StringBuilder keys(StringBuilder sb, List<Record> keys) {
    sb.append('[');
    for (int i = 0; i < keys.size(); i++) {
      DNSKEYRecord k = (DNSKEYRecord) keys.get(i);
      sb.append(i == 0 ? "" : ",").append("{\"tag\":").append(k.getFootprint()).append(",\"flags\":").append(k.getFlags())
          .append(",\"algorithm\":").append(k.getAlgorithm()).append(",\"rdata\":");
      Json.quote(sb, k.rdataToString()).append('}');
    }
    return sb.append(']');
  }

  private static StringBuilder delegations(StringBuilder sb, List<Delegation> list) {
    sb.append('[');
    for (int i = 0; i < list.size(); i++) {
      Delegation d = list.get(i);
      Json.quote(sb.append(i == 0 ? "{\"name\":" : ",{\"name\":"), d.name().toString());
      strings(sb.append(",\"ns\":"), d.ns(), ChangesJson::ns);
      strings(sb.append(",\"ds\":"), d.ds(), Record::rdataToString);
      strings(sb.append(",\"glue\":"), d.glue(), ChangesJson::glue).append('}');
    }
    return sb.append(']');
  }

  private static StringBuilder change(StringBuilder sb, RecordChange c, Function<Record, String> show) {
    strings(sb.append("{\"added\":"), c.added(), show).append(",\"removed\":");
    return strings(sb, c.removed(), show).append('}');
  }

  private static StringBuilder strings(StringBuilder sb, List<Record> records, Function<Record, String> show) {
    sb.append('[');
    for (int i = 0; i < records.size(); i++) {
      Json.quote(sb.append(i == 0 ? "" : ","), show.apply(records.get(i)));
    }
    return sb.append(']');
  }

  private static String ns(Record r) {
    return ((NSRecord) r).getTarget().toString();
  }

  private static String glue(Record r) {
    return r.getName() + " " + Type.string(r.getType()) + " " + r.rdataToString();
  }

  // --- reading ---------------------------------------------------------------------------------

  private static List<Delegation> delegations(Map<?, ?> top, String key) {
    List<Delegation> out = new ArrayList<>();
    for (Object o : list(top, key)) {
      Map<?, ?> d = asObject(o, key);
      Name name = name(string(d, "name"));
      out.add(new Delegation(name, records(d, "ns", name, Type.NS), records(d, "ds", name, Type.DS), records(d, "glue", name, Type.A)));
    }
    return out;
  }

  private static RecordChange recordChange(Map<?, ?> map, String key, Name owner, int type) {
    Map<?, ?> c = object(map, key);
    return new RecordChange(records(c, "added", owner, type), records(c, "removed", owner, type));
  }

  /** The records under {@code key}; {@code type} A stands for glue, which names its own owner and type. */
  private static List<Record> records(Map<?, ?> map, String key, Name owner, int type) {
    List<Record> out = new ArrayList<>();
    for (Object o : list(map, key)) {
      try {
        out.add(switch (type) {
          case Type.NS -> new NSRecord(owner, DClass.IN, 0, name(text(o, key)));
          case Type.DNSKEY -> Record.fromString(owner, type, DClass.IN, 0, string(asObject(o, key), "rdata"), Name.root);
          case Type.A -> glue(text(o, key));
          default -> Record.fromString(owner, type, DClass.IN, 0, text(o, key), Name.root);
        });
      } catch (IOException e) {
        throw new IllegalArgumentException("\"" + key + "\" holds a bad " + Type.string(type) + " record " + o + ": " + e.getMessage());
      }
    }
    return out;
  }

  private static Record glue(String text) throws IOException {
    String[] parts = text.split(" ", 3);
    int type = parts.length == 3 ? Type.value(parts[1]) : -1;
    if (type != Type.A && type != Type.AAAA) {
      throw new TextParseException("not \"owner A|AAAA address\"");
    }
    return Record.fromString(name(parts[0]), type, DClass.IN, 0, parts[2], Name.root);
  }

  private static Name name(String text) {
    try {
      return Name.fromString(text, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a domain name: " + text);
    }
  }

  private static long serial(Map<?, ?> map, String key) {
    long n = number(map, key);
    if (n < 0 || n > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("\"" + key + "\" is not a zone serial: " + n);
    }
    return n;
  }

  private static long number(Map<?, ?> map, String key) {
    if (map.get(key) instanceof Long n) {
      return n;
    }
    throw new IllegalArgumentException("\"" + key + "\" is " + (map.containsKey(key) ? "not a whole number" : "missing"));
  }

  private static String string(Map<?, ?> map, String key) {
    return text(map.get(key), key);
  }

  private static String text(Object o, String key) {
    if (o instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("\"" + key + "\" holds " + (o == null ? "null" : o) + ", not a string");
  }

  private static Map<?, ?> object(Map<?, ?> map, String key) {
    return asObject(map.get(key), key);
  }

  private static Map<?, ?> asObject(Object o, String key) {
    if (o instanceof Map<?, ?> m) {
      return m;
    }
    throw new IllegalArgumentException("\"" + key + "\" is " + (o == null ? "missing" : "not an object"));
  }

  private static List<?> list(Map<?, ?> map, String key) {
    if (map.get(key) instanceof List<?> l) {
      return l;
    }
    throw new IllegalArgumentException("\"" + key + "\" is " + (map.containsKey(key) ? "not a list" : "missing"));
  }
}
