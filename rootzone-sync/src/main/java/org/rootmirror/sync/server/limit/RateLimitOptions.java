package org.rootmirror.sync.server.limit;

import java.time.Duration;

/**
 * How response rate limiting counts, in BIND's terms (its {@code rate-limit} clause, which NSD's
 * {@code rrl-*} and Knot's {@code mod-rrl} follow): each client prefix (/24, /56) has an account
 * per kind of response that earns {@code responsesPerSecond} credits a second, up to that many;
 * each response spends one; while the account is negative responses are dropped, and every
 * {@code slip}-th of those goes out truncated instead. The account goes no lower than {@code
 * window} seconds' worth of credits, so a client that keeps flooding stays limited until it has
 * kept below the rate for about that long. {@link #defaults()}: 200 responses a second (NSD's
 * {@code rrl-ratelimit}), slip 2 and a 15 s window (BIND's defaults).
 *
 * @param responsesPerSecond 0 for no limiting, else 1 to 100,000
 * @param slip 0 (never answer a limited query), 1 (always answer it truncated) to 10
 * @param window 1 s to 1 h, in whole seconds
 */
public record RateLimitOptions(int responsesPerSecond, int slip, Duration window) {
  public static final int DEFAULT_RESPONSES_PER_SECOND = 200;
  public static final int DEFAULT_SLIP = 2;
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(15);
  public static final int MAX_RESPONSES_PER_SECOND = 100_000;
  public static final int MAX_SLIP = 10;
  public static final Duration MAX_WINDOW = Duration.ofHours(1);

  public RateLimitOptions {
    if (responsesPerSecond < 0 || responsesPerSecond > MAX_RESPONSES_PER_SECOND) {
      throw new IllegalArgumentException("responses per second must be 0 (off) to " + MAX_RESPONSES_PER_SECOND + ", not " + responsesPerSecond);
    }
    if (slip < 0 || slip > MAX_SLIP) {
      throw new IllegalArgumentException("slip must be 0 to " + MAX_SLIP + ", not " + slip);
    }
    if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(MAX_WINDOW) > 0 || window.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException("the window must be 1 to 3600 whole seconds, not " + window.toMillis() / 1000.0 + " s");
    }
  }

  public static RateLimitOptions defaults() {
    return new RateLimitOptions(DEFAULT_RESPONSES_PER_SECOND, DEFAULT_SLIP, DEFAULT_WINDOW);
  }

  /** No limiting at all. */
  public static RateLimitOptions off() {
    return new RateLimitOptions(0, DEFAULT_SLIP, DEFAULT_WINDOW);
  }

  public boolean enabled() {
    return responsesPerSecond > 0;
  }

  public RateLimitOptions withResponsesPerSecond(int rate) {
    return new RateLimitOptions(rate, slip, window);
  }

  public RateLimitOptions withSlip(int n) {
    return new RateLimitOptions(responsesPerSecond, n, window);
  }

  public RateLimitOptions withWindow(Duration w) {
    return new RateLimitOptions(responsesPerSecond, slip, w);
  }
}
