package org.rootmirror.sync.server.limit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.sync.server.QueryHandler;
import org.rootmirror.sync.server.ResponseSink;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.server.query.RootQueryHandler;
import org.rootmirror.sync.server.query.ServerOptions;
import org.rootmirror.sync.server.testing.HandlerClient;
import org.rootmirror.sync.server.testing.RecordingSink;
import org.rootmirror.sync.server.testing.ServedZones;
import org.rootmirror.sync.server.testing.SteppedClock;
import org.rootmirror.sync.store.PublishedZone;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The limiter in front of the root handler, clients' addresses given at the handler: what is sent, dropped and slipped. */
class RateLimitedHandlerTest {
  private static final InetSocketAddress ATTACKED = new InetSocketAddress("198.51.100.7", 4444);
  private static final InetSocketAddress NEIGHBOUR = new InetSocketAddress("198.51.100.99", 4444);
  private static final InetSocketAddress ELSEWHERE = new InetSocketAddress("203.0.113.9", 5555);

  private final SteppedClock clock = new SteppedClock();
  private final ResponseRateLimiter limiter = new ResponseRateLimiter(new RateLimitOptions(3, 2, Duration.ofSeconds(15)));
  private final RateLimitedHandler handler = new RateLimitedHandler(root(), limiter, clock);

  static QueryHandler root() {
    PublishedZone published = new PublishedZone();
    published.publish(ServedZones.small());
    return new RootQueryHandler(published, ServerOptions.defaults(), null);
  }

  private List<byte[]> ask(InetSocketAddress client, Transport transport, Message query) throws IOException {
    RecordingSink sink = new RecordingSink();
    handler.handle(ByteBuffer.wrap(query.toWire()), transport, client, sink);
    return sink.messages();
  }

  @Test
  void beyondTheRateAPrefixGetsDropsAndSlipsWhileOthersAreAnswered() throws IOException {
    int full = 0;
    int truncated = 0;
    int silent = 0;
    for (int i = 0; i < 11; i++) {
      List<byte[]> replies = ask(i % 2 == 0 ? ATTACKED : NEIGHBOUR, Transport.UDP, HandlerClient.query(".", Type.SOA));
      if (replies.isEmpty()) {
        silent++;
      } else if (new Message(replies.get(0)).getHeader().getFlag(Flags.TC)) {
        truncated++;
      } else {
        full++;
      }
    }
    assertEquals(3, full, "one /24 shares three responses a second");
    assertEquals(4, truncated, "every second limited one slips");
    assertEquals(4, silent);
    assertEquals(List.of(4L, 4L), List.of(limiter.dropped(), limiter.slipped()));

    Message answer = new Message(ask(ELSEWHERE, Transport.UDP, HandlerClient.query(".", Type.SOA)).get(0));
    assertEquals(Rcode.NOERROR, answer.getRcode());
    assertFalse(answer.getHeader().getFlag(Flags.TC), "another prefix has its own account");

    clock.step(Duration.ofSeconds(20));
    assertFalse(new Message(ask(ATTACKED, Transport.UDP, HandlerClient.query(".", Type.SOA)).get(0)).getHeader().getFlag(Flags.TC),
        "answered again once the flood has stopped for the window");
  }

  @Test
  void tcpAndLoopbackAreNeverLimited() throws IOException {
    for (InetSocketAddress loopback : List.of(new InetSocketAddress("127.0.0.1", 53), new InetSocketAddress("::1", 53))) {
      for (int i = 0; i < 10; i++) {
        assertFalse(new Message(ask(loopback, Transport.UDP, HandlerClient.query(".", Type.SOA)).get(0)).getHeader().getFlag(Flags.TC));
      }
    }
    for (int i = 0; i < 10; i++) {
      assertEquals(1, new Message(ask(ATTACKED, Transport.TCP, HandlerClient.query(".", Type.SOA)).get(0))
          .getSection(Section.ANSWER).size(), "TCP: the handshake proved the source");
    }
    assertEquals(0, limiter.dropped() + limiter.slipped());
  }

  @Test
  void aSlipIsTheResponsesHeaderWithTcAndItsQuestionAndNothingElse() throws IOException {
    Message query = HandlerClient.edns(HandlerClient.query("NoSuchTld.", Type.A), 1232, true);
    byte[] response = ask(ELSEWHERE, Transport.TCP, query).get(0);
    byte[] slip = RateLimitedHandler.truncated(ByteBuffer.wrap(response)).array();

    int question = 12 + "NoSuchTld.".length() + 1 + 4;
    assertEquals(question, slip.length, "about the query's size: no amplification");
    assertArrayEquals(Arrays.copyOfRange(response, 12, question), Arrays.copyOfRange(slip, 12, question), "the question as asked");
    Message parsed = new Message(slip);
    assertEquals(query.getHeader().getID(), parsed.getHeader().getID());
    assertTrue(parsed.getHeader().getFlag(Flags.TC));
    assertTrue(parsed.getHeader().getFlag(Flags.QR));
    assertEquals(Rcode.NXDOMAIN, parsed.getRcode(), "the RCODE kept, as NSD's slip keeps it");
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      assertEquals(0, parsed.getHeader().getCount(section));
    }
  }

  @Test
  void anAnswerSentLaterFromADetachedSinkIsLimitedToo() throws IOException {
    RecordingSink later = new RecordingSink();
    ResponseSink listener = new ResponseSink() {
      @Override
      public void send(ByteBuffer message) {
        throw new AssertionError("the handler answers later");
      }

      @Override
      public ResponseSink detach() {
        return later;
      }
    };
    ResponseSink[] kept = new ResponseSink[1];
    RateLimitedHandler deferred = new RateLimitedHandler((q, t, c, out) -> kept[0] = out.detach(), limiter, clock);
    byte[] response = ask(ELSEWHERE, Transport.TCP, HandlerClient.query(".", Type.SOA)).get(0);
    for (int i = 0; i < 4; i++) {
      deferred.handle(ByteBuffer.wrap(HandlerClient.query(".", Type.SOA).toWire()), Transport.UDP, ATTACKED, listener);
      kept[0].send(ByteBuffer.wrap(response));
    }
    assertEquals(3, later.messages().size(), "three sent, the fourth dropped");
  }
}
