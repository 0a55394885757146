package org.rootmirror.dnssec.zone;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * An immutable zone: every record as read (TTLs untouched, for ZONEMD), and the same records
 * grouped into RRsets per owner name in DNSSEC canonical order (RFC 4034 section 6.1). RRSIGs
 * are attached to the RRset of the type they cover. Nothing here judges the data; that is the
 * validator's job.
 */
public final class Zone {
  private final Name origin;
  private final List<Record> records;
  private final NavigableMap<Name, Map<Integer, RRset>> nodes;

  private Zone(Name origin, List<Record> records, NavigableMap<Name, Map<Integer, RRset>> nodes) {
    this.origin = origin;
    this.records = records;
    this.nodes = nodes;
  }

  /** Groups {@code records} into a zone whose apex is {@code origin}. */
  public static Zone of(Name origin, Collection<? extends Record> records) {
    List<Record> all = List.copyOf(records);
    // dnsjava's Name.compareTo is the canonical DNSSEC order (case-insensitive, label-wise from the right)
    TreeMap<Name, Map<Integer, RRset>> nodes = new TreeMap<>();
    Name previous = null;
    Map<Integer, RRset> node = null;
    for (Record r : all) {
      // a master file lists an owner's records together: the tree is searched once per owner, not
      // once per record (Name.compareTo is the dearest part of loading the root zone)
      if (!r.getName().equals(previous)) {
        previous = r.getName();
        node = nodes.computeIfAbsent(previous, n -> new TreeMap<>());
      }
      // RRset.addRR folds duplicates and lowers TTLs to the RRset's minimum (RFC 2181 section 5.2)
      node.computeIfAbsent(r.getRRsetType(), t -> new RRset()).addRR(r);
    }
    nodes.replaceAll((name, types) -> Collections.unmodifiableMap(types));
    return new Zone(origin, all, Collections.unmodifiableNavigableMap(nodes));
  }

  public Name origin() {
    return origin;
  }

  /** Every record as it was read, in file order, duplicates and RRSIGs included. */
  public List<Record> records() {
    return records;
  }

  /** Owner names in canonical order, each with its RRsets by type (RRSIGs under the type they cover). */
  public NavigableMap<Name, Map<Integer, RRset>> nodes() {
    return nodes;
  }

  /** The RRset of {@code type} at {@code name}, or null. */
  public RRset rrset(Name name, int type) {
    Map<Integer, RRset> node = nodes.get(name);
    return node == null ? null : node.get(type);
  }

  /** The apex SOA, or null when the zone has none. */
  public SOARecord soa() {
    RRset set = rrset(origin, Type.SOA);
    return set == null || set.size() == 0 ? null : (SOARecord) set.first();
  }

  /** The apex records of {@code type} (no RRSIGs), empty when there are none. */
  public List<Record> apex(int type) {
    RRset set = rrset(origin, type);
    return set == null ? List.of() : new ArrayList<>(set.rrs(false));
  }
}
