package org.rootmirror.sync.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.rootmirror.dnssec.zone.Zone;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Serial;
import org.xbill.DNS.Type;

/**
 * A small authoritative server for one zone on 127.0.0.1, UDP and TCP on one ephemeral port, for
 * testing transfer clients against a real socket. It answers SOA queries over UDP and TCP, AXFR
 * over TCP in several messages (RFC 5936), and IXFR over TCP (RFC 1995) from the versions it has
 * kept: the differences from the client's version to the newest, a full zone when it does not know
 * the client's version, its SOA alone when the client is current. Knobs make it refuse, stall,
 * close a transfer half-way or end one with the wrong SOA. It counts queries by type, so a test
 * can tell that no transfer happened.
 *
 * <pre>{@code
 * try (XfrTestServer server = XfrTestServer.start(zone)) {
 *   server.publish(newerRecords);
 *   source = new IxfrSource(server.uri("ixfr"));
 * }
 * }</pre>
 *
 * Every thread is a daemon; {@link #close()} closes every socket it opened.
 */
public final class XfrTestServer implements AutoCloseable {
  /** What a transfer does wrong. */
  public enum Fault {
    NONE,
    /** Accepts the connection and reads the query, then sends nothing until the client gives up. */
    STALL,
    /** Sends half the transfer's messages and part of the next one, then closes the connection. */
    TRUNCATE,
    /** Ends an AXFR-style answer with an SOA whose serial is one more than the first one's. */
    WRONG_FINAL_SOA
  }

  /** How IXFR queries are answered. */
  public enum IxfrMode {
    /** The differences from the client's version when it is kept (RFC 1995 section 4). */
    DIFFERENCES,
    /** Always the whole zone, AXFR-style, as RFC 1995 section 4 allows. */
    FULL_ZONE,
    /** Rcode NOTIMP, as a server without IXFR answers. */
    NOT_IMPLEMENTED
  }

  /** Answer messages are filled up to about this many bytes of uncompressed records. */
  private static final int MESSAGE_BYTES = 16 * 1024;

  private final Name origin;
  private final List<Version> versions = new CopyOnWriteArrayList<>();
  private final ServerSocket tcp;
  private final DatagramSocket udp;
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final Map<Integer, AtomicInteger> queries = new ConcurrentHashMap<>();
  private volatile Fault fault = Fault.NONE;
  private volatile IxfrMode ixfrMode = IxfrMode.DIFFERENCES;
  private volatile int transferRcode = Rcode.NOERROR;
  private volatile int queryRcode = Rcode.NOERROR;
  private volatile boolean truncateUdp;
  private volatile boolean closed;

  /** One version of the zone: its SOA, and its other records in order. */
  private record Version(SOARecord soa, List<Record> records) {
    long serial() {
      return soa.getSerial();
    }
  }

  private XfrTestServer(Name origin, ServerSocket tcp, DatagramSocket udp) {
    this.origin = origin;
    this.tcp = tcp;
    this.udp = udp;
  }

  /** Serves {@code zone} as its first version. */
  public static XfrTestServer start(Zone zone) throws IOException {
    return start(zone.origin(), zone.records());
  }

