package org.rootmirror.sync.server.xfr;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.rootmirror.sync.store.StoredZone;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.rootmirror.sync.store.ZoneStore;
import org.rootmirror.sync.server.limit.LimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * What transfers of the published snapshot send, computed once per snapshot and kept with it.
 *
 * <p>Each is computed on the first query that needs it and kept until another snapshot is
 * published: the whole zone, the lone SOA, and the difference from each kept version a client asked
 * about. Only validated data goes in: the snapshot and the versions in the {@link ZoneStore}, which
 * were validated before they were stored (and are read back through {@link StoredZone#read()},
 * which checks their sha256).
 */
final class TransferPlans {
  private static final Logger log = LoggerFactory.getLogger(TransferPlans.class);
  /** Differences beyond the {@value #MAX_DIFFERENCES} kept are computed per query: their lines are limited. */
  private static final LimitedLog LOG = LimitedLog.of(log);
  private static final LimitedLog.Kind COMPUTED = LOG.kind(Level.INFO, "IXFR differences computed");
  private static final LimitedLog.Kind UNUSABLE = LOG.kind(Level.WARN, "kept versions that could not give an IXFR difference");

  /** Differences kept per snapshot: the store keeps {@value ZoneStore#KEEP} versions, clients may name others. */
  private static final int MAX_DIFFERENCES = 16;

  private final ZoneStore store;
  private final AtomicReference<ForSnapshot> current = new AtomicReference<>();

  /** @param store the kept versions to compute differences from, or null to answer every IXFR with the whole zone */
  TransferPlans(ZoneStore store) {
    this.store = store;
  }

  /** The whole zone: its SOA, every other record once, the SOA again (RFC 5936 section 2.2). */
  TransferPlan axfr(ZoneSnapshot snapshot) {
    return forSnapshot(snapshot).axfr.get();
  }

  /** The SOA alone: the answer to a client that is current (RFC 1995 section 2), and over UDP the word to use TCP. */
  TransferPlan soa(ZoneSnapshot snapshot) {
    return forSnapshot(snapshot).soa.get();
  }

  /**
   * The difference from the kept version with serial {@code from} to the snapshot, in RFC 1995
   * section 4's condensed form, or empty when that version is not kept (or cannot be read): the
   * caller then sends the whole zone, as section 4 allows.
   */
  Optional<TransferPlan> ixfr(ZoneSnapshot snapshot, long from) {
    ForSnapshot s = forSnapshot(snapshot);
    Memo<Optional<TransferPlan>> memo = s.differences.get(from);
    if (memo == null) {
      Memo<Optional<TransferPlan>> fresh = new Memo<>(() -> difference(snapshot, from));
      if (s.differences.size() >= MAX_DIFFERENCES) {
        return fresh.get(); // a client naming many serials gets answers, not a place in the cache
      }
      memo = s.differences.computeIfAbsent(from, k -> fresh);
    }
    return memo.get();
  }

  private ForSnapshot forSnapshot(ZoneSnapshot snapshot) {
    while (true) {
      ForSnapshot s = current.get();
      if (s != null && s.snapshot == snapshot) {
        return s;
      }
      ForSnapshot fresh = new ForSnapshot(snapshot);
      if (current.compareAndSet(s, fresh)) {
        return fresh;
      }
    }
  }

  private Optional<TransferPlan> difference(ZoneSnapshot snapshot, long from) {
    if (store == null) {
      return Optional.empty();
    }
    long start = System.nanoTime();
    try {
      StoredZone kept = null;
      for (StoredZone z : store.versions()) {
        if (z.metadata().serial() == from) {
          kept = z;
          break;
        }
      }
      if (kept == null) {
        return Optional.empty();
      }
      Zone older = ZoneFile.parse(kept.read(), kept.file().toString(), snapshot.zone().origin());
      SOARecord olderSoa = older.soa();
      SOARecord newerSoa = snapshot.zone().soa();
      if (olderSoa == null || olderSoa.getSerial() != from) {
        UNUSABLE.log("{} does not hold serial {} as its metadata says; sending the whole zone instead", kept.file(), from);
        return Optional.empty();
      }
      ZoneDiff diff = ZoneDiff.between(older.records(), snapshot.zone().records());
      List<Record> answer = new ArrayList<>(diff.size() + 4);
      answer.add(newerSoa);
      answer.add(olderSoa);
      answer.addAll(diff.deleted());
      answer.add(newerSoa);
      answer.addAll(diff.added());
      answer.add(newerSoa);
      TransferPlan plan = TransferPlan.of(answer);
      COMPUTED.log("IXFR difference {} -> {}: {} records deleted, {} added, {} messages, computed in {} ms", from,
          newerSoa.getSerial(), diff.deleted().size(), diff.added().size(), plan.messageCount(),
          (System.nanoTime() - start) / 1_000_000);
      return Optional.of(plan);
    } catch (IOException e) {
      UNUSABLE.log("cannot read the kept version {} to send differences; sending the whole zone: {}", from, e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * The zone as AXFR sends it: SOA first and last, every other record in the order it was read,
   * an exact repeat (same data and TTL) sent once.
   */
  static List<Record> axfrRecords(Zone zone) {
    SOARecord soa = zone.soa();
    HashSet<Exact> seen = new HashSet<>(zone.records().size() * 2);
    List<Record> answer = new ArrayList<>(zone.records().size() + 2);
    answer.add(soa);
    for (Record r : zone.records()) {
      if (r.getType() != Type.SOA && seen.add(new Exact(r, r.getTTL()))) {
        answer.add(r);
      }
    }
    answer.add(soa);
    return answer;
  }

  /** A record compared by its data (as {@link Record#equals} does) and its TTL. */
  private record Exact(Record record, long ttl) {}

  /** The plans of one snapshot. */
  private static final class ForSnapshot {
    final ZoneSnapshot snapshot;
    final Memo<TransferPlan> axfr;
    final Memo<TransferPlan> soa;
    final ConcurrentHashMap<Long, Memo<Optional<TransferPlan>>> differences = new ConcurrentHashMap<>();

    ForSnapshot(ZoneSnapshot snapshot) {
      this.snapshot = snapshot;
      this.axfr = new Memo<>(() -> {
        long start = System.nanoTime();
        TransferPlan plan = TransferPlan.of(axfrRecords(snapshot.zone()));
        log.info("AXFR of serial {}: {} records in {} messages, {} bytes, encoded in {} ms", snapshot.serial(),
            plan.recordCount(), plan.messageCount(), plan.bytes(), (System.nanoTime() - start) / 1_000_000);
        return plan;
      });
      this.soa = new Memo<>(() -> TransferPlan.of(List.of(snapshot.zone().soa())));
    }
  }

  /** A value computed once, by the first caller, while the others wait for it (no lock held by a virtual thread's carrier). */
  private static final class Memo<T> {
    private final FutureTask<T> task;

    Memo(Callable<T> compute) {
      this.task = new FutureTask<>(compute);
    }

    T get() {
      task.run(); // runs only the first time; later callers wait in get()
      try {
        return task.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a transfer to be encoded", e);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
      }
    }
  }
}
