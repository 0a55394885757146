package org.rootmirror.sync.accept;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.rootmirror.sync.source.FetchException;

/**
 * What each source gave when a sync tried it, counted by result for metrics: {@code updated},
 * {@code unchanged}, or {@code failed_} and the kind of failure ({@code failed_timeout},
 * {@code failed_invalid}, ...). A sync that tries three sources counts three times.
 */
public final class SyncCounters {
  /** A valid newer zone that was stored and published. */
  public static final String UPDATED = "updated";
  /** The source confirmed the zone held is current. */
  public static final String UNCHANGED = "unchanged";
  /** The zone fetched did not parse. */
  static final String UNPARSABLE = "failed_unparsable";
  /** The zone fetched failed DNSSEC or ZONEMD validation. */
  static final String INVALID = "failed_invalid";
  /** The zone fetched has an older serial than the one held (RFC 1982 comparison). */
  static final String OLDER_SERIAL = "failed_older_serial";
  /** Too few other sources agreed with the zone ({@code require-agreement}). */
  static final String DISAGREEMENT = "failed_disagreement";
  /** The zone was valid but could not be stored. */
  static final String STORE = "failed_store";
  /** No source can be made for an ad-hoc URI. */
  static final String UNSUPPORTED = "failed_unsupported";

  private final Map<URI, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();

  /** e.g. {@code failed_timeout} for {@link FetchException.Kind#TIMEOUT}. */
  static String failed(FetchException.Kind kind) {
    return "failed_" + kind.name().toLowerCase(Locale.ROOT);
  }

  void record(URI source, String result) {
    counts.computeIfAbsent(source, s -> new ConcurrentHashMap<>()).computeIfAbsent(result, r -> new LongAdder()).increment();
  }

  /** The counts so far: source, then result, then how many; sorted, so the output is stable. */
  public Map<URI, Map<String, Long>> snapshot() {
    Map<URI, Map<String, Long>> out = new TreeMap<>();
    counts.forEach((source, results) -> {
      Map<String, Long> byResult = new TreeMap<>();
      results.forEach((result, n) -> byResult.put(result, n.sum()));
      out.put(source, byResult);
    });
    return out;
  }

  /** How often {@code source} gave {@code result}; 0 if never. */
  public long count(URI source, String result) {
    LongAdder n = counts.getOrDefault(source, Map.of()).get(result);
    return n == null ? 0 : n.sum();
  }
}
