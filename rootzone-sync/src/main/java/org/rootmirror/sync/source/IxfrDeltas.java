package org.rootmirror.sync.source;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * Applies IXFR differences to a zone held (RFC 1995 section 4): each difference deletes, then
 * adds, and moves the zone from one SOA serial to the next. Records match by name, type, class and
 * data, not TTL ({@link Record#equals}), so a changed TTL comes as a delete and an add.
 */
final class IxfrDeltas {
  private IxfrDeltas() {}

  /** One difference: from the version with SOA {@code from} to the one with SOA {@code to}. */
  record Delta(SOARecord from, List<Record> deletes, SOARecord to, List<Record> adds) {
    Delta {
      deletes = List.copyOf(deletes);
      adds = List.copyOf(adds);
    }
  }

  /** The differences do not fit the zone held, so applying them would not give the primary's zone. */
  static final class Mismatch extends Exception {
    private static final long serialVersionUID = 1L;

    Mismatch(String message) {
      super(message);
    }
  }

  /**
   * The zone made of {@code records} after every difference in order: its SOA first, then the
   * records held in their order, the added ones after them.
   *
   * @throws Mismatch when a difference starts from another serial than the zone has reached, deletes
   *     a record the zone does not hold, or adds one it already holds
   */
  static List<Record> apply(List<Record> records, List<Delta> deltas) throws Mismatch {
    SOARecord soa = null;
    Map<Record, Record> rest = new LinkedHashMap<>(records.size() * 2);
    for (Record r : records) {
      if (soa == null && r instanceof SOARecord s) {
        soa = s;
      } else if (!(r instanceof SOARecord)) {
        rest.putIfAbsent(r, r);
      }
    }
    if (soa == null) {
      throw new Mismatch("the zone held has no SOA");
    }
    for (Delta d : deltas) {
      if (d.from().getSerial() != soa.getSerial()) {
        throw new Mismatch("a difference from serial " + d.from().getSerial()
            + " cannot apply to the zone at serial " + soa.getSerial());
      }
      for (Record r : d.deletes()) {
        if (rest.remove(r) == null) {
          throw new Mismatch("serial " + d.to().getSerial() + " deletes " + r + ", which the zone at serial "
              + soa.getSerial() + " does not hold");
        }
      }
      for (Record r : d.adds()) {
        if (rest.putIfAbsent(r, r) != null) {
          throw new Mismatch("serial " + d.to().getSerial() + " adds " + r + ", which the zone at serial "
              + soa.getSerial() + " already holds");
        }
      }
      soa = d.to();
    }
    List<Record> result = new ArrayList<>(rest.size() + 1);
    result.add(soa);
    result.addAll(rest.values());
    return result;
  }
}
