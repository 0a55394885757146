package org.rootmirror.sync.server.interop;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

/**
 * One DNS exchange over plain sockets, the query's bytes out and the response's bytes back
 * untouched, so that a test sees exactly what a server sent (a resolver library would retry,
 * follow TC or drop what it cannot parse).
 */
public final class DnsClient {
  private DnsClient() {}

  /** Sends {@code query} over UDP and returns the first datagram that carries its ID. */
  public static byte[] udp(InetSocketAddress server, byte[] query, Duration timeout) throws IOException {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(server.getAddress(), 0))) {
      socket.setSoTimeout((int) timeout.toMillis());
      socket.send(new DatagramPacket(query, query.length, server));
      byte[] buffer = new byte[65535];
      long end = System.nanoTime() + timeout.toNanos();
      while (true) {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet); // SocketTimeoutException when nothing comes
        if (packet.getLength() >= 2 && buffer[0] == query[0] && buffer[1] == query[1]) {
          return Arrays.copyOf(buffer, packet.getLength());
        }
        if (System.nanoTime() > end) {
          throw new SocketTimeoutException("no response with the query's ID from " + server);
        }
      }
    }
  }

  /** Sends {@code query} over a new TCP connection (RFC 7766: two-byte length, then the message) and reads one response. */
  public static byte[] tcp(InetSocketAddress server, byte[] query, Duration timeout) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(server, (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      OutputStream out = socket.getOutputStream();
      byte[] framed = new byte[2 + query.length];
      framed[0] = (byte) (query.length >>> 8);
      framed[1] = (byte) query.length;
      System.arraycopy(query, 0, framed, 2, query.length);
      out.write(framed);
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] response = new byte[in.readUnsignedShort()];
      in.readFully(response);
      return response;
    }
  }
}
