package org.rootmirror.sync.changes;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The difference between two versions of a zone, in RFC 9499's words: the delegations (zone cuts,
 * in the root zone the TLDs) added and removed, and for each delegation in both the records of its
 * NS RRset, its DS RRset and its glue added and removed; and the keys of the apex DNSKEY RRset added
 * and removed. Records are compared by owner, type and RDATA; a change of TTL alone is not a change.
 * Lists are in DNSSEC canonical order (RFC 4034 section 6), so the same two zones always give the
 * same difference.
 */
public record ZoneDifference(RecordChange dnskey, List<Delegation> added, List<Delegation> removed, List<DelegationChange> changed) {
  public static final ZoneDifference NONE = new ZoneDifference(RecordChange.NONE, List.of(), List.of(), List.of());

  public ZoneDifference {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    changed = List.copyOf(changed);
  }

  /** Nothing changed in the delegations or the apex keys (only signatures, NSEC, SOA and the like). */
  public boolean isEmpty() {
    return dnskey.isEmpty() && added.isEmpty() && removed.isEmpty() && changed.isEmpty();
  }

  /** DS records added: those of new delegations and those added to delegations kept. */
  public int dsAdded() {
    return added.stream().mapToInt(d -> d.ds().size()).sum() + changed.stream().mapToInt(c -> c.ds().added().size()).sum();
  }

  /** DS records removed: those of delegations removed and those removed from delegations kept. */
  public int dsRemoved() {
    return removed.stream().mapToInt(d -> d.ds().size()).sum() + changed.stream().mapToInt(c -> c.ds().removed().size()).sum();
  }

  /**
   * One delegation as a version has it. The glue is the address records (A and AAAA) below the
   * zone cut: a name server's addresses are listed once, under the delegation whose subtree holds
   * its name (a.gtld-servers.net. under net.), however many delegations use it.
   *
   * @param ns the NS RRset at the cut
   * @param ds the DS RRset at the cut (RFC 4035 section 2.4), empty for an unsigned delegation
   */
  public record Delegation(Name name, List<Record> ns, List<Record> ds, List<Record> glue) {
    public Delegation {
      ns = List.copyOf(ns);
      ds = List.copyOf(ds);
      glue = List.copyOf(glue);
    }
  }

  /** A delegation in both versions, and what changed in it; at least one part is not empty. */
  public record DelegationChange(Name name, RecordChange ns, RecordChange ds, RecordChange glue) {}

  /** Records in the new version only, and in the old one only. */
  public record RecordChange(List<Record> added, List<Record> removed) {
    public static final RecordChange NONE = new RecordChange(List.of(), List.of());

    public RecordChange {
      added = List.copyOf(added);
      removed = List.copyOf(removed);
    }

    public boolean isEmpty() {
      return added.isEmpty() && removed.isEmpty();
    }
  }
}
