package org.rootmirror.sync.changes;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the versions this process published changed, counted for metrics: TLDs and DS records
 * added and removed. An entry that compares with nothing (the first version) counts nothing.
 */
public final class ChangeCounters {
  private final LongAdder tldsAdded = new LongAdder();
  private final LongAdder tldsRemoved = new LongAdder();
  private final LongAdder dsAdded = new LongAdder();
  private final LongAdder dsRemoved = new LongAdder();

  void count(ZoneDifference d) {
    tldsAdded.add(d.added().size());
    tldsRemoved.add(d.removed().size());
    dsAdded.add(d.dsAdded());
    dsRemoved.add(d.dsRemoved());
  }

  public long tldsAdded() {
    return tldsAdded.sum();
  }

  public long tldsRemoved() {
    return tldsRemoved.sum();
  }

  public long dsAdded() {
    return dsAdded.sum();
  }

  public long dsRemoved() {
    return dsRemoved.sum();
  }
}
