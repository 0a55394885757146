package org.rootmirror.resolver.iterate;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.PortUnreachableException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.WireParseException;

/**
 * UDP, then TCP when the answer is truncated (RFC 7766 section 5), over the JDK's sockets: blocking
 * calls that park a virtual thread rather than holding a carrier. Every UDP query gets a new socket
 * on a port the kernel picks at random and the caller's random ID (RFC 5452 section 4: port and ID
 * together are the resolver's defence against spoofed answers); a response that does not match the
 * ID and question is ignored and the wait goes on, so a forged packet cannot end a query early.
 */
public final class SocketUpstream implements Upstream {
  /**
   * The receive buffer of a UDP query, held while its answer is awaited: 4 KB, so that thousands
   * of resolutions waiting on silent servers hold 4 KB each rather than 64 KB (issue 12: 4,096 of
   * them took over a gigabyte). We advertise 1232 (RFC 6891 section 6.2.5); a datagram that fills
   * the buffer may have been cut short, so it is asked again over TCP, as a truncated one is.
   */
  static final int UDP_BUFFER = 4096;

  private final LongAdder udpQueries = new LongAdder();
  private final LongAdder tcpQueries = new LongAdder();
  private final LongAdder mismatched = new LongAdder();

  @Override
  public Message exchange(InetSocketAddress server, Message query, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] wire = query.toWire();
    Message response = udp(server, query, wire, deadline);
    if (response != null && !response.getHeader().getFlag(Flags.TC)) {
      return response;
    }
    // RFC 7766 section 5: a truncated answer (or one too large for the buffer) is asked again over TCP, with what time is left
    // (at least one RTO's worth, since the server has just shown it is there).
    long left = Math.max(deadline - System.nanoTime(), timeout.toNanos());
    return tcp(server, query, wire, System.nanoTime() + left);
  }

  @Override
  public Message exchangeOverTcp(InetSocketAddress server, Message query, Duration timeout) throws IOException {
    return tcp(server, query, query.toWire(), System.nanoTime() + timeout.toNanos());
  }

  /** The matching response, or null when a datagram filled the buffer (perhaps cut short). */
  private Message udp(InetSocketAddress server, Message query, byte[] wire, long deadline) throws IOException {
    udpQueries.increment();
    // DatagramSocket rather than a Selector: its timed receive parks a virtual thread.
    try (DatagramSocket socket = new DatagramSocket()) { // an ephemeral port the kernel draws at random
      socket.connect(server); // the kernel drops datagrams from anyone else
      socket.send(new DatagramPacket(wire, wire.length));
      byte[] buffer = new byte[UDP_BUFFER];
      while (true) {
        socket.setSoTimeout(millisLeft(deadline, server, "UDP"));
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(packet);
        } catch (PortUnreachableException e) {
          throw new ConnectException("port unreachable at " + server);
        }
        if (packet.getLength() == buffer.length) {
          return null;
        }
        Message response = matching(query, Arrays.copyOf(buffer, packet.getLength()));
        if (response != null) {
          return response;
        }
        mismatched.increment();
      }
    }
  }

  private Message tcp(InetSocketAddress server, Message query, byte[] wire, long deadline) throws IOException {
    tcpQueries.increment();
    try (Socket socket = new Socket()) {
      socket.connect(server, millisLeft(deadline, server, "TCP"));
      socket.setSoTimeout(millisLeft(deadline, server, "TCP"));
      OutputStream out = socket.getOutputStream();
      byte[] framed = new byte[wire.length + 2];
      framed[0] = (byte) (wire.length >>> 8);
      framed[1] = (byte) wire.length;
      System.arraycopy(wire, 0, framed, 2, wire.length);
      out.write(framed);
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      while (true) {
        socket.setSoTimeout(millisLeft(deadline, server, "TCP"));
        byte[] data = new byte[in.readUnsignedShort()];
        in.readFully(data);
        Message response = matching(query, data);
        if (response != null) {
          return response;
        }
        mismatched.increment();
      }
    }
  }

  private static int millisLeft(long deadline, InetSocketAddress server, String transport) throws SocketTimeoutException {
    long left = (deadline - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      throw new SocketTimeoutException("no answer from " + server + " over " + transport);
    }
    return (int) Math.min(left, Integer.MAX_VALUE);
  }

  /** The response if it answers {@code query} (RFC 5452 section 9.1: ID and question), else null. */
  private static Message matching(Message query, byte[] data) {
    Message response;
    try {
      response = new Message(data);
    } catch (WireParseException e) {
      return null;
    } catch (IOException e) {
      return null;
    }
    if (!response.getHeader().getFlag(Flags.QR) || response.getHeader().getID() != query.getHeader().getID()) {
      return null;
    }
    Record asked = query.getQuestion();
    Record echoed = response.getQuestion();
    // A response without a question (some FORMERRs) cannot be matched and is not trusted.
    if (echoed == null || !asked.getName().equals(echoed.getName()) || asked.getType() != echoed.getType()
        || asked.getDClass() != echoed.getDClass()) {
      return null;
    }
    return response;
  }

  public long udpQueries() {
    return udpQueries.sum();
  }

  public long tcpQueries() {
    return tcpQueries.sum();
  }

  /** Packets that came back with the wrong ID or question: spoofing attempts or late answers. */
  public long mismatched() {
    return mismatched.sum();
  }
}
