package org.rootmirror.sync.server.xfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rootmirror.sync.server.xfr.Handlers.unsigned;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.testing.TestZones;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** NOTIFY out (RFC 1996) to secondaries that are UDP sockets on 127.0.0.1, with waits of milliseconds. */
@Timeout(20)
class NotifySenderTest {
  private static final Duration FIRST_WAIT = Duration.ofMillis(100);
  private static final NotifySender.Settings SETTINGS = new NotifySender.Settings(FIRST_WAIT, 3, true, null);

  /** No rcode: the secondary stays silent. */
  private static final int SILENT = -1;

  /** One NOTIFY as a secondary received it. */
  private record Received(Message message, long nanos) {}

  /** A secondary: keeps every NOTIFY and answers the n-th (from 1) with the rcode {@code answer} gives, or not at all. */
  private static final class Secondary implements AutoCloseable {
    private final DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final IntUnaryOperator answer;
    private final Thread thread;

    Secondary(IntUnaryOperator answer) throws SocketException {
      this.answer = answer;
      this.thread = Thread.ofVirtual().start(this::serve);
    }

    static Secondary answering() throws SocketException {
      return new Secondary(n -> Rcode.NOERROR);
    }

    static Secondary silent() throws SocketException {
      return new Secondary(n -> SILENT);
    }

    InetSocketAddress address() {
      return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    Received next(long millis) throws InterruptedException {
      return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    private void serve() {
      byte[] buffer = new byte[4096];
      for (int n = 1; ; n++) {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(packet);
          Message m = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
          received.add(new Received(m, System.nanoTime()));
          int rcode = answer.applyAsInt(n);
          if (rcode != SILENT) {
            Message reply = new Message(m.getHeader().getID());
            reply.getHeader().setOpcode(Opcode.NOTIFY);
            reply.getHeader().setFlag(Flags.QR);
            reply.getHeader().setFlag(Flags.AA);
            reply.getHeader().setRcode(rcode);
            reply.addRecord(m.getQuestion(), Section.QUESTION);
            byte[] wire = reply.toWire();
            socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
          }
        } catch (IOException e) {
          return; // closed
        }
      }
    }

    @Override
    public void close() throws InterruptedException {
      socket.close();
      thread.join(2_000);
    }
  }

  private static PublishedZone published(long serial) {
    PublishedZone published = new PublishedZone();
    published.publish(unsigned(TestZones.small(serial)));
    return published;
  }

  private static void assertNotifyFor(long serial, Message m) {
    assertEquals(Opcode.NOTIFY, m.getHeader().getOpcode());
    assertFalse(m.getHeader().getFlag(Flags.QR), "a request");
    assertTrue(m.getHeader().getFlag(Flags.AA), "AA (RFC 1996 section 3.7)");
    assertEquals(Record.newRecord(Name.root, Type.SOA, DClass.IN), m.getQuestion());
    List<Record> answer = m.getSection(Section.ANSWER);
    assertEquals(1, answer.size(), "the new SOA as a hint");
    assertEquals(serial, assertInstanceOf(SOARecord.class, answer.get(0)).getSerial());
  }

  @Test
  void eachSecondaryIsNotifiedOnceOfTheServedSerialWhenItAnswers() throws Exception {
    try (Secondary a = Secondary.answering(); Secondary b = Secondary.answering();
        NotifySender sender = NotifySender.start(List.of(a.address(), b.address()), SETTINGS)) {
      sender.follow(published(7));

      for (Secondary s : List.of(a, b)) {
        Received r = s.next(5_000);
        assertNotNull(r, "notified");
        assertNotifyFor(7, r.message());
      }
      // the whole retry schedule (100 + 200 + 400 ms) passes without another
      assertNull(a.next(800));
      assertNull(b.next(1));
    }
  }

  @Test
  void withoutAnAnswerTheSameNotifyIsSentAgainAfterLongerAndLongerWaitsThenGivenUp() throws Exception {
    try (Secondary s = Secondary.silent(); NotifySender sender = NotifySender.start(List.of(s.address()), SETTINGS)) {
      sender.announce((SOARecord) TestZones.small(8).get(0));

      Received first = s.next(5_000);
      Received second = s.next(5_000);
      Received third = s.next(5_000);
      assertNotNull(third, "three attempts");
      assertEquals(first.message().getHeader().getID(), second.message().getHeader().getID(), "the same NOTIFY");
      assertEquals(first.message().getHeader().getID(), third.message().getHeader().getID());
      long gap1 = TimeUnit.NANOSECONDS.toMillis(second.nanos() - first.nanos());
      long gap2 = TimeUnit.NANOSECONDS.toMillis(third.nanos() - second.nanos());
      assertTrue(gap1 >= 90, "waited the first wait: " + gap1 + " ms");
      assertTrue(gap2 >= 190 && gap2 > gap1, "then twice as long: " + gap1 + " ms, then " + gap2 + " ms");
      assertNull(s.next(1_000), "no fourth attempt");
    }
  }

