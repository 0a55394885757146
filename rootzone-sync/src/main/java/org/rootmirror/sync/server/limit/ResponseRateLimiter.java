package org.rootmirror.sync.server.limit;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Response rate limiting (RRL) as BIND, NSD and Knot do it, for UDP responses to sources that
 * may be forged: an account per client prefix (IPv4 /24, IPv6 /56, BIND's defaults) and kind of
 * response ({@link ResponseClass}), credited {@code rate} responses a second and debited one per
 * response; a response that would leave it negative is not sent, and every {@code slip}-th of
 * those goes out truncated instead (TC=1, no records), so a real client behind a forged flood
 * still gets through by retrying over TCP. The arithmetic is {@link RateLimitOptions}'.
 *
 * <p>Pure: the caller passes the time, in nanoseconds of a monotonic clock. Accounts live in a
 * fixed table of 65,536 (1.8 MB), indexed by a keyed hash whose key is drawn at random per
 * process, so a flood cannot aim at a victim's slot; an account that meets another prefix in
 * its slot is replaced, as NSD's table does. Locks are striped: threads contend only on the same
 * stripe.
 */
public final class ResponseRateLimiter {
  /** What is decided for one response. */
  public enum Verdict {
    SEND,
    DROP,
    /** Send the truncated form: the header with TC set and the question, nothing else. */
    SLIP
  }

  /**
   * The kinds of response that get accounts of their own (NSD's and Knot's classes, fewer): a
   * forged flood of name errors does not use up the answers a prefix gets, nor the reverse.
   * Read from the response header alone, so any handler's responses can be classed.
   */
  public enum ResponseClass {
    ANSWER,
    REFERRAL,
    NODATA,
    NXDOMAIN,
    /** Any other RCODE, and a NOERROR with no records (a cookie-only reply). */
    ERROR;

    /** The class of the DNS message from {@code response}'s position, its header read in place. */
    public static ResponseClass of(ByteBuffer response) {
      int p = response.position();
      if (response.remaining() < 12) {
        return ERROR;
      }
      int flags = response.get(p + 2) & 0xFF;
      int flags2 = response.get(p + 3) & 0xFF;
      int rcode = flags2 & 0x0F;
      int answers = response.getShort(p + 6) & 0xFFFF;
      int authority = response.getShort(p + 8) & 0xFFFF;
      if (rcode == 3) {
        return NXDOMAIN;
      }
      if (rcode != 0 || answers == 0 && authority == 0) {
        return ERROR;
      }
      if (answers > 0) {
        return ANSWER;
      }
      // RFC 1034 section 4.3.2: an authoritative server's no-data answer has AA; a resolver's has RA
      boolean authoritative = (flags & 0x04) != 0;
      boolean recursive = (flags2 & 0x80) != 0;
      return authoritative || recursive ? NODATA : REFERRAL;
    }
  }

  static final int IPV4_PREFIX = 24;
  static final int IPV6_PREFIX = 56;
  private static final int TABLE_BITS = 16;
  private static final int STRIPES = 64;
  /** The credit one response costs; an account earns {@code rate} credits each nanosecond, so 10^9 make a response per second. */
  private static final long COST = 1_000_000_000L;

  private final long rate;
  private final int slip;
  private final long maxCredit;
  private final long minCredit;
  /** After this long without a response any account is full again, so longer gaps count as this. */
  private final long refillNanos;
  private final long seed;
  private final long[] keys = new long[1 << TABLE_BITS];
  private final long[] credits = new long[1 << TABLE_BITS];
  private final long[] lastSeen = new long[1 << TABLE_BITS];
  private final int[] limitedInRow = new int[1 << TABLE_BITS];
  private final Object[] locks = new Object[STRIPES];
  private final LongAdder dropped = new LongAdder();
  private final LongAdder slipped = new LongAdder();

  /** @param options enabled ones; a random hash key per limiter */
  public ResponseRateLimiter(RateLimitOptions options) {
    this(options, new SecureRandom().nextLong());
  }

  ResponseRateLimiter(RateLimitOptions options, long seed) {
    if (!options.enabled()) {
      throw new IllegalArgumentException("rate limiting is off: no limiter needed");
    }
    this.rate = options.responsesPerSecond();
    this.slip = options.slip();
    long windowSeconds = options.window().toSeconds();
    this.maxCredit = rate * COST;
    this.minCredit = -windowSeconds * rate * COST;
    this.refillNanos = (windowSeconds + 1) * 1_000_000_000L;
    this.seed = seed;
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new Object();
    }
  }

  /** Whether a response of kind {@code kind} to {@code client} goes out at {@code nanos} (a monotonic clock). */
  public Verdict decide(InetAddress client, ResponseClass kind, long nanos) {
    long key = key(client, kind);
    int slot = slot(key);
    synchronized (locks[slot & (STRIPES - 1)]) {
      long credit;
      if (keys[slot] != key) {
        keys[slot] = key; // a new account, or another prefix's that hashed here: it starts full
        credit = maxCredit;
        limitedInRow[slot] = 0;
      } else {
        long elapsed = Math.clamp(nanos - lastSeen[slot], 0, refillNanos);
        credit = Math.min(maxCredit, credits[slot] + elapsed * rate);
      }
      lastSeen[slot] = nanos;
      credit = Math.max(minCredit, credit - COST);
      credits[slot] = credit;
      if (credit >= 0) {
        return Verdict.SEND;
      }
      int n = limitedInRow[slot] + 1;
      if (slip > 0 && n >= slip) {
        limitedInRow[slot] = 0;
        slipped.increment();
        return Verdict.SLIP;
      }
      limitedInRow[slot] = n;
      dropped.increment();
      return Verdict.DROP;
    }
  }

  /** Responses not sent at all. */
  public long dropped() {
    return dropped.sum();
  }

  /** Responses sent truncated instead of in full. */
  public long slipped() {
    return slipped.sum();
  }

  /**
   * The account's key: a marker bit (so no key is 0, an empty slot), the family, the class and the
   * prefix; a /56 and three bits of class fit in 64 bits, so keys are exact and never collide.
   */
  static long key(InetAddress client, ResponseClass kind) {
    byte[] a = client.getAddress();
    long prefix = 0;
    int bytes = client instanceof Inet4Address ? IPV4_PREFIX / 8 : IPV6_PREFIX / 8;
    for (int i = 0; i < bytes; i++) {
      prefix = prefix << 8 | (a[i] & 0xFF);
    }
    long family = client instanceof Inet4Address ? 0 : 1;
    return 1L << 63 | family << 59 | (long) kind.ordinal() << 56 | prefix;
  }

  private int slot(long key) {
    long z = key ^ seed; // splitmix64's finalizer
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    z ^= z >>> 31;
    return (int) (z >>> (64 - TABLE_BITS));
  }
}
