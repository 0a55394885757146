package org.rootmirror.resolver.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.Resolver;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.rootmirror.resolver.testing.FakeResolver;
import org.rootmirror.resolver.testing.MutableTime;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.server.testing.RecordingSink;
import org.rootmirror.sync.server.xfr.AddressAcl;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
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
  void aFailureBeforeAnyResolutionIsServfailToo() throws IOException {
    Resolver broken = new Resolver() {
      @Override
      public Resolution resolve(Question question, boolean cd) {
        throw new AssertionError("not reached");
      }

      @Override
      public Resolution cached(Question question, boolean cd) {
        throw new NullPointerException("cache entry without data");
      }
    };
    try (ResolverQueryHandler handler = new ResolverQueryHandler(broken, AddressAcl.loopback(), 4)) {
      for (Transport transport : Transport.values()) {
        Message query = Message.newQuery(Record.newRecord(WWW, Type.A, DClass.IN));
        RecordingSink sink = new RecordingSink();
        handler.handle(ByteBuffer.wrap(query.toWire()), transport, new InetSocketAddress("127.0.0.1", 40000), sink);
        Message reply = new Message(sink.messages().get(0));
        assertEquals(Rcode.SERVFAIL, reply.getRcode(), transport.toString());
        assertEquals(query.getQuestion(), reply.getQuestion());
      }
      assertEquals(2, handler.counters().resolutionFailures());
      assertEquals(2, handler.counters().responses(Rcode.SERVFAIL));
    }
  }

  @Test
  void anyOverUdpIsAnEmptyTruncatedAnswerWithoutResolvingAndOverTcpIsResolved() throws IOException {
    java.util.concurrent.atomic.AtomicInteger resolved = new java.util.concurrent.atomic.AtomicInteger();
    Resolver counting = (question, cd) -> {
      resolved.incrementAndGet();
      return new Resolution(Rcode.NOERROR, List.of(new RRset(new ARecord(WWW, DClass.IN, 60, InetAddress.getLoopbackAddress()))),
          List.of(), SecurityStatus.INSECURE, null);
    };
    try (ResolverQueryHandler handler = new ResolverQueryHandler(counting, AddressAcl.loopback(), 4)) {
      Message query = Message.newQuery(Record.newRecord(WWW, Type.ANY, DClass.IN));
      query.addRecord(new org.xbill.DNS.OPTRecord(1232, 0, 0, org.xbill.DNS.ExtendedFlags.DO), Section.ADDITIONAL);
      RecordingSink udp = new RecordingSink();
      handler.handle(ByteBuffer.wrap(query.toWire()), Transport.UDP, new InetSocketAddress("127.0.0.1", 40000), udp);
      byte[] wire = udp.messages().get(0);
      Message reply = new Message(wire);
      assertEquals(Rcode.NOERROR, reply.getRcode());
      assertEquals(true, reply.getHeader().getFlag(org.xbill.DNS.Flags.TC), "ask again over TCP");
      assertEquals(0, reply.getSection(Section.ANSWER).size());
      assertEquals(query.toWire().length, wire.length, "no larger than the question: nothing to amplify");
      assertEquals(0, resolved.get(), "and nothing asked upstream");

      RecordingSink tcp = new RecordingSink();
      handler.handle(ByteBuffer.wrap(query.toWire()), Transport.TCP, new InetSocketAddress("127.0.0.1", 40000), tcp);
      assertEquals(1, new Message(tcp.messages().get(0)).getSection(Section.ANSWER).size());
      assertEquals(1, resolved.get());
    }
  }

  @Test
    void aMissBeyondTheResolutionsInFlightIsAnsweredServfailBusyAtOnceAndCountedOverloaded() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Resolver held = (question, cd) -> {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new Resolution(Rcode.NOERROR, List.of(), List.of(), SecurityStatus.INSECURE, null);
    };
    try (ResolverQueryHandler handler = new ResolverQueryHandler(held, AddressAcl.loopback(), 1)) {
      Message first = Message.newQuery(Record.newRecord(WWW, Type.A, DClass.IN));
      handler.handle(ByteBuffer.wrap(first.toWire()), Transport.UDP, new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000),
          new RecordingSink());
      awaitInFlight(handler, 1);

      Message busy = ask(handler, "other.example.", true);
      assertEquals(Rcode.SERVFAIL, busy.getRcode());
      ExtendedErrorCodeOption ede = (ExtendedErrorCodeOption) busy.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR).get(0);
      assertEquals(ExtendedErrorCodeOption.OTHER, ede.getErrorCode());
      assertTrue(ede.getText().contains("busy: 1 resolutions in flight"), ede.getText());
      assertEquals(1, handler.counters().overloaded());
      assertEquals(1, handler.inFlight(), "nothing queued behind the one running");

      release.countDown();
      awaitInFlight(handler, 0);
      assertEquals(1, handler.counters().overloaded());
    }
  }

  private static void awaitInFlight(ResolverQueryHandler handler, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (handler.inFlight() != count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("resolutions in flight: " + handler.inFlight() + ", expected " + count);
      }
      Thread.sleep(5);
    }
  }

  @Test
  void rejectsAMaxInFlightBelowOne() {
    assertThrows(IllegalArgumentException.class, () -> new ResolverQueryHandler(cachedWww(), AddressAcl.loopback(), 0));
    assertThrows(IllegalArgumentException.class, () -> ResolverService.Options.defaults().withMaxInFlight(0));
  }

  @Test
  void aCacheHitIsEncodedOncePerSecondAndTheCacheAskedAgainTheNextSecond() throws IOException {
    MutableTime time = new MutableTime();
    FakeResolver resolver = new FakeResolver();
    Question www = Question.of(WWW, Type.A);
    resolver.cache(www, new Resolution(Rcode.NOERROR, List.of(new RRset(new ARecord(WWW, DClass.IN, 60, InetAddress.getByName("192.0.2.1")))),
        List.of(), SecurityStatus.SECURE, null));
    try (ResolverQueryHandler handler = new ResolverQueryHandler(resolver, AddressAcl.loopback(), 4, time)) {
      Message first = ask(handler, "www.example.", false);
      Message second = ask(handler, "WWW.Example.", false);
      assertEquals(1, resolver.lookups(), "the second hit in the same second is a copy");
      assertEquals("WWW.Example.", second.getQuestion().getName().toString(), "the client's case kept");
      assertEquals(first.getSection(Section.ANSWER), second.getSection(Section.ANSWER));
      assertEquals(2, handler.counters().cacheHits());

      ask(handler, "www.example.", true);
      assertEquals(2, resolver.lookups(), "with DO the sections differ, so they are encoded apart");

      time.advanceSeconds(1);
      resolver.cache(www, new Resolution(Rcode.NOERROR, List.of(new RRset(new ARecord(WWW, DClass.IN, 59, InetAddress.getByName("192.0.2.1")))),
          List.of(), SecurityStatus.SECURE, null));
      Message later = ask(handler, "www.example.", false);
      assertEquals(3, resolver.lookups(), "a new second asks the cache again");
      assertEquals(59, later.getSection(Section.ANSWER).get(0).getTTL());
    }
  }

  @Test
  void metaTypesAreFormerrWithoutResolvingAndTypeZeroIsResolved() throws IOException {
    java.util.concurrent.atomic.AtomicInteger resolved = new java.util.concurrent.atomic.AtomicInteger();
    Resolver counting = (question, cd) -> {
      resolved.incrementAndGet();
      return new Resolution(Rcode.NOERROR, List.of(), List.of(), SecurityStatus.INSECURE, null);
    };
    try (ResolverQueryHandler handler = new ResolverQueryHandler(counting, AddressAcl.loopback(), 4)) {
      for (int type : new int[] {Type.OPT, Type.TSIG, Type.TKEY, Type.MAILA, Type.MAILB, 128, 200, 248}) {
        assertEquals(Rcode.FORMERR, rcode(handler, type), Type.string(type));
      }
      assertEquals(0, resolved.get(), "no meta-type reached the resolver");
      for (int type : new int[] {0, Type.ANY, Type.URI}) {
        assertEquals(Rcode.NOERROR, rcode(handler, type), Type.string(type));
      }
      assertEquals(3, resolved.get());
    }
  }

  @Test
  void aServfailWhoseErrorTextNamesALongQuestionStillFitsTheClientsUdpSize() throws IOException {
    // as the validator words a bogus answer: the name, escaped, twice (found by ResolverFuzzTest)
    Name longName = Name.fromConstantString("\\001".repeat(60) + "." + "\\002".repeat(60) + "." + "x".repeat(60) + "." + "y".repeat(60) + ".");
    String text = longName + " A: " + longName + " A: bad signature by key 1243";
    Resolver bogus = new Resolver() {
      @Override
      public Resolution resolve(Question question, boolean cd) {
        throw new AssertionError("answered from the cache");
      }

      @Override
      public Resolution cached(Question question, boolean cd) {
        return Resolution.servfail(org.xbill.DNS.ExtendedErrorCodeOption.DNSSEC_BOGUS, text);
      }
    };
    try (ResolverQueryHandler handler = new ResolverQueryHandler(bogus, AddressAcl.loopback(), 4)) {
      for (int payload : new int[] {512, 1232}) {
        Message query = Message.newQuery(Record.newRecord(longName, Type.A, DClass.IN));
        query.addRecord(new org.xbill.DNS.OPTRecord(payload, 0, 0), Section.ADDITIONAL);
        RecordingSink sink = new RecordingSink();
        handler.handle(ByteBuffer.wrap(query.toWire()), Transport.UDP, new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000), sink);
        byte[] reply = sink.messages().get(0);
        assertTrue(reply.length <= payload, reply.length + " bytes to a client allowing " + payload);
        Message response = new Message(reply);
        assertEquals(Rcode.SERVFAIL, response.getRcode());
        var ede = (org.xbill.DNS.ExtendedErrorCodeOption) response.getOPT().getOptions(org.xbill.DNS.EDNSOption.Code.EDNS_EXTENDED_ERROR).get(0);
        assertEquals(org.xbill.DNS.ExtendedErrorCodeOption.DNSSEC_BOGUS, ede.getErrorCode(), "the code stays whole");
        assertTrue(text.startsWith(ede.getText()), "the text is cut, not changed");
      }
      Message query = Message.newQuery(Record.newRecord(longName, Type.A, DClass.IN));
      query.addRecord(new org.xbill.DNS.OPTRecord(512, 0, 0), Section.ADDITIONAL);
      RecordingSink sink = new RecordingSink();
      handler.handle(ByteBuffer.wrap(query.toWire()), Transport.TCP, new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000), sink);
      var ede = (org.xbill.DNS.ExtendedErrorCodeOption) new Message(sink.messages().get(0)).getOPT()
          .getOptions(org.xbill.DNS.EDNSOption.Code.EDNS_EXTENDED_ERROR).get(0);
      assertEquals(text, ede.getText(), "over TCP the whole text");
    }
  }

  private static int rcode(ResolverQueryHandler handler, int type) throws IOException {
    Message query = Message.newQuery(Record.newRecord(WWW, type, DClass.IN));
    RecordingSink sink = new RecordingSink();
    handler.handle(ByteBuffer.wrap(query.toWire()), Transport.TCP, new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000), sink);
    assertEquals(1, sink.messages().size());
    return new Message(sink.messages().get(0)).getRcode();
  }

  private static Message ask(ResolverQueryHandler handler, String name, boolean dnssec) throws IOException {
    Message query = Message.newQuery(Record.newRecord(Name.fromConstantString(name), Type.A, DClass.IN));
    if (dnssec) {
      query.addRecord(new org.xbill.DNS.OPTRecord(1232, 0, 0, org.xbill.DNS.ExtendedFlags.DO), Section.ADDITIONAL);
    }
    RecordingSink sink = new RecordingSink();
    handler.handle(ByteBuffer.wrap(query.toWire()), Transport.UDP, new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000), sink);
    assertEquals(1, sink.messages().size());
    return new Message(sink.messages().get(0));
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
