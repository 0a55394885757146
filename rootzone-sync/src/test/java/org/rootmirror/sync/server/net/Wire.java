package org.rootmirror.sync.server.net;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/** Raw DNS for socket tests: queries as bytes, and the two-octet framing of DNS over TCP (RFC 7766 section 8). */
final class Wire {
  private Wire() {}

  static byte[] query(int id, String name, int type) {
    try {
      Message message = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
      message.getHeader().setID(id);
      return message.toWire();
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Message parse(byte[] wire) throws IOException {
    return new Message(wire);
  }

  /** Writes all the messages, each with its length, in one write. */
  static void writeFrames(OutputStream out, List<byte[]> messages) throws IOException {
    ByteArrayOutputStream frames = new ByteArrayOutputStream();
    for (byte[] message : messages) {
      frames.write(message.length >>> 8);
      frames.write(message.length);
      frames.write(message);
    }
    out.write(frames.toByteArray());
    out.flush();
  }

  /** The next message, or null when the server closed the connection between messages. */
  static byte[] readFrame(DataInputStream in) throws IOException {
    int high = in.read();
    if (high < 0) {
      return null;
    }
    int length = high << 8 | in.readUnsignedByte();
    byte[] message = new byte[length];
    in.readFully(message);
    return message;
  }

  /** The next message, which must be there. */
  static Message readMessage(DataInputStream in) throws IOException {
    byte[] frame = readFrame(in);
    if (frame == null) {
      throw new EOFException("connection closed before the answer");
    }
    return parse(frame);
  }

  static Socket connect(InetSocketAddress server, Duration readTimeout) throws IOException {
    Socket socket = new Socket();
    socket.connect(server, 2_000);
    socket.setSoTimeout((int) readTimeout.toMillis());
    return socket;
  }

  /** Whether this host can bind ::1. */
  static boolean hasIpv6Loopback() {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
