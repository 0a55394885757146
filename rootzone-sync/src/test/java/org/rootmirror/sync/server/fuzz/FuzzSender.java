package org.rootmirror.sync.server.fuzz;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rootmirror.sync.server.Transport;

/**
 * bench/fuzz's sender: packets from {@link FuzzedQueries} to a running server, over UDP in
 * batches of 64 (waiting up to 50 ms for the batch's replies, so that the server's socket buffer
 * is not what drops them), and one in a hundred over TCP on a connection of its own. Each reply
 * is judged by {@link ReplyCheck}; the first few problems are printed.
 *
 * <pre>
 * java -cp TEST_CLASSPATH org.rootmirror.sync.server.fuzz.FuzzSender HOST PORT COUNT SEED MAX_UDP [NAME...]
 * </pre>
 *
 * Prints one line: {@code sent N (udp U, tcp T) answerable A replies R tcp-replies C
 * tcp-failures F port-unreachable U problems P seconds S}.
 */
public final class FuzzSender {
  private static final int BATCH = 64;
  private static final int WAIT_MILLIS = 50;
  private static final int TCP_EVERY = 100;
  private static final int TCP_TIMEOUT_MILLIS = 2_000;
  private static final int SILENCE_MILLIS = 20;
  private static final int SHOWN_PROBLEMS = 5;

  private final InetSocketAddress server;
  private final int maxUdp;
  private long udp;
  private long tcp;
  private long answerable;
  private long replies;
  private long tcpReplies;
  private long tcpFailures;
  private long problems;
  private long unreachable;

  private FuzzSender(InetSocketAddress server, int maxUdp) {
    this.server = server;
    this.maxUdp = maxUdp;
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 5) {
      System.err.println("usage: FuzzSender HOST PORT COUNT SEED MAX_UDP [NAME...]");
      System.exit(2);
    }
    InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
    long count = Long.parseLong(args[2]);
    long seed = Long.decode(args[3]);
    List<String> names = args.length > 5 ? List.of(args).subList(5, args.length) : List.of(".", "com.");
    FuzzSender sender = new FuzzSender(server, Integer.parseInt(args[4]));
    long start = System.nanoTime();
    sender.send(new FuzzedQueries(seed, names), count);
    System.out.printf("sent %d (udp %d, tcp %d) answerable %d replies %d tcp-replies %d tcp-failures %d port-unreachable %d problems %d seconds %.1f%n",
        sender.udp + sender.tcp, sender.udp, sender.tcp, sender.answerable, sender.replies, sender.tcpReplies,
        sender.tcpFailures, sender.unreachable, sender.problems, (System.nanoTime() - start) / 1e9);
  }

  private void send(FuzzedQueries queries, long count) throws IOException {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.connect(server);
      socket.setSoTimeout(WAIT_MILLIS);
      socket.setReceiveBufferSize(1 << 20);
      byte[] buffer = new byte[65536];
      Map<Integer, byte[]> batch = new HashMap<>();
      for (long sent = 0; sent < count; ) {
        batch.clear();
        int expected = 0;
        for (int i = 0; i < BATCH && sent < count; i++, sent++) {
          byte[] wire = queries.next().wire();
          if (wire.length >= 2) { // IDs in sequence: a late reply to an earlier batch is not taken for this one's
            wire[0] = (byte) (sent >>> 8);
            wire[1] = (byte) sent;
          }
          boolean asks = wire.length >= ReplyCheck.HEADER && (wire[2] & 0x80) == 0;
          if (sent % TCP_EVERY == TCP_EVERY - 1) {
            tcp(wire, asks);
            continue;
          }
          if (wire.length > 65507) {
            wire = java.util.Arrays.copyOf(wire, 65507); // the most one UDP datagram over IPv4 holds
          }
          try {
            socket.send(new DatagramPacket(wire, wire.length));
          } catch (java.net.PortUnreachableException e) {
            unreachable++;
          }
          udp++;
          if (asks) {
            answerable++;
            expected++;
            batch.put((wire[0] & 0xFF) << 8 | wire[1] & 0xFF, wire);
          }
        }
        for (int got = 0; got < expected; got++) {
          DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
          try {
            socket.receive(reply);
          } catch (SocketTimeoutException e) {
            break;
          } catch (java.net.PortUnreachableException e) {
            unreachable++; // nothing listens: the server is gone (or not yet up)
            break;
          }
          replies++;
          byte[] wire = java.util.Arrays.copyOf(reply.getData(), reply.getLength());
          byte[] query = wire.length >= 2 ? batch.get((wire[0] & 0xFF) << 8 | wire[1] & 0xFF) : null;
          if (query != null) { // else a late reply to an earlier batch
            problem(query, Transport.UDP, List.of(wire));
          }
        }
      }
    }
  }

  /** One query on a connection of its own; reads every message until the server closes or stops sending. */
  private void tcp(byte[] wire, boolean asks) {
    tcp++;
    if (asks) {
      answerable++;
    }
    List<byte[]> got = new ArrayList<>();
    try (Socket s = new Socket()) {
      s.connect(server, TCP_TIMEOUT_MILLIS);
      // a packet that gets no reply gets a short wait for one that should not come
      s.setSoTimeout(asks ? TCP_TIMEOUT_MILLIS : SILENCE_MILLIS);
      OutputStream out = s.getOutputStream();
      out.write(new byte[] {(byte) (wire.length >>> 8), (byte) wire.length});
      out.write(wire);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      while (got.size() < 1000) { // a transfer of the root zone is a few hundred messages
        int length;
        try {
          length = in.readUnsignedShort();
        } catch (SocketTimeoutException | java.io.EOFException e) {
          break;
        }
        byte[] message = new byte[length];
        in.readFully(message);
        got.add(message);
        if (!transfer(message)) {
          break;
        }
        s.setSoTimeout(SILENCE_MILLIS * 10); // the rest of a transfer comes at once
      }
    } catch (IOException e) {
      tcpFailures++;
      return;
    }
    if (!got.isEmpty()) {
      tcpReplies++;
      replies++;
    }
    problem(wire, Transport.TCP, got);
  }

  /** Whether {@code reply} answers an AXFR or IXFR (more messages may follow, RFC 5936 section 2.2). */
  private static boolean transfer(byte[] reply) {
    try {
      org.xbill.DNS.Record question = new org.xbill.DNS.Message(reply).getQuestion();
      return question != null && (question.getType() == org.xbill.DNS.Type.AXFR || question.getType() == org.xbill.DNS.Type.IXFR);
    } catch (IOException e) {
      return false;
    }
  }

  private void problem(byte[] query, Transport transport, List<byte[]> got) {
    String problem = ReplyCheck.check(query, transport, got, maxUdp, false);
    if (problem != null) {
      problems++;
      if (problems <= SHOWN_PROBLEMS) {
        System.out.println("problem over " + transport + ": " + problem + "\n  query: " + Hex.of(query));
      }
    }
  }
}
