package org.rootmirror.resolver.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.Resolver;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.server.testing.RecordingSink;
import org.rootmirror.sync.server.xfr.AddressAcl;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The handler called directly, from clients a loopback socket cannot be: other addresses, a resolver that throws. */
class ResolverQueryHandlerTest {
  private static final Name WWW = Name.fromConstantString("www.example.");

  @Test
  void defaultsListenOnLoopbackPort53AndServeOnlyLoopbackClients() throws IOException {
    ResolverService.Options defaults = ResolverService.Options.defaults();
    assertEquals(List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")), defaults.net().addresses());
    assertEquals(53, defaults.net().port());
    assertEquals(ResolverService.DEFAULT_MAX_IN_FLIGHT, defaults.maxInFlight());

    Resolver cached = cachedWww();
    try (ResolverQueryHandler handler = new ResolverQueryHandler(cached, defaults.clients(), defaults.maxInFlight())) {
      assertEquals(Rcode.NOERROR, rcode(handler, "127.0.0.53"));
      assertEquals(Rcode.NOERROR, rcode(handler, "::1"));
      assertEquals(Rcode.REFUSED, rcode(handler, "192.0.2.7"));
      assertEquals(Rcode.REFUSED, rcode(handler, "2001:db8::1"));
      assertEquals(2, handler.counters().responses(Rcode.REFUSED));
      assertEquals(2, handler.counters().cacheHits());
    }
  }

  @Test
  void aResolverThatThrowsStillGetsTheClientAServfail() throws IOException {
    Resolver broken = (question, cd) -> {
      throw new IllegalStateException("bug");
    };
    try (ResolverQueryHandler handler = new ResolverQueryHandler(broken, AddressAcl.loopback(), 4)) {
      assertEquals(Rcode.SERVFAIL, rcode(handler, "127.0.0.1"));
      assertEquals(1, handler.counters().resolutionFailures());
      assertEquals(0, handler.inFlight(), "the slot is given back");
    }
  }

  @Test
  void rejectsAMaxInFlightBelowOne() {
    assertThrows(IllegalArgumentException.class, () -> new ResolverQueryHandler(cachedWww(), AddressAcl.loopback(), 0));
    assertThrows(IllegalArgumentException.class, () -> ResolverService.Options.defaults().withMaxInFlight(0));
  }

  private static Resolver cachedWww() {
    return new Resolver() {
      @Override
      public Resolution resolve(Question question, boolean cd) {
        throw new AssertionError("a cache hit must not resolve");
      }

      @Override
      public Resolution cached(Question question, boolean cd) {
        try {
          return new Resolution(Rcode.NOERROR, List.of(new RRset(new ARecord(WWW, DClass.IN, 60, InetAddress.getByName("192.0.2.1")))),
              List.of(), SecurityStatus.INSECURE, null);
        } catch (IOException e) {
          throw new AssertionError(e);
        }
      }
    };
  }

  /** Asks over "TCP" (answered before handle returns) from {@code from}; the response's RCODE. */
  private static int rcode(ResolverQueryHandler handler, String from) throws IOException {
    Message query = Message.newQuery(Record.newRecord(WWW, Type.A, DClass.IN));
    RecordingSink sink = new RecordingSink();
    handler.handle(ByteBuffer.wrap(query.toWire()), Transport.TCP, new InetSocketAddress(InetAddress.getByName(from), 40000), sink);
    assertEquals(1, sink.messages().size());
    Message response = new Message(sink.messages().get(0));
    assertEquals(1, response.getHeader().getCount(Section.QUESTION));
    return response.getRcode();
  }
}
