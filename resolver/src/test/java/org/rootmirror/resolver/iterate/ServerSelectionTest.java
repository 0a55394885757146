package org.rootmirror.resolver.iterate;

import org.rootmirror.resolver.testing.MutableTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ServerSelectionTest {
  private static final InetSocketAddress A = server("192.0.2.1");
  private static final InetSocketAddress B = server("192.0.2.2");
  private static final InetSocketAddress C = server("2001:db8::3");

  private final MutableTime time = new MutableTime();
  private final ServerSelection selection = new ServerSelection(time, new SplittableRandom(5));

  private static InetSocketAddress server(String address) {
    return new InetSocketAddress(address, 53);
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  private static Duration micros(long micros) {
    return Duration.ofNanos(micros * 1000);
  }

  private Map<InetSocketAddress, Integer> pick(int times, InetSocketAddress... servers) {
    var counts = new HashMap<InetSocketAddress, Integer>();
    for (int i = 0; i < times; i++) {
      counts.merge(selection.choose(List.of(servers)), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void fastestServerIsPreferredOverManyPicks() {
    for (int i = 0; i < 5; i++) {
      selection.answered(A, ms(20));
      selection.answered(B, ms(600));
    }
    assertEquals(Map.of(A, 1000), pick(1000, A, B));
  }

  @Test
  void timedOutServerIsAvoidedUntilItsBackoffExpires() {
    selection.answered(A, ms(30)); // RTO 30 + 4 * 15 = 90 ms
    selection.answered(B, ms(30));
    selection.timedOut(A); // RTO 180 ms, in backoff for 180 ms
    assertEquals(ms(180), selection.timeout(A));
    assertTrue(selection.state(A).inBackoff());
    assertEquals(Map.of(B, 200), pick(200, A, B));

    time.advance(ms(179));
    assertEquals(Map.of(B, 200), pick(200, A, B));

    time.advance(ms(1));
    assertFalse(selection.state(A).inBackoff());
    assertTrue(pick(200, A, B).getOrDefault(A, 0) > 50, "A is tried again once its backoff ends");
  }

  @Test
  void bandSpreadsLoadBetweenSimilarServers() {
    selection.answered(A, ms(30)); // RTO 90 ms
    selection.answered(B, ms(150)); // RTO 450 ms, within 400 ms of A
    var counts = pick(1000, A, B);
    assertTrue(counts.get(A) > 400 && counts.get(B) > 400, counts.toString());
  }

  @Test
  void unknownServersAreTriedAlongsideFastOnes() {
    for (int i = 0; i < 10; i++) {
      selection.answered(A, ms(10));
    }
    assertEquals(ServerSelection.UNKNOWN_RTO, selection.timeout(C));
    assertEquals(Optional.empty(), selection.state(C).srtt());
    assertTrue(pick(1000, A, C).getOrDefault(C, 0) > 400, "an unknown server is within the band");
  }

  @Test
  void serverInBackoffIsChosenOnlyWhenAllAre() {
    selection.timedOut(A); // unknown: 752 ms
    selection.timedOut(B);
    selection.timedOut(B); // 1504 ms
    assertEquals(Map.of(C, 100), pick(100, A, B, C));
    assertEquals(Map.of(A, 100), pick(100, A, B), "the one whose backoff ends first");
  }

  @Test
  void rtoFollowsRfc6298Smoothing() {
    selection.answered(A, ms(100)); // SRTT 100, RTTVAR 50
    assertEquals(ms(300), selection.timeout(A));
    selection.answered(A, ms(200)); // RTTVAR (3 * 50 + 100) / 4 = 62.5, SRTT (7 * 100 + 200) / 8 = 112.5
    var state = selection.state(A);
    assertEquals(Optional.of(micros(112_500)), state.srtt());
    assertEquals(Optional.of(micros(62_500)), state.rttvar());
    assertEquals(micros(362_500), state.rto());
  }

  @Test
  void rtoIsBoundedBetween50MillisecondsAnd12Seconds() {
    selection.answered(A, ms(1));
    assertEquals(ServerSelection.MIN_RTO, selection.timeout(A));
    selection.answered(B, Duration.ofSeconds(30));
    assertEquals(ServerSelection.MAX_RTO, selection.timeout(B));
    for (int i = 0; i < 20; i++) {
      selection.timedOut(C);
    }
    assertEquals(ServerSelection.MAX_RTO, selection.timeout(C));
    assertEquals(20, selection.state(C).timeouts());
  }

  @Test
  void answerAfterTimeoutsEndsBackoff() {
    selection.timedOut(A);
    selection.timedOut(A);
    selection.answered(A, ms(40));
    var state = selection.state(A);
    assertFalse(state.inBackoff());
    assertEquals(0, state.timeouts());
    assertEquals(ms(120), state.rto());
  }

  @Test
  void queriesThatTimeOutTogetherDoubleTheRtoOnce() {
    selection.answered(A, ms(1)); // RTO 50 ms
    time.advance(ms(1));
    var sent = time.instant();
    time.advance(ms(50));
    // a hundred queries sent together with a 50 ms RTO, none answered (issue 12: each used to
    // double the RTO again, to 12 s at once)
    for (int i = 0; i < 100; i++) {
      assertFalse(selection.timedOut(A, sent, ms(50)), "nothing answered since they were sent");
    }
    assertEquals(ms(100), selection.timeout(A));
    assertTrue(selection.state(A).inBackoff());
    assertEquals(100, selection.state(A).timeouts());
  }

  @Test
  void aLossWhileTheServerAnswersOthersLeavesItsRtoAlone() {
    selection.answered(A, ms(1)); // RTO 50 ms
    var sent = time.instant();
    time.advance(ms(20));
    selection.answered(A, ms(1)); // another query's answer came after this one was sent
    time.advance(ms(30));
    assertTrue(selection.timedOut(A, sent, ms(50)), "a lost reply, not a silent server");
    assertEquals(ms(50), selection.timeout(A));
    assertFalse(selection.state(A).inBackoff());
    assertEquals(0, selection.state(A).timeouts());
  }

  @Test
  void aLateTimeoutNeverLowersTheRto() {
    selection.timedOut(A); // unknown: 752 ms
    var sent = time.instant();
    time.advance(ms(50));
    selection.timedOut(A, sent, ms(50)); // a query sent with a shorter wait, before the raise took effect
    assertEquals(ms(752), selection.timeout(A));
  }

  @Test
  void entriesUnusedFor15MinutesAreForgotten() {
    selection.answered(A, ms(1));
    time.advance(Duration.ofMinutes(14));
    assertEquals(ServerSelection.MIN_RTO, selection.timeout(A), "a read keeps the entry");
    time.advance(Duration.ofMinutes(15).plusSeconds(1));
    assertEquals(ServerSelection.UNKNOWN_RTO, selection.timeout(A));
  }

  @Test
  void choosingFromNoServersIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> selection.choose(List.of()));
  }

  @Test
  void concurrentAnswersTimeoutsAndChoicesKeepStateConsistent() throws Exception {
    var servers = List.of(A, B, C);
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      var futures = new ArrayList<Future<?>>();
      for (int t = 0; t < 16; t++) {
        int thread = t;
        futures.add(executor.submit(() -> {
          for (int i = 0; i < 2000; i++) {
            var chosen = selection.choose(servers);
            if ((i + thread) % 10 == 0) {
              selection.timedOut(chosen);
            } else {
              selection.answered(chosen, ms(20 + i % 50));
            }
          }
          return null;
        }));
      }
      for (var future : futures) {
        future.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
    for (var server : servers) {
      var rto = selection.timeout(server);
      assertTrue(rto.compareTo(ServerSelection.MIN_RTO) >= 0
          && rto.compareTo(ServerSelection.MAX_RTO) <= 0, rto.toString());
    }
  }
}
