package org.rootmirror.sync.server.xfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rootmirror.sync.server.xfr.Handlers.publishing;
import static org.rootmirror.sync.server.xfr.Handlers.unsigned;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.server.limit.LimitedLog;
import org.rootmirror.sync.server.testing.RecordingLogger;
import org.rootmirror.sync.server.testing.SteppedClock;
import org.rootmirror.sync.testing.TestZones;
import org.slf4j.event.Level;
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

/** NOTIFY in (RFC 1996) through the transfer handler, as the listeners hand it over. */
@Timeout(20)
class NotifyReceiverTest {
  /** The configured primary: documentation addresses, values only, no packet goes anywhere. */
  private static final InetSocketAddress PRIMARY = new InetSocketAddress("192.0.2.53", 53);
  private static final InetSocketAddress STRANGER = new InetSocketAddress("198.51.100.7", 53);
  private static final SOARecord NEW_SOA = (SOARecord) TestZones.small(2).get(0);

  private static TransferHandler handler(Consumer<InetAddress> onNotify) {
    NotifyReceiver receiver = new NotifyReceiver(AddressAcl.parse(List.of("192.0.2.53")), onNotify);
    return new TransferHandler(publishing(unsigned(TestZones.small(1))), null, AddressAcl.loopback(), receiver);
  }

  private static Message notify(TransferHandler handler, Message query, InetSocketAddress from) throws Exception {
    CollectingSink sink = new CollectingSink();
    handler.handle(Queries.wire(query), Transport.UDP, from, sink);
    return sink.single();
  }

  @Test
  void aNotifyFromAPrimaryIsAcknowledgedAndStartsASync() throws Exception {
    BlockingQueue<InetAddress> syncs = new LinkedBlockingQueue<>();
    Message reply = notify(handler(syncs::add), Queries.notify(3001, NEW_SOA), PRIMARY);

    assertEquals(3001, reply.getHeader().getID());
    assertEquals(Opcode.NOTIFY, reply.getHeader().getOpcode());
    assertTrue(reply.getHeader().getFlag(Flags.QR), "QR");
    assertTrue(reply.getHeader().getFlag(Flags.AA), "AA");
    assertEquals(Rcode.NOERROR, reply.getRcode());
    assertEquals(Record.newRecord(Name.root, Type.SOA, DClass.IN), reply.getQuestion());
    assertTrue(reply.getSection(Section.ANSWER).isEmpty());
    assertEquals(PRIMARY.getAddress(), syncs.poll(5, TimeUnit.SECONDS), "the callback names the primary");
  }

  @Test
  void aNotifyFromAnyoneElseIsRefusedAndStartsNothing() throws Exception {
    BlockingQueue<InetAddress> syncs = new LinkedBlockingQueue<>();
    TransferHandler handler = handler(syncs::add);

    Message reply = notify(handler, Queries.notify(3002, NEW_SOA), STRANGER);
    Message fromLoopback = notify(handler, Queries.notify(3003, null), new InetSocketAddress("127.0.0.1", 53));

    assertEquals(Rcode.REFUSED, reply.getRcode());
    assertEquals(Opcode.NOTIFY, reply.getHeader().getOpcode());
    assertEquals(Rcode.REFUSED, fromLoopback.getRcode(), "loopback may transfer, but is no primary");
    assertNull(syncs.poll(300, TimeUnit.MILLISECONDS));
  }

  @Test
  void aNotifyForAnotherZoneFromAPrimaryIsNotAuthAndStartsNothing() throws Exception {
    BlockingQueue<InetAddress> syncs = new LinkedBlockingQueue<>();
    Message query = new Message(3004);
    query.getHeader().setOpcode(Opcode.NOTIFY);
    query.addRecord(Record.newRecord(Name.fromConstantString("com."), Type.SOA, DClass.IN), Section.QUESTION);

    assertEquals(Rcode.NOTAUTH, notify(handler(syncs::add), query, PRIMARY).getRcode());
    assertNull(syncs.poll(300, TimeUnit.MILLISECONDS));
  }

  @Test
  void notifiesDuringASyncMakeOneMoreSyncNotOneEach() throws Exception {
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger syncs = new AtomicInteger();
    CountDownLatch secondDone = new CountDownLatch(2);
    TransferHandler handler = handler(from -> {
      syncs.incrementAndGet();
      firstStarted.countDown();
      try {
        release.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      secondDone.countDown();
    });

    notify(handler, Queries.notify(1, NEW_SOA), PRIMARY);
    assertTrue(firstStarted.await(5, TimeUnit.SECONDS));
    for (int i = 2; i <= 6; i++) {
      assertEquals(Rcode.NOERROR, notify(handler, Queries.notify(i, NEW_SOA), PRIMARY).getRcode(), "each acknowledged");
    }
    release.countDown();

    assertTrue(secondDone.await(5, TimeUnit.SECONDS));
    Thread.sleep(200);
    assertEquals(2, syncs.get());
  }

  @Test
  void noPrimariesRefusesEveryNotify() throws Exception {
    TransferHandler handler = new TransferHandler(publishing(unsigned(TestZones.small(1))), null, AddressAcl.loopback(),
        NotifyReceiver.refusingAll());
    assertEquals(Rcode.REFUSED, notify(handler, Queries.notify(3005, NEW_SOA), PRIMARY).getRcode());
  }

  @Test
  void aFloodOfForgedNotifiesLogsFiveLinesAMinuteAndThenHowManyMore() throws Exception {
    RecordingLogger out = new RecordingLogger(Level.INFO);
    SteppedClock clock = new SteppedClock();
    LimitedLog limited = new LimitedLog(out, 5, Duration.ofMinutes(1), clock);
    NotifyReceiver receiver = new NotifyReceiver(AddressAcl.parse(List.of("192.0.2.53")), from -> { }, limited);
    TransferHandler handler = new TransferHandler(publishing(unsigned(TestZones.small(1))), null, AddressAcl.loopback(), receiver);

    for (int i = 0; i < 2_159; i++) { // the flood: 2,159 NOTIFY, 2,159 INFO lines
      InetSocketAddress forged = new InetSocketAddress("198.51.100." + i % 200, 1024 + i);
      assertEquals(Rcode.REFUSED, notify(handler, Queries.notify(i, NEW_SOA), forged).getRcode(), "each is still answered");
    }
    assertEquals(5, out.lines().size());
    assertEquals("NOTIFY for . from 198.51.100.0:1024 refused: not a configured primary", out.lines().get(0).text());

    clock.step(Duration.ofMinutes(1));
    limited.flush();
    assertEquals(6, out.lines().size());
    assertEquals("NOTIFY refused, not from a configured primary: and 2,154 more like this in the last 60 s (at most 5 logged per 60 s)",
        out.lines().get(5).text());
  }
}
