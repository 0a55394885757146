package org.rootmirror.sync.server.xfr;

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
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.rootmirror.sync.server.QueryHandler;
import org.rootmirror.sync.server.ResponseSink;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A stand-in for the real listeners, so that real clients can reach a {@link TransferHandler}: TCP
 * (2-byte length framing, RFC 1035 section 4.2.2) and UDP on one ephemeral port of 127.0.0.1. It
 * answers SOA queries itself from the published zone (the clients ask for the serial first, and
 * answering queries is the query handler's job, not the transfer handler's) and hands everything
 * else to the handler.
 */
final class TransferTestServer implements AutoCloseable {
  private final QueryHandler handler;
  private final PublishedZone published;
  private final ServerSocket tcp;
  private final DatagramSocket udp;
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private TransferTestServer(QueryHandler handler, PublishedZone published, ServerSocket tcp, DatagramSocket udp) {
    this.handler = handler;
    this.published = published;
    this.tcp = tcp;
    this.udp = udp;
  }

  static TransferTestServer start(QueryHandler handler, PublishedZone published) throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    for (int attempt = 0; ; attempt++) {
      ServerSocket tcp = new ServerSocket(0, 50, loopback);
      try {
        DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, tcp.getLocalPort()));
        TransferTestServer server = new TransferTestServer(handler, published, tcp, udp);
        server.spawn(server::serveUdp);
        server.spawn(server::acceptTcp);
        return server;
      } catch (BindException e) {
        tcp.close();
        if (attempt == 20) {
          throw e;
        }
      }
    }
  }

  int port() {
    return tcp.getLocalPort();
  }

  InetSocketAddress address() {
    return new InetSocketAddress(tcp.getInetAddress(), port());
  }

  URI uri(String scheme) {
    return URI.create(scheme + "://127.0.0.1:" + port());
  }

  @Override
  public void close() throws IOException {
    closed = true;
    udp.close();
    tcp.close();
    for (Socket s : connections) {
      s.close();
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

  private void spawn(Runnable task) {
    Thread t = Thread.ofPlatform().daemon().name("transfer-test-server-" + port()).unstarted(task);
    threads.add(t);
    t.start();
  }

  private void serveUdp() {
    byte[] buffer = new byte[65_535];
    while (!closed) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        udp.receive(packet);
        InetSocketAddress client = (InetSocketAddress) packet.getSocketAddress();
        byte[] query = Arrays.copyOf(packet.getData(), packet.getLength());
        dispatch(query, Transport.UDP, client, m -> {
          byte[] wire = new byte[m.remaining()];
          m.get(wire);
          udp.send(new DatagramPacket(wire, wire.length, client));
        });
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void acceptTcp() {
    while (!closed) {
      try {
        Socket s = tcp.accept();
        connections.add(s);
        spawn(() -> serveTcp(s));
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  /** Queries one after another until the client closes (RFC 7766 section 6.2.1). */
  private void serveTcp(Socket s) {
    try (s) {
      DataInputStream in = new DataInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      InetSocketAddress client = (InetSocketAddress) s.getRemoteSocketAddress();
      ResponseSink sink = m -> {
        byte[] framed = new byte[m.remaining() + 2];
        framed[0] = (byte) (m.remaining() >>> 8);
        framed[1] = (byte) m.remaining();
        m.get(framed, 2, m.remaining());
        out.write(framed);
        out.flush();
      };
      while (!closed) {
        byte[] query = new byte[in.readUnsignedShort()];
        in.readFully(query);
        dispatch(query, Transport.TCP, client, sink);
      }
    } catch (EOFException e) {
      // the client is done
    } catch (IOException e) {
      // the client went away, or close() closed the socket
    } finally {
      connections.remove(s);
    }
  }

  private void dispatch(byte[] query, Transport transport, InetSocketAddress client, ResponseSink sink) throws IOException {
    Optional<Message> soaQuery = soaQuery(query);
    if (soaQuery.isPresent()) {
      sink.send(ByteBuffer.wrap(soa(soaQuery.get()).toWire()));
    } else {
      handler.handle(ByteBuffer.wrap(query), transport, client, sink);
    }
  }

  private static Optional<Message> soaQuery(byte[] query) {
    try {
      Message m = new Message(query);
      Record q = m.getQuestion();
      boolean soa = !m.getHeader().getFlag(Flags.QR) && m.getHeader().getOpcode() == Opcode.QUERY
          && q != null && q.getType() == Type.SOA;
      return soa ? Optional.of(m) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // the handler answers FORMERR
    }
  }

  private Message soa(Message query) {
    Message reply = new Message(query.getHeader().getID());
    reply.getHeader().setFlag(Flags.QR);
    reply.addRecord(query.getQuestion(), Section.QUESTION);
    Optional<ZoneSnapshot> current = published.current();
    if (current.isEmpty() || !query.getQuestion().getName().equals(Name.root)) {
      reply.getHeader().setRcode(current.isEmpty() ? Rcode.SERVFAIL : Rcode.REFUSED);
      return reply;
    }
    reply.getHeader().setFlag(Flags.AA);
    reply.addRecord(current.get().zone().soa(), Section.ANSWER);
    return reply;
  }
}
