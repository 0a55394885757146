package org.rootmirror.sync.server.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The TCP connections of one server, shared by its listeners: at most {@code capacity} open, at
 * most {@code perAddress} from one source address. A newcomer beyond either limit takes the place
 * of the connection idle longest (of its own address when that limit is the one reached), as Knot
 * and NSD free their TCP slots under pressure; only when every candidate is busy answering is the
 * newcomer refused. RFC 7766 section 6.2.3 lets a server close idle connections, and its clients
 * must expect it; a refused client finds its way back over UDP or later.
 */
final class TcpConnectionTable {
  /** What the table needs of a connection. */
  interface Slot {
    /** The client's source address, whose connections are counted together. */
    InetAddress address();

    /** An answer is being prepared or written: closing now would lose work the client waits for. */
    boolean busy();

    /** {@link System#nanoTime()} of the last whole message read or written, or of the accept. */
    long lastActivity();

    /** Closes the connection to make room; called once, outside the table's lock. */
    void evict();
  }

  private final int capacity;
  private final int perAddress;
  private final NetCounters counters;
  private final Set<Slot> open = new HashSet<>();
  private final Map<InetAddress, List<Slot>> byAddress = new HashMap<>();

  TcpConnectionTable(int capacity, int perAddress, NetCounters counters) {
    this.capacity = capacity;
    this.perAddress = perAddress;
    this.counters = counters;
  }

  /**
   * Takes {@code newcomer} in, closing the connection idle longest when a limit is reached.
   *
   * @return false when there is no room: every connection that could make way is busy
   */
  boolean admit(Slot newcomer) {
    Slot victim = null;
    synchronized (this) {
      List<Slot> sameAddress = byAddress.getOrDefault(newcomer.address(), List.of());
      if (sameAddress.size() >= perAddress || open.size() >= capacity) {
        victim = idleLongest(sameAddress.size() >= perAddress ? sameAddress : open);
        if (victim == null) {
          return false;
        }
        removeLocked(victim);
      }
      open.add(newcomer);
      byAddress.computeIfAbsent(newcomer.address(), a -> new ArrayList<>(2)).add(newcomer);
      counters.tcpOpen.increment();
    }
    if (victim != null) {
      counters.tcpEvicted.increment();
      victim.evict();
    }
    return true;
  }

  /** Forgets {@code slot} once its connection has closed; nothing when it already made way. */
  synchronized void remove(Slot slot) {
    removeLocked(slot);
  }

  /** Connections counted now. */
  synchronized int size() {
    return open.size();
  }

  private void removeLocked(Slot slot) {
    if (!open.remove(slot)) {
      return;
    }
    List<Slot> sameAddress = byAddress.get(slot.address());
    sameAddress.remove(slot);
    if (sameAddress.isEmpty()) {
      byAddress.remove(slot.address());
    }
    counters.tcpOpen.decrement();
  }

  /** The slot not busy whose last activity is oldest, or null; a linear scan, at most {@code capacity} long. */
  private static Slot idleLongest(Iterable<Slot> slots) {
    Slot oldest = null;
    for (Slot slot : slots) {
      // nanoTime values are compared by difference: they may wrap
      if (!slot.busy() && (oldest == null || slot.lastActivity() - oldest.lastActivity() < 0)) {
        oldest = slot;
      }
    }
    return oldest;
  }
}
