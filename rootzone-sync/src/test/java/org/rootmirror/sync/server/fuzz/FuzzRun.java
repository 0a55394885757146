package org.rootmirror.sync.server.fuzz;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.rootmirror.sync.server.QueryHandler;
import org.rootmirror.sync.server.ResponseSink;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.server.fuzz.FuzzedQueries.Kind;
import org.rootmirror.sync.server.fuzz.FuzzedQueries.Packet;
import org.xbill.DNS.Message;

/**
 * Feeds a {@link QueryHandler} fuzzed packets as its listeners would (over UDP in a reused direct
 * buffer, scribbled over once the handler returns, as the next datagram would; over TCP in a
 * buffer of its own) and judges every outcome with {@link ReplyCheck}: the first packet that
 * makes the handler throw, or catch an exception of its own, or that gets a wrong reply, fails
 * the run with the seed to replay it.
 *
 * <p>Seeds: each test runs a fixed seed, the same in every build, and one drawn anew, printed on
 * failure; {@code -Drootmirror.fuzz.seed=N} runs seed N alone, {@code -Drootmirror.fuzz.count=N}
 * sets the packets per seed.
 */
public final class FuzzRun {
  public static final long FIXED_SEED = 0x12F022L;
  /** How long a reply the handler detached (an answer after a resolution) may take: generous, for a loaded machine. */
  private static final long REPLY_WAIT_MILLIS = 30_000;

  /**
   * A handler and what to expect of it.
   *
   * @param maxUdp the server's cap on UDP replies
   * @param clients the addresses queries come from, one drawn per packet
   * @param names names the handler knows, for the generator
   * @param answered whether every readable query must get a reply (not so for a server that drops when busy)
   * @param failures the handler's count of exceptions it caught and answered SERVFAIL for: a bug
   *     each, which the catch would otherwise hide from the fuzz
   */
  public record Target(QueryHandler handler, int maxUdp, List<InetSocketAddress> clients, List<String> names, boolean answered,
      LongSupplier failures) {
    public Target(QueryHandler handler, int maxUdp, List<InetSocketAddress> clients, List<String> names, boolean answered) {
      this(handler, maxUdp, clients, names, answered, () -> 0);
    }
  }

  /** What a run sent and got back. */
  public record Summary(long seed, int packets, int replied, int truncated, Map<Integer, Integer> rcodes, Map<Kind, Integer> kinds) {
    @Override
    public String toString() {
      return String.format("seed %d: %d packets, %d replied, %d truncated, by rcode %s, by kind %s",
          seed, packets, replied, truncated, rcodes, kinds);
    }
  }

  private FuzzRun() {}

  /** The fixed seed and a new one, or {@code -Drootmirror.fuzz.seed} alone. */
  public static List<Long> seeds() {
    String given = System.getProperty("rootmirror.fuzz.seed");
    if (given != null && !given.isBlank()) {
      return List.of(Long.decode(given.trim()));
    }
    return List.of(FIXED_SEED, ThreadLocalRandom.current().nextLong());
  }

  /** {@code -Drootmirror.fuzz.count}, else {@code count}. */
  public static int count(int count) {
    return Integer.getInteger("rootmirror.fuzz.count", count);
  }

  /**
   * Sends {@code count} packets from {@code seed}, a quarter of them over TCP.
   *
   * @throws AssertionError at the first wrong outcome, saying which packet, why, and how to replay it
   */
  public static Summary run(Target target, long seed, int count) {
    FuzzedQueries queries = new FuzzedQueries(seed, target.names());
    SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    ByteBuffer datagram = ByteBuffer.allocateDirect(Mutations.MAX_MESSAGE);
    int replied = 0;
    int truncated = 0;
    Map<Integer, Integer> rcodes = new TreeMap<>();
    Map<Kind, Integer> kinds = new EnumMap<>(Kind.class);
    long failures = target.failures().getAsLong();
    for (int i = 0; i < count; i++) {
      Packet packet = queries.next();
      Transport transport = random.nextInt(4) == 0 ? Transport.TCP : Transport.UDP;
      InetSocketAddress client = target.clients().get(random.nextInt(target.clients().size()));
      Sink sink = new Sink();
      ByteBuffer query;
      if (transport == Transport.UDP) {
        datagram.clear();
        datagram.put(packet.wire()).flip();
        query = datagram;
      } else {
        query = ByteBuffer.wrap(packet.wire().clone());
      }
      try {
        target.handler().handle(query, transport, client, sink);
      } catch (Throwable e) {
        throw failure(seed, i, packet, transport, client, "the handler threw " + e, e);
      }
      if (transport == Transport.UDP) {
        scribble(datagram, packet.wire().length);
      }
      List<byte[]> replies = sink.await();
      String problem = ReplyCheck.check(packet.wire(), transport, replies, target.maxUdp(), target.answered());
      long caught = target.failures().getAsLong();
      if (problem == null && caught > failures) {
        problem = "the handler caught an exception (see the log above) and answered SERVFAIL";
      }
      failures = caught;
      if (problem != null) {
        throw failure(seed, i, packet, transport, client, problem, null);
      }
      kinds.merge(packet.kind(), 1, Integer::sum);
      if (!replies.isEmpty()) {
        replied++;
        byte[] first = replies.get(0);
        rcodes.merge(rcode(first), 1, Integer::sum);
        if ((first[2] & 0x02) != 0) {
          truncated++;
        }
      }
    }
    return new Summary(seed, count, replied, truncated, rcodes, kinds);
  }

  /** The RCODE with its upper bits from the OPT record (RFC 6891 section 6.1.3); the reply has passed {@link ReplyCheck}. */
  private static int rcode(byte[] reply) {
    try {
      return new Message(reply).getRcode();
    } catch (IOException e) {
      throw new AssertionError("a checked reply did not parse", e);
    }
  }

  /** The listener's buffer holds the next datagram once the handler returns: a handler that kept it reads junk. */
  private static void scribble(ByteBuffer datagram, int length) {
    for (int i = 0; i < length; i++) {
      datagram.put(i, (byte) 0xA5);
    }
  }

  private static AssertionError failure(long seed, int index, Packet packet, Transport transport, InetSocketAddress client,
      String problem, Throwable cause) {
    String message = String.format("fuzz seed %d, packet %d, %s over %s from %s: %s%n  query: %s%n"
            + "  replay: -Drootmirror.fuzz.seed=%d (and -Dtest= this test)",
        seed, index, packet, transport, client.getAddress().getHostAddress(), problem, Hex.of(packet.wire()), seed);
    return new AssertionError(message, cause);
  }

  /** Keeps what the handler sends, from its thread or, once detached, from any other. */
  private static final class Sink implements ResponseSink {
    private final List<byte[]> messages = new ArrayList<>();
    private boolean detached;

    @Override
    public synchronized void send(ByteBuffer message) {
      byte[] copy = new byte[message.remaining()];
      message.get(copy);
      messages.add(copy);
      notifyAll();
    }

    @Override
    public synchronized ResponseSink detach() {
      detached = true;
      return this;
    }

    /** What was sent; when the handler detached and has not yet sent, waits for its one reply. */
    synchronized List<byte[]> await() {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REPLY_WAIT_MILLIS);
      while (detached && messages.isEmpty()) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          break;
        }
        try {
          wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return List.copyOf(messages);
    }
  }
}
