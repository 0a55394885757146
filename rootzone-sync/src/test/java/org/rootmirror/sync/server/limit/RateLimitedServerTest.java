package org.rootmirror.sync.server.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rootmirror.sync.server.QueryHandler;
import org.rootmirror.sync.server.net.MirrorServer;
import org.rootmirror.sync.server.net.ServerNetOptions;
import org.rootmirror.sync.server.testing.HandlerClient;
import org.rootmirror.sync.server.testing.SteppedClock;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Response rate limiting in a real server on loopback: two client sockets that the handler sees
 * as two addresses outside loopback (the source is given at the handler: loopback itself is
 * never limited), one flooding and one asking once. The clock stands still, so the flood all
 * arrives within one instant; nothing depends on how fast the machine is.
 */
@Timeout(60)
class RateLimitedServerTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @Test
  void aFloodFromOneSourceIsLimitedWithSlipsWhileAnotherSourceIsAnswered() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    ResponseRateLimiter limiter = new ResponseRateLimiter(new RateLimitOptions(5, 2, Duration.ofSeconds(15)));
    QueryHandler limited = new RateLimitedHandler(RateLimitedHandlerTest.root(), limiter, new SteppedClock());
    try (DatagramSocket flooder = new DatagramSocket(0, loopback); DatagramSocket other = new DatagramSocket(0, loopback)) {
      Map<Integer, InetAddress> seenAs = Map.of(
          flooder.getLocalPort(), InetAddress.getByName("198.51.100.7"),
          other.getLocalPort(), InetAddress.getByName("203.0.113.9"));
      QueryHandler spoofed = (query, transport, client, out) -> limited.handle(query, transport,
          new InetSocketAddress(seenAs.getOrDefault(client.getPort(), client.getAddress()), client.getPort()), out);
      ServerNetOptions options = ServerNetOptions.defaults().withAddresses(List.of(loopback)).withPort(0).withUdpThreads(1);
      try (MirrorServer server = MirrorServer.start(options, spoofed)) {
        InetSocketAddress address = server.localAddresses().get(0);
        for (int id = 1; id <= 20; id++) {
          send(flooder, address, id);
        }
        await(() -> limiter.dropped() + limiter.slipped() == 15);
        assertEquals(8, limiter.dropped());
        assertEquals(7, limiter.slipped());

        int full = 0;
        int truncated = 0;
        for (int i = 0; i < 12; i++) {
          Message reply = receive(flooder);
          if (reply.getHeader().getFlag(Flags.TC)) {
            truncated++;
            assertEquals(0, reply.getHeader().getCount(Section.ANSWER));
          } else {
            full++;
            assertEquals(Type.SOA, reply.getSection(Section.ANSWER).get(0).getType());
          }
        }
        assertEquals(5, full, "a second's worth, then limited");
        assertEquals(7, truncated, "every second limited response slips");

        send(other, address, 99);
        Message answer = receive(other);
        assertEquals(99, answer.getHeader().getID());
        assertFalse(answer.getHeader().getFlag(Flags.TC), "the other source is answered in full");
        await(() -> server.counters().udpSent() == 13);
        assertTrue(limiter.dropped() == 8 && limiter.slipped() == 7, "the other source cost the flooder nothing");
      }
    }
  }

  private static void send(DatagramSocket socket, InetSocketAddress to, int id) throws IOException {
    Message query = HandlerClient.edns(HandlerClient.query(".", Type.SOA), 1232, true);
    query.getHeader().setID(id);
    byte[] wire = query.toWire();
    socket.send(new DatagramPacket(wire, wire.length, to));
  }

  private static Message receive(DatagramSocket socket) throws IOException {
    socket.setSoTimeout((int) DEADLINE.toMillis());
    DatagramPacket packet = new DatagramPacket(new byte[4096], 4096);
    socket.receive(packet);
    return new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
  }

  private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within " + DEADLINE.toSeconds() + " s");
      }
      Thread.sleep(10);
    }
  }
}