  @Test
  void theRetriesStopAtTheFirstAnswer() throws Exception {
    try (Secondary s = new Secondary(n -> n == 2 ? Rcode.NOERROR : SILENT);
        NotifySender sender = NotifySender.start(List.of(s.address()), SETTINGS)) {
      sender.announce((SOARecord) TestZones.small(9).get(0));

      assertNotNull(s.next(5_000));
      assertNotNull(s.next(5_000));
      assertNull(s.next(900), "answered at the second attempt: no third");
    }
  }

  @Test
  void anErrorAnswerStopsTheRetriesToo() throws Exception {
    try (Secondary s = new Secondary(n -> Rcode.REFUSED);
        NotifySender sender = NotifySender.start(List.of(s.address()), SETTINGS)) {
      sender.announce((SOARecord) TestZones.small(10).get(0));

      assertNotNull(s.next(5_000));
      assertNull(s.next(900));
    }
  }

  @Test
  void anAnswerWithAnotherIdIsNoAnswer() throws Exception {
    DatagramSocket liar = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    BlockingQueue<Integer> ids = new LinkedBlockingQueue<>();
    Thread t = Thread.ofVirtual().start(() -> {
      byte[] buffer = new byte[4096];
      while (true) {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
          liar.receive(packet);
          Message m = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
          ids.add(m.getHeader().getID());
          Message reply = new Message((m.getHeader().getID() + 1) & 0xFFFF);
          reply.getHeader().setOpcode(Opcode.NOTIFY);
          reply.getHeader().setFlag(Flags.QR);
          reply.addRecord(m.getQuestion(), Section.QUESTION);
          byte[] wire = reply.toWire();
          liar.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
        } catch (IOException e) {
          return;
        }
      }
    });
    InetSocketAddress address = (InetSocketAddress) liar.getLocalSocketAddress();
    try (NotifySender sender = NotifySender.start(List.of(address), SETTINGS)) {
      sender.announce((SOARecord) TestZones.small(11).get(0));
      for (int i = 0; i < 3; i++) {
        assertNotNull(ids.poll(5, TimeUnit.SECONDS), "attempt " + (i + 1));
      }
    } finally {
      liar.close();
      t.join(2_000);
    }
  }

  @Test
  void aNewSerialIsAnnouncedAndTheSameOnePublishedAgainIsNot() throws Exception {
    try (Secondary s = Secondary.answering(); NotifySender sender = NotifySender.start(List.of(s.address()), SETTINGS)) {
      PublishedZone published = new PublishedZone();
      sender.follow(published);
      var first = unsigned(TestZones.small(20));
      published.publish(first);
      assertNotifyFor(20, s.next(5_000).message());

      published.withdraw();
      published.publish(first);
      assertNull(s.next(500), "withdrawn and published again: the same serial, nothing new to tell");

      published.publish(unsigned(TestZones.small(21)));
      assertNotifyFor(21, s.next(5_000).message());
    }
  }

  @Test
  void closingStopsTheRetries() throws Exception {
    try (Secondary s = Secondary.silent()) {
      NotifySender sender = NotifySender.start(List.of(s.address()), SETTINGS);
      sender.announce((SOARecord) TestZones.small(30).get(0));
      assertNotNull(s.next(5_000));
      sender.close();
      assertNull(s.next(800));
    }
  }

  @Test
  void theSenderSendsFromTheConfiguredSourceAddress() throws Exception {
    InetSocketAddress source;
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      source = (InetSocketAddress) probe.getLocalSocketAddress();
    }
    NotifySender.Settings fromSource = new NotifySender.Settings(FIRST_WAIT, 3, true, source);
    try (Secondary s = Secondary.answering(); NotifySender sender = NotifySender.start(List.of(s.address()), fromSource)) {
      assertEquals(source, sender.localAddress());
      sender.announce((SOARecord) TestZones.small(40).get(0));
      assertNotNull(s.next(5_000));
    }
  }

  @Test
  void targetsAreHostAndPortWithPort53ByDefault() throws Exception {
    InetAddress v4 = InetAddress.getByName("127.0.0.1");
    InetAddress v6 = InetAddress.getByName("::1");
    assertEquals(new InetSocketAddress(v4, 53), NotifySender.target("127.0.0.1"));
    assertEquals(new InetSocketAddress(v4, 5300), NotifySender.target("127.0.0.1:5300"));
    assertEquals(new InetSocketAddress(v6, 5300), NotifySender.target("[::1]:5300"));
    assertEquals(new InetSocketAddress(v6, 53), NotifySender.target("::1"));
    assertThrows(IllegalArgumentException.class, () -> NotifySender.target("127.0.0.1:port"));
    assertThrows(IllegalArgumentException.class, () -> NotifySender.target("127.0.0.1/zone"));
  }
}
