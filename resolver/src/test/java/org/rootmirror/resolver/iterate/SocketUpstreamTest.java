package org.rootmirror.resolver.iterate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The iterator's sockets against a scripted server on loopback. */
class SocketUpstreamTest {
  private static final Name NAME = Name.fromConstantString("www.example.");
  private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
  private final List<Integer> sourcePorts = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  /** A UDP server that answers each query with what {@code replies} makes of it (one or more datagrams). */
  private InetSocketAddress udpServer(java.util.function.Function<Message, List<Message>> replies) throws IOException {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    open.add(socket);
    Thread.ofVirtual().start(() -> {
      byte[] buffer = new byte[4096];
      while (!socket.isClosed()) {
        try {
          DatagramPacket p = new DatagramPacket(buffer, buffer.length);
          socket.receive(p);
          Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
          sourcePorts.add(p.getPort());
          for (Message r : replies.apply(q)) {
            byte[] wire = r.toWire();
            socket.send(new DatagramPacket(wire, wire.length, p.getSocketAddress()));
          }
        } catch (IOException e) {
          return;
        }
      }
    });
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  private static Message answer(Message q, UnaryOperator<Message> change) {
    Message r = new Message(q.getHeader().getID());
    r.getHeader().setFlag(Flags.QR);
    r.getHeader().setFlag(Flags.AA);
    r.addRecord(q.getQuestion(), Section.QUESTION);
    r.addRecord(new ARecord(NAME, DClass.IN, 60, InetAddress.getLoopbackAddress()), Section.ANSWER);
    return change.apply(r);
  }

  private static Message query(int id) {
    Message m = Message.newQuery(Record.newRecord(NAME, Type.A, DClass.IN));
    m.getHeader().setID(id);
    return m;
  }

  @Test
  void eachQueryLeavesFromItsOwnRandomPort() throws Exception {
    InetSocketAddress server = udpServer(q -> List.of(answer(q, r -> r)));
    SocketUpstream upstream = new SocketUpstream();
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 20; i++) {
      upstream.exchange(server, query(random.nextInt(0x10000)), Duration.ofSeconds(2));
    }
    Set<Integer> distinct = new HashSet<>(sourcePorts);
    assertTrue(distinct.size() >= 18, "source ports: " + sourcePorts);
  }

  @Test
  void aResponseWithAnotherIdOrQuestionIsIgnoredAndTheRealOneTaken() throws Exception {
    InetSocketAddress server = udpServer(q -> {
      Message wrongId = answer(q, r -> r);
      wrongId.getHeader().setID((q.getHeader().getID() + 1) & 0xffff);
      Message wrongQuestion = new Message(q.getHeader().getID());
      wrongQuestion.getHeader().setFlag(Flags.QR);
      wrongQuestion.addRecord(Record.newRecord(Name.fromConstantString("evil.example."), Type.A, DClass.IN), Section.QUESTION);
      return List.of(wrongId, wrongQuestion, answer(q, r -> r));
    });
    SocketUpstream upstream = new SocketUpstream();
    Message r = upstream.exchange(server, query(1234), Duration.ofSeconds(2));
    assertEquals(1234, r.getHeader().getID());
    assertEquals(NAME, r.getQuestion().getName());
    assertEquals(2, upstream.mismatched());
  }

  @Test
  void silenceIsATimeout() throws Exception {
    InetSocketAddress server = udpServer(q -> List.of());
    assertThrows(SocketTimeoutException.class, () -> new SocketUpstream().exchange(server, query(7), Duration.ofMillis(200)));
  }

  @Test
  void aTruncatedAnswerIsAskedAgainOverTcp() throws Exception {
    // the UDP twin on the same port answers TC=1 with nothing
    assertAskedAgainOverTcp(q -> {
      Message r = new Message(q.getHeader().getID());
      r.getHeader().setFlag(Flags.QR);
      r.getHeader().setFlag(Flags.TC);
      r.addRecord(q.getQuestion(), Section.QUESTION);
      return r.toWire();
    });
  }

  @Test
  void aDatagramTooLargeForTheReceiveBufferIsAskedAgainOverTcp() throws Exception {
    // a server that ignores the EDNS buffer size we advertise: the datagram is cut at 4 KB
    assertAskedAgainOverTcp(q -> {
      Message r = answer(q, m -> m);
      for (int i = 0; i < 30; i++) {
        r.addRecord(new org.xbill.DNS.TXTRecord(NAME, DClass.IN, 60, "x".repeat(200)), Section.ADDITIONAL);
      }
      byte[] wire = r.toWire();
      assertTrue(wire.length > SocketUpstream.UDP_BUFFER, "the reply must not fit: " + wire.length);
      return wire;
    });
  }

  private void assertAskedAgainOverTcp(java.util.function.Function<Message, byte[]> udpReply) throws Exception {
    ServerSocket tcp = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    open.add(tcp);
    InetSocketAddress udp = udpServerOn(tcp.getLocalPort(), udpReply);
    Thread.ofVirtual().start(() -> {
      try (Socket s = tcp.accept()) {
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] q = new byte[in.readUnsignedShort()];
        in.readFully(q);
        byte[] r = answer(new Message(q), m -> m).toWire();
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeShort(r.length);
        out.write(r);
        out.flush();
      } catch (IOException e) {
        // the test fails on the client side
      }
    });
    SocketUpstream upstream = new SocketUpstream();
    Message r = upstream.exchange(udp, query(99), Duration.ofSeconds(2));
    assertEquals(1, r.getSection(Section.ANSWER).size());
    assertEquals(1, upstream.tcpQueries());
  }

  @Test
  void aQueryOverTcpSendsNoDatagram() throws Exception {
    ServerSocket tcp = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    open.add(tcp);
    // the UDP twin would answer at once: a datagram sent would be counted
    InetSocketAddress udp = udpServerOn(tcp.getLocalPort(), q -> answer(q, m -> m).toWire());
    Thread.ofVirtual().start(() -> {
      try (Socket s = tcp.accept()) {
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] q = new byte[in.readUnsignedShort()];
        in.readFully(q);
        byte[] r = answer(new Message(q), m -> m).toWire();
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeShort(r.length);
        out.write(r);
        out.flush();
      } catch (IOException e) {
        // the test fails on the client side
      }
    });
    SocketUpstream upstream = new SocketUpstream();
    Message r = upstream.exchangeOverTcp(udp, query(77), Duration.ofSeconds(2));
    assertEquals(77, r.getHeader().getID());
    assertEquals(1, r.getSection(Section.ANSWER).size());
    assertEquals(0, upstream.udpQueries());
    assertEquals(1, upstream.tcpQueries());
  }

  private InetSocketAddress udpServerOn(int port, java.util.function.Function<Message, byte[]> reply) throws IOException {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    open.add(socket);
    Thread.ofVirtual().start(() -> {
      byte[] buffer = new byte[4096];
      while (!socket.isClosed()) {
        try {
          DatagramPacket p = new DatagramPacket(buffer, buffer.length);
          socket.receive(p);
          Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
          byte[] wire = reply.apply(q);
          socket.send(new DatagramPacket(wire, wire.length, p.getSocketAddress()));
        } catch (IOException e) {
          return;
        }
      }
    });
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }
}
