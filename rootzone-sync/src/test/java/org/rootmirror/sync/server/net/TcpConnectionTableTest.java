package org.rootmirror.sync.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** Who gets a slot and who makes way, with connections whose idleness the test sets (no sockets, no clock). */
class TcpConnectionTableTest {
  private final NetCounters counters = new NetCounters();

  @Test
  void admitsUpToTheCapacity() throws Exception {
    TcpConnectionTable table = new TcpConnectionTable(3, 10, counters);
    for (int i = 0; i < 3; i++) {
      assertTrue(table.admit(slot("192.0.2." + i, i)));
    }
    assertEquals(3, table.size());
    assertEquals(3, counters.tcpOpen());
    assertEquals(0, counters.tcpEvicted());
  }

  @Test
  void aNewcomerToAFullTableClosesTheConnectionIdleLongest() throws Exception {
    TcpConnectionTable table = new TcpConnectionTable(3, 10, counters);
    FakeSlot recent = slot("192.0.2.1", 300);
    FakeSlot oldest = slot("192.0.2.2", 100);
    FakeSlot middle = slot("192.0.2.3", 200);
    table.admit(recent);
    table.admit(oldest);
    table.admit(middle);
    assertTrue(table.admit(slot("192.0.2.4", 400)));
    assertTrue(oldest.evicted);
    assertFalse(recent.evicted || middle.evicted);
    assertEquals(3, table.size());
    assertEquals(1, counters.tcpEvicted());
  }

  @Test
  void aBusyConnectionIsNeverClosedForANewcomer() throws Exception {
    TcpConnectionTable table = new TcpConnectionTable(2, 10, counters);
    FakeSlot busyButOldest = slot("192.0.2.1", 100);
    busyButOldest.busy = true;
    FakeSlot idle = slot("192.0.2.2", 200);
    table.admit(busyButOldest);
    table.admit(idle);
    assertTrue(table.admit(slot("192.0.2.3", 300)));
    assertFalse(busyButOldest.evicted);
    assertTrue(idle.evicted);
  }

  @Test
  void refusesTheNewcomerWhenEveryConnectionIsBusy() throws Exception {
    TcpConnectionTable table = new TcpConnectionTable(2, 10, counters);
    for (int i = 0; i < 2; i++) {
      FakeSlot busy = slot("192.0.2." + i, i);
      busy.busy = true;
      table.admit(busy);
    }
    assertFalse(table.admit(slot("192.0.2.9", 9)));
    assertEquals(2, table.size());
    assertEquals(0, counters.tcpEvicted());
  }

  @Test
  void anAddressAtItsLimitMakesWayFromItsOwnConnectionsOnly() throws Exception {
    TcpConnectionTable table = new TcpConnectionTable(100, 2, counters);
    FakeSlot otherAndOldest = slot("198.51.100.1", 1);
    FakeSlot ownOlder = slot("192.0.2.1", 10);
    FakeSlot ownNewer = slot("192.0.2.1", 20);
    table.admit(otherAndOldest);
    table.admit(ownOlder);
    table.admit(ownNewer);
    assertTrue(table.admit(slot("192.0.2.1", 30)));
    assertTrue(ownOlder.evicted);
    assertFalse(otherAndOldest.evicted || ownNewer.evicted);
    assertEquals(3, table.size());
  }

  @Test
  void anAddressWhoseConnectionsAreAllBusyGetsNoMoreWhileOthersStillDo() throws Exception {
    TcpConnectionTable table = new TcpConnectionTable(100, 2, counters);
    for (int i = 0; i < 2; i++) {
      FakeSlot busy = slot("192.0.2.1", i);
      busy.busy = true;
      table.admit(busy);
    }
    assertFalse(table.admit(slot("192.0.2.1", 5)));
    assertTrue(table.admit(slot("192.0.2.2", 6)));
    assertEquals(3, table.size());
  }

  @Test
  void aClosedConnectionFreesItsSlotOnceEvenIfItAlreadyMadeWay() throws Exception {
    TcpConnectionTable table = new TcpConnectionTable(1, 1, counters);
    FakeSlot first = slot("192.0.2.1", 1);
    table.admit(first);
    FakeSlot second = slot("192.0.2.1", 2);
    table.admit(second); // first made way
    table.remove(first); // its thread ends later: nothing more to free
    assertEquals(1, table.size());
    assertEquals(1, counters.tcpOpen());
    table.remove(second);
    assertEquals(0, table.size());
    assertEquals(0, counters.tcpOpen());
    assertTrue(table.admit(slot("192.0.2.1", 3)));
  }

  @Test
  void idlenessIsComparedAcrossTheWrapOfNanoTime() throws Exception {
    TcpConnectionTable table = new TcpConnectionTable(2, 10, counters);
    FakeSlot beforeWrap = slot("192.0.2.1", Long.MAX_VALUE - 10);
    FakeSlot afterWrap = slot("192.0.2.2", Long.MIN_VALUE + 10);
    table.admit(afterWrap);
    table.admit(beforeWrap);
    table.admit(slot("192.0.2.3", Long.MIN_VALUE + 20));
    assertTrue(beforeWrap.evicted);
    assertFalse(afterWrap.evicted);
  }

  private static FakeSlot slot(String address, long lastActivity) throws UnknownHostException {
    return new FakeSlot(InetAddress.getByName(address), lastActivity);
  }

  private static final class FakeSlot implements TcpConnectionTable.Slot {
    final InetAddress address;
    final long lastActivity;
    boolean busy;
    boolean evicted;

    FakeSlot(InetAddress address, long lastActivity) {
      this.address = address;
      this.lastActivity = lastActivity;
    }

    @Override
    public InetAddress address() {
      return address;
    }

    @Override
    public boolean busy() {
      return busy;
    }

    @Override
    public long lastActivity() {
      return lastActivity;
    }

    @Override
    public void evict() {
      evicted = true;
    }
  }
}
