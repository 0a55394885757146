package org.rootmirror.sync.changes;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.rootmirror.sync.changes.ZoneDifference.Delegation;
import org.rootmirror.sync.changes.ZoneDifference.DelegationChange;
import org.rootmirror.sync.changes.ZoneDifference.RecordChange;
import org.rootmirror.sync.control.Json;
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
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("serial", e.serial());
    line.put("previous", e.isStart() ? null : e.previous());
    line.put("at", e.at().toString());
    line.put("tlds", e.delegations());
    line.put("note", e.note());
    ZoneDifference d = e.difference();
    line.put("dnskey", addedRemoved(keys(d.dnskey().added()), keys(d.dnskey().removed())));
    line.put("tlds_added", d.added().stream().map(ChangesJson::delegation).toList());
    line.put("tlds_removed", d.removed().stream().map(ChangesJson::delegation).toList());
    line.put("tlds_changed", d.changed().stream().map(ChangesJson::delegationChange).toList());
    return Json.object(line);
  }

  /**
   * Reads a line {@link #write} wrote.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static ChangeEntry read(String line) {
    if (!(JsonReader.parse(line) instanceof Map<?, ?> top)) {
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

  private static List<Map<String, Object>> keys(List<Record> keys) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Record r : keys) {
      DNSKEYRecord k = (DNSKEYRecord) r;
      Map<String, Object> key = new LinkedHashMap<>();
      key.put("tag", k.getFootprint());
      key.put("flags", k.getFlags());
      key.put("algorithm", k.getAlgorithm());
      key.put("rdata", k.rdataToString());
      out.add(key);
    }
    return out;
  }

  private static Map<String, Object> delegation(Delegation d) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", d.name().toString());
    out.put("ns", d.ns().stream().map(ChangesJson::ns).toList());
    out.put("ds", d.ds().stream().map(Record::rdataToString).toList());
    out.put("glue", d.glue().stream().map(ChangesJson::glue).toList());
    return out;
  }

  private static Map<String, Object> delegationChange(DelegationChange c) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", c.name().toString());
    out.put("ns", change(c.ns(), ChangesJson::ns));
    out.put("ds", change(c.ds(), Record::rdataToString));
    out.put("glue", change(c.glue(), ChangesJson::glue));
    return out;
  }

  private static Map<String, Object> change(RecordChange c, Function<Record, String> show) {
    return addedRemoved(c.added().stream().map(show).toList(), c.removed().stream().map(show).toList());
  }

  private static Map<String, Object> addedRemoved(List<?> added, List<?> removed) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("added", added);
    out.put("removed", removed);
    return out;
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
