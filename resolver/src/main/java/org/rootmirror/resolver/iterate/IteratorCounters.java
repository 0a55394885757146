package org.rootmirror.resolver.iterate;

import java.util.concurrent.atomic.LongAdder;

/** What the iterator did, for metrics: packets sent, and the root questions the local copy answered instead. */
public final class IteratorCounters {
  private final LongAdder sent = new LongAdder();
  private final LongAdder localRoot = new LongAdder();
  private final LongAdder timeouts = new LongAdder();
  private final LongAdder lame = new LongAdder();
  private final LongAdder lost = new LongAdder();
  private final LongAdder nsLookups = new LongAdder();
  private final LongAdder failedSteps = new LongAdder();
  private final LongAdder primings = new LongAdder();
  private final LongAdder primingFailures = new LongAdder();
  private final LongAdder heldBack = new LongAdder();

  void sent() {
    sent.increment();
  }

  void localRootAnswer() {
    localRoot.increment();
  }

  void timeout() {
    timeouts.increment();
  }

  void lost() {
    lost.increment();
  }

  void lame() {
    lame.increment();
  }

  void nsLookup() {
    nsLookups.increment();
  }

  void failedStep() {
    failedSteps.increment();
  }

  void primed() {
    primings.increment();
  }

  void primingFailed() {
    primingFailures.increment();
  }

  void heldBack() {
    heldBack.increment();
  }

  /** Queries sent to authorities. */
  public long queriesSent() {
    return sent.sum();
  }

  /** Root questions answered from the local copy: each one a packet not sent to a root server. */
  public long localRootAnswers() {
    return localRoot.sum();
  }

  public long timeouts() {
    return timeouts.sum();
  }

  /** Replies lost while their server answered other queries (its rate limiting, say): asked again over TCP. */
  public long lostReplies() {
    return lost.sum();
  }

  public long lameReplies() {
    return lame.sum();
  }

  public long nsLookups() {
    return nsLookups.sum();
  }

  /** Steps where no server of a zone gave a usable reply. */
  public long failedSteps() {
    return failedSteps.sum();
  }

  public long primings() {
    return primings.sum();
  }

  /** Priming attempts that failed (RFC 8109): each is followed by a back-off before the next. */
  public long primingFailures() {
    return primingFailures.sum();
  }

  /** Questions answered SERVFAIL at once, without a packet, because priming had just failed. */
  public long heldBackByPriming() {
    return heldBack.sum();
  }
}
