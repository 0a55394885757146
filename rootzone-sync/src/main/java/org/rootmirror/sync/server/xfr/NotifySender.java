package org.rootmirror.sync.server.xfr;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

/**
 * NOTIFY out (RFC 1996): tells the configured secondaries, over UDP, of each new serial published.
 *
 * <p>When a new serial is published, each configured secondary gets a NOTIFY (opcode NOTIFY,
 * question {@code . IN SOA}, AA set, the new SOA in the answer section as the hint section 3.7
 * allows), so that it transfers the zone now instead of at its next refresh.
 *
 * <p>RFC 1996 section 3.6: a NOTIFY is sent again until a response comes with the same ID and
 * question from the address and port it was sent to, or too many have been sent. Here: {@link
 * Settings#attempts()} sends, waiting {@link Settings#firstWait()} after the first and twice as
 * long after each next one. An error rcode (REFUSED from a secondary that does not know us as its
 * primary) is an answer too: it stops the retries and is logged. A newer serial published during
 * the retries replaces the older one.
 *
 * <p>All of it runs on one virtual thread; {@link #close()} stops it.
 */
public final class NotifySender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NotifySender.class);
  private static final int DEFAULT_PORT = 53;

  /**
   * @param firstWait how long to wait for an answer to the first NOTIFY; doubled after each
   * @param attempts how many NOTIFYs to send each secondary for one serial, at least 1
   * @param includeSoa whether the new SOA goes in the answer section
   * @param source the address and port to send from (a secondary checks the NOTIFY's source against
   *     its primaries), or null for any address and an ephemeral port
   */
  public record Settings(Duration firstWait, int attempts, boolean includeSoa, InetSocketAddress source) {
    public Settings {
      Objects.requireNonNull(firstWait, "firstWait");
      if (firstWait.isNegative() || firstWait.isZero()) {
        throw new IllegalArgumentException("firstWait must be positive: " + firstWait);
      }
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
      }
    }

    /** 5 attempts over about a minute (2, 4, 8, 16, 32 s), the SOA included, from any address. */
    public static Settings defaults() {
      return new Settings(Duration.ofSeconds(2), 5, true, null);
    }
  }

  private final List<InetSocketAddress> secondaries;
  private final Settings settings;
  private final DatagramSocket socket;
  private final LinkedBlockingQueue<SOARecord> queue = new LinkedBlockingQueue<>();
  private final AtomicLong lastPublished = new AtomicLong(-1);
  private final Thread thread;
  private volatile boolean closed;

  private NotifySender(List<InetSocketAddress> secondaries, Settings settings) throws SocketException {
    this.secondaries = List.copyOf(secondaries);
    this.settings = settings;
    for (InetSocketAddress s : this.secondaries) {
      if (s.isUnresolved()) {
        throw new IllegalArgumentException("unresolved secondary: " + s);
      }
    }
    this.socket = settings.source() == null ? new DatagramSocket() : new DatagramSocket(settings.source());
    this.thread = Thread.ofVirtual().name("rootmirror-notify-out").unstarted(this::run);
  }

  /**
   * Opens the socket and starts the sending thread.
   *
   * @throws SocketException when the source address cannot be bound
   */
  public static NotifySender start(List<InetSocketAddress> secondaries, Settings settings) throws SocketException {
    NotifySender sender = new NotifySender(secondaries, settings);
    sender.thread.start();
    return sender;
  }

  /**
   * A secondary as configured: {@code host}, {@code host:port}, {@code [v6]:port} or a bare IPv6
   * literal; port 53 when none is given. A host name is looked up once, here.
   *
   * @throws IllegalArgumentException when it is none of these or the name does not resolve
   */
  public static InetSocketAddress target(String hostPort) {
    String s = hostPort.strip();
    String host;
    int port = DEFAULT_PORT;
    if (s.indexOf(':') != s.lastIndexOf(':') && !s.startsWith("[")) {
      host = s; // a bare IPv6 literal
    } else {
      URI uri;
      try {
        uri = new URI("dns://" + s);
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException("not host[:port]: \"" + hostPort + "\"", e);
      }
      if (uri.getHost() == null || uri.getRawPath() != null && !uri.getRawPath().isEmpty() || uri.getRawUserInfo() != null) {
        throw new IllegalArgumentException("not host[:port]: \"" + hostPort + "\"");
      }
      host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
      port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cannot resolve the secondary \"" + hostPort + "\": " + e.getMessage(), e);
    }
  }

  /**
   * Announces every new serial {@code published} publishes from now on, and the one it serves now,
   * if any. A publication of the serial announced last (the same zone published again) and a
   * withdrawal announce nothing.
   */
  public NotifySender follow(PublishedZone published) {
    published.onChange(snapshot -> snapshot.ifPresent(this::published));
    published.current().ifPresent(this::published);
    return this;
  }

  /** Sends NOTIFY for {@code soa} to every secondary; returns at once. */
  public void announce(SOARecord soa) {
    if (!closed) {
      queue.add(soa);
    }
  }

  /** The address NOTIFYs are sent from. */
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  /** Stops sending, at once, and closes the socket; NOTIFYs not yet answered are given up. */
  @Override
  public void close() {
    closed = true;
    socket.close();
    thread.interrupt();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void published(ZoneSnapshot snapshot) {
    SOARecord soa = snapshot.zone().soa();
    if (soa != null && lastPublished.getAndSet(soa.getSerial()) != soa.getSerial()) {
      announce(soa);
    }
  }

  private void run() {
    try {
      while (!closed) {
        SOARecord soa = queue.take();
        for (SOARecord newer; (newer = queue.poll()) != null; ) {
          soa = newer; // only the latest serial is worth announcing
        }
        sendAll(soa);
      }
    } catch (InterruptedException e) {
      // closed
    } catch (RuntimeException e) {
      if (!closed) {
        log.error("NOTIFY sender stopped: {}", e.toString(), e);
      }
    }
  }

  /** One NOTIFY on its way to one secondary. */
  private record Pending(int id, byte[] wire) {}

  /** Sends NOTIFY for {@code soa} to every secondary until each has answered or the attempts run out. */
  private void sendAll(SOARecord soa) {
    Map<InetSocketAddress, Pending> waiting = new LinkedHashMap<>();
    for (InetSocketAddress s : secondaries) {
      int id = ThreadLocalRandom.current().nextInt(0x10000);
      waiting.put(s, new Pending(id, request(id, soa)));
    }
    long wait = settings.firstWait().toNanos();
    for (int attempt = 1; attempt <= settings.attempts() && !waiting.isEmpty() && !closed; attempt++) {
      if (attempt > 1 && !queue.isEmpty()) {
        log.info("NOTIFY for serial {} superseded by a newer serial; {} secondaries had not answered",
            soa.getSerial(), waiting.size());
        return;
      }
      for (Map.Entry<InetSocketAddress, Pending> e : waiting.entrySet()) {
        byte[] wire = e.getValue().wire();
        try {
          socket.send(new DatagramPacket(wire, wire.length, e.getKey()));
        } catch (IOException ex) {
          if (closed) {
            return;
          }
          log.warn("cannot send NOTIFY for serial {} to {} (attempt {}): {}", soa.getSerial(), e.getKey(), attempt, ex.getMessage());
        }
      }
      if (!awaitAnswers(waiting, System.nanoTime() + wait, soa)) {
        return;
      }
      wait = Math.multiplyExact(wait, 2);
    }
    if (!waiting.isEmpty() && !closed) {
      log.warn("no answer to NOTIFY for serial {} from {} after {} attempts", soa.getSerial(),
          new ArrayList<>(waiting.keySet()), settings.attempts());
    }
  }

  /** Receives answers until {@code deadline} or until none is awaited; false when closed meanwhile. */
  private boolean awaitAnswers(Map<InetSocketAddress, Pending> waiting, long deadline, SOARecord soa) {
    byte[] buffer = new byte[4096];
    while (!waiting.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return true;
      }
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, Duration.ofNanos(left).toMillis())));
        socket.receive(packet);
      } catch (SocketTimeoutException e) {
        return true;
      } catch (IOException e) {
        if (closed) {
          return false;
        }
        log.warn("receiving NOTIFY answers: {}", e.getMessage());
        continue;
      }
      InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
      Pending pending = waiting.get(from);
      if (pending == null) {
        continue; // not from a secondary we wait for (section 3.6: same address and port)
      }
      Message answer;
      try {
        answer = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
      } catch (IOException e) {
        continue;
      }
      if (!answers(answer, pending.id())) {
        continue;
      }
      waiting.remove(from);
      int rcode = answer.getRcode();
      if (rcode == Rcode.NOERROR) {
        log.info("secondary {} acknowledged NOTIFY for serial {}", from, soa.getSerial());
      } else {
        log.warn("secondary {} answered NOTIFY for serial {} with {}", from, soa.getSerial(), Rcode.string(rcode));
      }
    }
    return true;
  }

  /** Whether {@code m} is the response to our NOTIFY {@code id}: QR set, opcode NOTIFY, the ID, the root as question. */
  private static boolean answers(Message m, int id) {
    Record question = m.getQuestion();
    return m.getHeader().getFlag(Flags.QR)
        && m.getHeader().getOpcode() == Opcode.NOTIFY
        && m.getHeader().getID() == id
        && (question == null || question.getName().equals(Name.root));
  }

  private byte[] request(int id, SOARecord soa) {
    Message m = new Message(id);
    m.getHeader().setOpcode(Opcode.NOTIFY);
    m.getHeader().setFlag(Flags.AA);
    m.addRecord(Record.newRecord(Name.root, Type.SOA, DClass.IN), Section.QUESTION);
    if (settings.includeSoa()) {
      m.addRecord(soa, Section.ANSWER);
    }
    return m.toWire();
  }
}
