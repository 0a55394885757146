package org.rootmirror.sync.changes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.sync.changes.ZoneDifference.Delegation;
import org.rootmirror.sync.changes.ZoneDifference.DelegationChange;
import org.rootmirror.sync.changes.ZoneDifference.RecordChange;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * ZoneComparison -- compares two versions of a zone: which delegations came and went, what changed
 * in the NS RRset, DS RRset and glue of each, and in the apex DNSKEY RRset. Pure: no clock, no
 * files. Signatures, NSEC records, the SOA and ZONEMD change at every version and are not looked at.
 */
public final class ZoneComparison {
  private ZoneComparison() {}

  /** What {@code after} changed from {@code before}; both must have the same origin. */
  public static ZoneDifference between(Zone before, Zone after) {
    if (!before.origin().equals(after.origin())) {
      throw new IllegalArgumentException("zones of different origins: " + before.origin() + " and " + after.origin());
    }
    NavigableMap<Name, Delegation> old = delegations(before);
    NavigableMap<Name, Delegation> now = delegations(after);
    List<Delegation> added = new ArrayList<>();
    List<Delegation> removed = new ArrayList<>();
    List<DelegationChange> changed = new ArrayList<>();
    for (Delegation d : now.values()) {
      Delegation was = old.get(d.name());
      if (was == null) {
        added.add(d);
        continue;
      }
      RecordChange ns = change(was.ns(), d.ns());
      RecordChange ds = change(was.ds(), d.ds());
      RecordChange glue = change(was.glue(), d.glue());
      if (!ns.isEmpty() || !ds.isEmpty() || !glue.isEmpty()) {
        changed.add(new DelegationChange(d.name(), ns, ds, glue));
      }
    }
    for (Delegation d : old.values()) {
      if (!now.containsKey(d.name())) {
        removed.add(d);
      }
    }
    return new ZoneDifference(change(before.apex(Type.DNSKEY), after.apex(Type.DNSKEY)), added, removed, changed);
  }

  /** How many delegations {@code zone} has (in the root zone: the TLDs). */
  public static int delegationCount(Zone zone) {
    return delegations(zone).size();
  }

  /**
   * The zone's delegations by name. A name below the apex with an NS RRset is a zone cut (RFC 9499);
   * everything below a cut is not the zone's own data (RFC 1034 section 4.2.1), and of it only the
   * address records matter here, as the cut's glue. Canonical order puts a cut before every name
   * below it, and those names next to one another, so one pass in that order finds them all.
   */
  static NavigableMap<Name, Delegation> delegations(Zone zone) {
    Name origin = zone.origin();
    NavigableMap<Name, Delegation> out = new TreeMap<>();
    Name cut = null;
    List<Record> ns = null;
    List<Record> ds = null;
    List<Record> glue = null;
    for (Map.Entry<Name, Map<Integer, RRset>> node : zone.nodes().entrySet()) {
      Name name = node.getKey();
      if (name.equals(origin) || !name.subdomain(origin)) {
        continue;
      }
      Map<Integer, RRset> sets = node.getValue();
      if (cut != null && name.subdomain(cut)) {
        // occluded by the cut (a deeper NS RRset included): only its addresses are glue
        glue.addAll(records(sets.get(Type.A)));
        glue.addAll(records(sets.get(Type.AAAA)));
        continue;
      }
      if (cut != null) {
        out.put(cut, delegation(cut, ns, ds, glue));
        cut = null;
      }
      if (sets.containsKey(Type.NS)) {
        cut = name;
        ns = records(sets.get(Type.NS));
        ds = records(sets.get(Type.DS));
        // addresses at the cut itself are below it too (RFC 1034 section 4.2.1)
        glue = new ArrayList<>(records(sets.get(Type.A)));
        glue.addAll(records(sets.get(Type.AAAA)));
      }
      // anything else below the apex and above every cut is the zone's own data: the root has none
    }
    if (cut != null) {
      out.put(cut, delegation(cut, ns, ds, glue));
    }
    return out;
  }

  private static Delegation delegation(Name name, List<Record> ns, List<Record> ds, List<Record> glue) {
    return new Delegation(name, sorted(ns), sorted(ds), sorted(glue));
  }

  /** The RRset's records without signatures; none for a missing RRset. */
  private static List<Record> records(RRset set) {
    return set == null ? List.of() : set.rrs(false);
  }

  /** Records in {@code after} only, and in {@code before} only; dnsjava's equality ignores the TTL. */
  static RecordChange change(Collection<Record> before, Collection<Record> after) {
    // sets on both sides: removeAll may ask either side's contains, and a TreeSet's is compareTo's
    TreeSet<Record> old = new TreeSet<>(before);
    TreeSet<Record> now = new TreeSet<>(after);
    TreeSet<Record> added = new TreeSet<>(now);
    added.removeAll(old);
    TreeSet<Record> removed = new TreeSet<>(old);
    removed.removeAll(now);
    return added.isEmpty() && removed.isEmpty() ? RecordChange.NONE : new RecordChange(List.copyOf(added), List.copyOf(removed));
  }

  /** Canonical order (RFC 4034 section 6.3), duplicates folded. */
  private static List<Record> sorted(Collection<Record> records) {
    return List.copyOf(new TreeSet<>(Objects.requireNonNull(records)));
  }
}
