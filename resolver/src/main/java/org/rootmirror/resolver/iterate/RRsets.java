package org.rootmirror.resolver.iterate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;

/** Groups the records of one message section into RRsets, each RRSIG beside the RRset it covers. */
public final class RRsets {
  private RRsets() {}

  private record Key(Name name, int type, int dclass) {}

  /**
   * The RRsets of {@code records} in order of first appearance; RRSIGs with nothing to cover are
   * kept as RRsets of signatures alone (size 0, the answer to an RRSIG question) when {@code
   * keepAlone}, else dropped.
   */
  public static List<RRset> of(List<Record> records, boolean keepAlone) {
    Map<Key, RRset> sets = new LinkedHashMap<>();
    for (Record r : records) {
      if (!(r instanceof RRSIGRecord)) {
        sets.computeIfAbsent(new Key(r.getName(), r.getType(), r.getDClass()), k -> new RRset()).addRR(r);
      }
    }
    Map<Key, RRset> alone = new LinkedHashMap<>();
    for (Record r : records) {
      if (r instanceof RRSIGRecord sig) {
        Key key = new Key(r.getName(), sig.getTypeCovered(), r.getDClass());
        RRset covered = sets.get(key);
        if (covered != null) {
          covered.addRR(sig);
        } else if (keepAlone) {
          alone.computeIfAbsent(key, k -> new RRset()).addRR(sig);
        }
      }
    }
    List<RRset> result = new ArrayList<>(sets.values());
    result.addAll(alone.values());
    return result;
  }

  /** The RRsets of {@code records} in order of first appearance; RRSIGs with nothing to cover are dropped. */
  public static List<RRset> of(List<Record> records) {
    return of(records, false);
  }
}
