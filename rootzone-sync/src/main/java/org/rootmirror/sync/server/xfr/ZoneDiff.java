package org.rootmirror.sync.server.xfr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The difference between two versions of a zone, as IXFR sends it (RFC 1995 section 4).
 *
 * <p>The records only the older one has, and those only the newer one has, SOA records left out. Two
 * records are the same when their canonical forms (RFC 4034 section 6.2) are, TTL included, so a
 * changed TTL is a deletion and an addition. Both versions are sorted once in canonical order
 * (owner name as RFC 4034 section 6.1, then the canonical wire form) and walked side by side: no
 * hash of every record, and the result comes out in canonical order, owner names together.
 */
record ZoneDiff(List<Record> deleted, List<Record> added) {
  ZoneDiff {
    deleted = List.copyOf(deleted);
    added = List.copyOf(added);
  }

  /** A record with the canonical form it is compared by. */
  private record Keyed(Name name, byte[] canonical, Record record) {}

  private static final Comparator<Keyed> CANONICAL =
      Comparator.comparing(Keyed::name).thenComparing(Keyed::canonical, Arrays::compareUnsigned);

  static ZoneDiff between(Collection<? extends Record> older, Collection<? extends Record> newer) {
    Keyed[] a = sorted(older);
    Keyed[] b = sorted(newer);
    List<Record> deleted = new ArrayList<>();
    List<Record> added = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.length || j < b.length) {
      int c = i == a.length ? 1 : j == b.length ? -1 : CANONICAL.compare(a[i], b[j]);
      if (c == 0) {
        i++;
        j++;
      } else if (c < 0) {
        deleted.add(a[i++].record());
      } else {
        added.add(b[j++].record());
      }
    }
    return new ZoneDiff(deleted, added);
  }

  /** The records but the SOA, in canonical order, each once. */
  private static Keyed[] sorted(Collection<? extends Record> records) {
    Keyed[] keyed = records.stream()
        .filter(r -> r.getType() != Type.SOA)
        .map(r -> new Keyed(r.getName(), r.toWireCanonical(), r))
        .sorted(CANONICAL)
        .toArray(Keyed[]::new);
    int n = 0;
    for (Keyed k : keyed) {
      if (n == 0 || CANONICAL.compare(keyed[n - 1], k) != 0) {
        keyed[n++] = k;
      }
    }
    return Arrays.copyOf(keyed, n);
  }

  int size() {
    return deleted.size() + added.size();
  }
}
