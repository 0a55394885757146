package org.rootmirror.sync.server.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.rootmirror.sync.server.limit.ResponseRateLimiter.ResponseClass.ANSWER;
import static org.rootmirror.sync.server.limit.ResponseRateLimiter.ResponseClass.NXDOMAIN;
import static org.rootmirror.sync.server.limit.ResponseRateLimiter.Verdict.DROP;
import static org.rootmirror.sync.server.limit.ResponseRateLimiter.Verdict.SEND;
import static org.rootmirror.sync.server.limit.ResponseRateLimiter.Verdict.SLIP;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.sync.server.limit.ResponseRateLimiter.ResponseClass;
import org.rootmirror.sync.server.limit.ResponseRateLimiter.Verdict;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The arithmetic of response rate limiting, on a clock the test steps: accounts, slips, the window, prefixes and classes. */
class ResponseRateLimiterTest {
  private static final long SECOND = 1_000_000_000L;
  private static final InetAddress VICTIM = address("192.0.2.1");

  private long now = 5 * SECOND;

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static ResponseRateLimiter limiter(int rate, int slip, int windowSeconds) {
    return new ResponseRateLimiter(new RateLimitOptions(rate, slip, Duration.ofSeconds(windowSeconds)), 42);
  }

  private List<Verdict> burst(ResponseRateLimiter limiter, InetAddress client, ResponseClass kind, int n) {
    List<Verdict> verdicts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      verdicts.add(limiter.decide(client, kind, now));
    }
    return verdicts;
  }

  @Test
  void aNewPrefixGetsOneSecondsWorthAtOnceThenEverySlipthLimitedResponseIsTruncated() {
    ResponseRateLimiter limiter = limiter(5, 2, 15);
    assertEquals(List.of(SEND, SEND, SEND, SEND, SEND, DROP, SLIP, DROP, SLIP, DROP, SLIP), burst(limiter, VICTIM, ANSWER, 11));
    assertEquals(3, limiter.dropped());
    assertEquals(3, limiter.slipped());
  }

  @Test
  void slipZeroDropsEveryLimitedResponseAndSlipOneTruncatesEach() {
    assertEquals(List.of(SEND, DROP, DROP, DROP), burst(limiter(1, 0, 15), VICTIM, ANSWER, 4));
    assertEquals(List.of(SEND, SLIP, SLIP, SLIP), burst(limiter(1, 1, 15), VICTIM, ANSWER, 4));
    assertEquals(List.of(SEND, DROP, DROP, SLIP, DROP, DROP, SLIP), burst(limiter(1, 3, 15), VICTIM, ANSWER, 7));
  }

  @Test
  void aClientThatKeepsToTheRateIsAlwaysAnswered() {
    ResponseRateLimiter limiter = limiter(10, 2, 15);
    assertEquals(10, burst(limiter, VICTIM, ANSWER, 10).stream().filter(v -> v == SEND).count(), "the burst a full account allows");
    for (int i = 0; i < 1_000; i++) {
      now += SECOND / 10;
      assertEquals(SEND, limiter.decide(VICTIM, ANSWER, now), "response " + i + " at the rate");
    }
  }

  @Test
  void creditsAreEarnedAtTheRateAndNeverBeyondOneSecondsWorth() {
    ResponseRateLimiter limiter = limiter(10, 0, 15);
    burst(limiter, VICTIM, ANSWER, 10);
    now += SECOND / 10;
    assertEquals(List.of(SEND, DROP), burst(limiter, VICTIM, ANSWER, 2), "a tenth of a second earns one response");

    now += 3600 * SECOND;
    List<Verdict> afterAnHour = burst(limiter, VICTIM, ANSWER, 12);
    assertEquals(10, afterAnHour.stream().filter(v -> v == SEND).count(), "an idle account fills to the rate, no more");
  }

  @Test
  void aFloodStaysLimitedUntilItHasKeptBelowTheRateForTheWindow() {
    ResponseRateLimiter limiter = limiter(10, 0, 15);
    burst(limiter, VICTIM, ANSWER, 100_000); // the debt stops at 15 s worth: 150 responses
    now += 14 * SECOND;
    assertEquals(DROP, limiter.decide(VICTIM, ANSWER, now), "14 s of quiet pays 140 of the 150");
    now += 1_200_000_000L;
    assertEquals(SEND, limiter.decide(VICTIM, ANSWER, now), "after the window, answered again");
  }

  @Test
  void addressesShareAnAccountPerSlash24AndSlash56() {
    ResponseRateLimiter limiter = limiter(2, 0, 15);
    assertEquals(List.of(SEND, SEND), burst(limiter, address("192.0.2.1"), ANSWER, 2));
    assertEquals(DROP, limiter.decide(address("192.0.2.200"), ANSWER, now), "same /24");
    assertEquals(SEND, limiter.decide(address("192.0.3.1"), ANSWER, now), "another /24");

    assertEquals(List.of(SEND, SEND), burst(limiter, address("2001:db8:0:100::1"), ANSWER, 2));
    assertEquals(DROP, limiter.decide(address("2001:db8:0:1ff:ffff::2"), ANSWER, now), "same /56");
    assertEquals(SEND, limiter.decide(address("2001:db8:0:200::1"), ANSWER, now), "another /56");
  }

  @Test
  void eachKindOfResponseHasItsOwnAccount() {
    ResponseRateLimiter limiter = limiter(1, 0, 15);
    assertEquals(List.of(SEND, DROP), burst(limiter, VICTIM, NXDOMAIN, 2));
    assertEquals(SEND, limiter.decide(VICTIM, ANSWER, now), "name errors do not use up the answers");
  }

  @Test
  void keysAreExactSoPrefixesNeverShareAnAccountByAccident() {
    assertEquals(ResponseRateLimiter.key(address("10.1.2.3"), ANSWER), ResponseRateLimiter.key(address("10.1.2.250"), ANSWER));
    assertEquals(false, ResponseRateLimiter.key(address("10.1.2.3"), ANSWER) == ResponseRateLimiter.key(address("10.1.3.3"), ANSWER));
    assertEquals(false, ResponseRateLimiter.key(address("10.1.2.3"), ANSWER) == ResponseRateLimiter.key(address("::a01:203"), ANSWER),
        "the family is part of the key");
    assertEquals(false, ResponseRateLimiter.key(address("10.1.2.3"), ANSWER) == ResponseRateLimiter.key(address("10.1.2.3"), NXDOMAIN));
  }

  @Test
  void theClassOfAResponseIsReadFromItsHeader() throws Exception {
    Message answer = reply(Rcode.NOERROR, true);
    answer.addRecord(Record.fromString(Name.root, Type.A, 1, 60, "192.0.2.1", Name.root), Section.ANSWER);
    assertEquals(ANSWER, ResponseClass.of(wire(answer)));

    Message referral = reply(Rcode.NOERROR, false);
    referral.addRecord(new NSRecord(Name.fromString("com."), 1, 60, Name.fromString("a.gtld-servers.net.")), Section.AUTHORITY);
    assertEquals(ResponseClass.REFERRAL, ResponseClass.of(wire(referral)));

    Message noData = reply(Rcode.NOERROR, true);
    noData.addRecord(soa(), Section.AUTHORITY);
    assertEquals(ResponseClass.NODATA, ResponseClass.of(wire(noData)));
    Message resolverNoData = reply(Rcode.NOERROR, false);
    resolverNoData.getHeader().setFlag(Flags.RA);
    resolverNoData.addRecord(soa(), Section.AUTHORITY);
    assertEquals(ResponseClass.NODATA, ResponseClass.of(wire(resolverNoData)), "a resolver's no data: RA, not AA");

    Message nxdomain = reply(Rcode.NXDOMAIN, true);
    nxdomain.addRecord(soa(), Section.AUTHORITY);
    assertEquals(NXDOMAIN, ResponseClass.of(wire(nxdomain)));
    assertEquals(ResponseClass.ERROR, ResponseClass.of(wire(reply(Rcode.REFUSED, false))));
    assertEquals(ResponseClass.ERROR, ResponseClass.of(wire(reply(Rcode.NOERROR, true))), "no records at all");
    assertEquals(ResponseClass.ERROR, ResponseClass.of(ByteBuffer.wrap(new byte[5])), "a runt");
  }

  @Test
  void optionsOutOfRangeAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new RateLimitOptions(100_001, 2, Duration.ofSeconds(15)));
    assertThrows(IllegalArgumentException.class, () -> new RateLimitOptions(10, 11, Duration.ofSeconds(15)));
    assertThrows(IllegalArgumentException.class, () -> new RateLimitOptions(10, 2, Duration.ofMillis(1500)));
    assertThrows(IllegalArgumentException.class, () -> new RateLimitOptions(10, 2, Duration.ofHours(2)));
    assertThrows(IllegalArgumentException.class, () -> new ResponseRateLimiter(RateLimitOptions.off()));
  }

  private static Message reply(int rcode, boolean authoritative) {
    Message m = new Message(7);
    m.getHeader().setFlag(Flags.QR);
    if (authoritative) {
      m.getHeader().setFlag(Flags.AA);
    }
    m.getHeader().setRcode(rcode);
    return m;
  }

  private static SOARecord soa() throws Exception {
    return (SOARecord) Record.fromString(Name.root, Type.SOA, 1, 60,
        "a.root-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 86400", Name.root);
  }

  private static ByteBuffer wire(Message m) {
    return ByteBuffer.wrap(m.toWire());
  }
}