  /** Serves the zone at {@code origin} made of {@code records} (exactly one SOA) as its first version. */
  public static XfrTestServer start(Name origin, Collection<? extends Record> records) throws IOException {
    XfrTestServer server = bind(origin);
    try {
      server.publish(records);
      server.spawn("udp", server::serveUdp);
      server.spawn("accept", server::acceptTcp);
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** A TCP and a UDP socket on the same ephemeral port of 127.0.0.1. */
  private static XfrTestServer bind(Name origin) throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int attempt = 0; ; attempt++) {
      ServerSocket tcp = new ServerSocket(0, 50, loopback);
      try {
        DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, tcp.getLocalPort()));
        return new XfrTestServer(origin, tcp, udp);
      } catch (BindException e) {
        tcp.close();
        if (attempt == 20) {
          throw e;
        }
      }
    }
  }

  /**
   * Makes {@code records} the newest version; the earlier ones are kept, so IXFR can answer with
   * the differences from any of them.
   *
   * @throws IllegalArgumentException unless there is exactly one SOA, at the origin
   */
  public synchronized XfrTestServer publish(Collection<? extends Record> records) {
    SOARecord soa = null;
    List<Record> rest = new ArrayList<>(records.size());
    for (Record r : records) {
      if (r instanceof SOARecord s) {
        if (soa != null || !s.getName().equals(origin)) {
          throw new IllegalArgumentException("a zone has one SOA, at " + origin + ": " + r);
        }
        soa = s;
      } else {
        rest.add(r);
      }
    }
    if (soa == null) {
      throw new IllegalArgumentException("the zone " + origin + " has no SOA");
    }
    versions.add(new Version(soa, List.copyOf(rest)));
    return this;
  }

  /** Makes transfers misbehave; {@link Fault#NONE} to behave again. */
  public XfrTestServer fault(Fault fault) {
    this.fault = fault;
    return this;
  }

  public XfrTestServer ixfr(IxfrMode mode) {
    this.ixfrMode = mode;
    return this;
  }

  /** Answers AXFR and IXFR queries with {@code rcode} alone (e.g. REFUSED, NOTAUTH); NOERROR to serve them. */
  public XfrTestServer transferRcode(int rcode) {
    this.transferRcode = rcode;
    return this;
  }

  /** Answers every query with {@code rcode} alone; NOERROR to answer normally. */
  public XfrTestServer queryRcode(int rcode) {
    this.queryRcode = rcode;
    return this;
  }

  /** Answers over UDP with an empty, truncated (TC) message, so clients must ask again over TCP. */
  public XfrTestServer truncateUdp(boolean truncate) {
    this.truncateUdp = truncate;
    return this;
  }

  /** Stops listening on TCP, as behind a firewall that lets only UDP through; SOA queries over UDP still work. */
  public XfrTestServer stopTcp() throws IOException {
    tcp.close();
    return this;
  }

  public int port() {
    return tcp.getLocalPort();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(tcp.getInetAddress(), port());
  }

  /** {@code scheme://127.0.0.1:port}, e.g. for scheme "axfr" or "ixfr". */
  public URI uri(String scheme) {
    return URI.create(scheme + "://127.0.0.1:" + port());
  }

  /** The newest version's serial. */
  public long serial() {
    return newest().serial();
  }

  /** How many queries of {@code type} (Type.SOA, Type.AXFR, Type.IXFR, ...) came, over UDP and TCP. */
  public int queries(int type) {
    AtomicInteger n = queries.get(type);
    return n == null ? 0 : n.get();
  }

  /** TCP connections open now. */
  public int openConnections() {
    return connections.size();
  }

  @Override
  public void close() {
    closed = true;
    udp.close();
    try {
      tcp.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket s : connections) {
      closeQuietly(s);
    }
    for (Thread t : threads) {
      try {
        t.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private Version newest() {
    return versions.get(versions.size() - 1);
  }

  private void spawn(String name, Runnable task) {
    Thread t = Thread.ofPlatform().daemon().name("xfr-test-server-" + port() + "-" + name).unstarted(task);
    threads.add(t);
    t.start();
  }

  private void serveUdp() {
    byte[] buffer = new byte[65_535];
    while (!closed) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        udp.receive(packet);
        Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
        Message response = answerUdp(query);
        if (response != null) {
          byte[] wire = response.toWire(512);
          udp.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
        }
      } catch (IOException e) {
        if (closed) {
          return;
        }
        // an undecodable query: drop it, as a server does
      }
    }
  }

  private void acceptTcp() {
    while (!closed) {
      try {
        Socket s = tcp.accept();
        connections.add(s);
        if (closed) {
          closeQuietly(s);
          return;
        }
        spawn("tcp-" + s.getPort(), () -> serveTcp(s));
      } catch (IOException e) {
        if (closed || tcp.isClosed()) {
          return;
        }
      }
    }
  }

  /** Answers queries on one connection until the client closes it (RFC 7766 section 6.2.1). */
  private void serveTcp(Socket s) {
    try (s) {
      DataInputStream in = new DataInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      while (!closed) {
        byte[] wire = new byte[in.readUnsignedShort()];
        in.readFully(wire);
        Message query = new Message(wire);
        if (!answerTcp(query, in, out)) {
          return;
        }
      }
    } catch (EOFException | SocketException e) {
      // the client closed, or close() did
    } catch (IOException e) {
      // an undecodable query or a failed write: drop the connection
    } finally {
      connections.remove(s);
    }
  }

  private Message answerUdp(Message query) {
    Record question = query.getQuestion();
    if (query.getHeader().getFlag(Flags.QR) || question == null) {
      return null;
    }
    count(question.getType());
    if (queryRcode != Rcode.NOERROR) {
      return error(query, queryRcode);
    }
    if (truncateUdp) {
      Message response = header(query);
      response.getHeader().setFlag(Flags.TC);
      return response;
    }
    return switch (question.getType()) {
      case Type.SOA -> soa(query);
      case Type.AXFR, Type.IXFR -> error(query, Rcode.FORMERR); // transfers go over TCP
      default -> error(query, Rcode.NOTIMP);
    };
  }

  /** Answers one query on a TCP connection; false when the connection must close. */
  private boolean answerTcp(Message query, DataInputStream in, OutputStream out) throws IOException {
    Record question = query.getQuestion();
    if (query.getHeader().getFlag(Flags.QR) || question == null) {
      return false;
    }
    int type = question.getType();
    count(type);
    if (queryRcode != Rcode.NOERROR) {
      send(out, error(query, queryRcode));
      return true;
    }
    if (type == Type.SOA) {
      send(out, soa(query));
      return true;
    }
    if (type != Type.AXFR && type != Type.IXFR) {
      send(out, error(query, Rcode.NOTIMP));
      return true;
    }
    if (!question.getName().equals(origin)) {
      send(out, error(query, Rcode.NOTAUTH));
      return true;
    }
    if (transferRcode != Rcode.NOERROR) {
      send(out, error(query, transferRcode));
      return true;
    }
    if (type == Type.IXFR && ixfrMode == IxfrMode.NOT_IMPLEMENTED) {
      send(out, error(query, Rcode.NOTIMP));
      return true;
    }
    Fault f = fault;
    if (f == Fault.STALL) {
      // say nothing; wait for the client to give up and close
      while (in.read() >= 0) {
        // discard
      }
      return false;
    }
    List<Message> messages = messages(query, type == Type.IXFR ? ixfrRecords(query) : axfrRecords(newest(), f));
    if (f == Fault.TRUNCATE) {
      for (Message m : messages.subList(0, messages.size() / 2)) {
        send(out, m);
      }
      byte[] next = messages.get(messages.size() / 2).toWire();
      out.write(next.length >>> 8);
      out.write(next.length & 0xff);
      out.write(next, 0, next.length / 2);
      out.flush();
      return false;
    }
    for (Message m : messages) {
      send(out, m);
    }
    return true;
  }

  /** The whole zone: SOA, every other record, SOA again (RFC 5936 section 2.2). */
  private List<Record> axfrRecords(Version v, Fault f) {
    List<Record> records = new ArrayList<>(v.records().size() + 2);
    records.add(v.soa());
    records.addAll(v.records());
    SOARecord last = v.soa();
    if (f == Fault.WRONG_FINAL_SOA) {
      last = new SOARecord(last.getName(), last.getDClass(), last.getTTL(), last.getHost(), last.getAdmin(),
          Serial.increment(last.getSerial()), last.getRefresh(), last.getRetry(), last.getExpire(), last.getMinimum());
    }
    records.add(last);
    return records;
  }

  /**
   * RFC 1995 section 4: the newest SOA, then per version since the client's: the older SOA, the
   * deleted records, the newer SOA, the added records; the newest SOA again at the end.
   */
  private List<Record> ixfrRecords(Message query) {
    Version newest = newest();
    List<Record> authority = query.getSection(Section.AUTHORITY);
    if (authority.isEmpty() || !(authority.get(0) instanceof SOARecord held)) {
      return axfrRecords(newest, fault); // a malformed IXFR query; a real server answers FORMERR
    }
    if (Serial.compare(held.getSerial(), newest.serial()) >= 0) {
      return List.of(newest.soa());
    }
    int from = -1;
    for (int i = 0; i < versions.size(); i++) {
      if (versions.get(i).serial() == held.getSerial()) {
        from = i;
      }
    }
    if (from < 0 || ixfrMode == IxfrMode.FULL_ZONE) {
      return axfrRecords(newest, fault);
    }
    List<Record> records = new ArrayList<>();
    records.add(newest.soa());
    for (int i = from; i < versions.size() - 1; i++) {
      Version older = versions.get(i);
      Version newer = versions.get(i + 1);
      Map<String, Record> before = keyed(older.records());
      Map<String, Record> after = keyed(newer.records());
      records.add(older.soa());
      before.forEach((key, r) -> {
        if (!after.containsKey(key)) {
          records.add(r);
        }
      });
      records.add(newer.soa());
      after.forEach((key, r) -> {
        if (!before.containsKey(key)) {
          records.add(r);
        }
      });
    }
    records.add(newest.soa());
    return records;
  }

  /** Records by their text, TTL included, so that a changed TTL is a difference too. */
  private static Map<String, Record> keyed(List<Record> records) {
    Map<String, Record> keyed = new LinkedHashMap<>(records.size() * 2);
    for (Record r : records) {
      keyed.putIfAbsent(r.toString(), r);
    }
    return keyed;
  }

  /** {@code records} in answer messages of about {@link #MESSAGE_BYTES}, the question in the first only. */
  private List<Message> messages(Message query, List<Record> records) {
    List<Message> messages = new ArrayList<>();
    Message m = header(query);
    int size = 0;
    for (Record r : records) {
      int length = r.toWire(Section.ANSWER).length;
      if (size > 0 && size + length > MESSAGE_BYTES) {
        messages.add(m);
        m = header(query);
        m.removeAllRecords(Section.QUESTION);
        size = 0;
      }
      m.addRecord(r, Section.ANSWER);
      size += length;
    }
    messages.add(m);
    return messages;
  }

  private Message soa(Message query) {
    Record question = query.getQuestion();
    if (!question.getName().equals(origin)) {
      return error(query, Rcode.REFUSED);
    }
    Message response = header(query);
    response.addRecord(newest().soa(), Section.ANSWER);
    return response;
  }

  private static Message header(Message query) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setOpcode(Opcode.QUERY);
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.AA);
    response.addRecord(query.getQuestion(), Section.QUESTION);
    return response;
  }

  private static Message error(Message query, int rcode) {
    Message response = header(query);
    response.getHeader().unsetFlag(Flags.AA);
    response.getHeader().setRcode(rcode);
    return response;
  }

  private static void send(OutputStream out, Message m) throws IOException {
    byte[] wire = m.toWire();
    byte[] framed = new byte[wire.length + 2];
    framed[0] = (byte) (wire.length >>> 8);
    framed[1] = (byte) wire.length;
    System.arraycopy(wire, 0, framed, 2, wire.length);
    out.write(framed);
    out.flush();
  }

  private void count(int type) {
    queries.computeIfAbsent(type, t -> new AtomicInteger()).incrementAndGet();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
