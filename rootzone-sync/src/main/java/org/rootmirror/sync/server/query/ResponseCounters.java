package org.rootmirror.sync.server.query;

import java.util.concurrent.atomic.LongAdder;

/**
 * Responses written by RCODE, one increment each from many threads (LongAdder: no lock, no shared
 * cache line on the query path), read at scrape time for metrics. Transfers and NOTIFY are answered
 * by the transfer handler and are not counted here.
 */
public final class ResponseCounters {
  /** RCODEs 0 to 23 (RFC 6895 section 2.3 registry up to BADCOOKIE); anything above shares the last slot. */
  public static final int RCODES = 24;

  private final LongAdder[] responses = new LongAdder[RCODES];
  private final LongAdder failures = new LongAdder();

  ResponseCounters() {
    for (int i = 0; i < RCODES; i++) {
      responses[i] = new LongAdder();
    }
  }

  void responded(int rcode) {
    responses[Math.min(rcode, RCODES - 1)].increment();
  }

  void failed() {
    failures.increment();
  }

  /** Queries answered SERVFAIL because answering them failed: bugs, each logged (at most a few a minute). */
  public long failures() {
    return failures.sum();
  }

  /** Responses written with {@code rcode} (RCODEs of 23 and above are counted together). */
  public long responses(int rcode) {
    return responses[Math.min(rcode, RCODES - 1)].sum();
  }
}
