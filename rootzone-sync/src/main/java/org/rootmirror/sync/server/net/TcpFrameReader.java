package org.rootmirror.sync.server.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * Reads DNS messages framed for TCP (a two-octet length, then the message: RFC 7766 section 8)
 * from one socket, each whole message within a deadline: the socket's timeout is set, read after
 * read, to what remains of it, so a client sending an octet now and then runs out of time as
 * surely as a silent one. Buffers what the socket gives beyond the current message (pipelined
 * queries) in one small buffer; a message larger than the buffer is read straight into its array.
 */
final class TcpFrameReader {
  private static final byte[] EMPTY = new byte[0];

  private final Socket socket;
  private final InputStream in;
  private final byte[] buffer;
  private final long messageMillis;
  private int position;
  private int limit;
  private int timeout = -1;

  /** @param messageMillis the deadline of a message, for the message that says it passed */
  TcpFrameReader(Socket socket, int bufferSize, long messageMillis) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.buffer = new byte[bufferSize];
    this.messageMillis = messageMillis;
  }

  /** Whether an octet of the next message is already here: that message has begun. */
  boolean hasBuffered() {
    return position < limit;
  }

  /**
   * Waits up to {@code millis} for more octets.
   *
   * @return false at the end of the stream
   * @throws SocketTimeoutException when none came in time (the socket stays usable)
   */
  boolean fill(int millis) throws IOException {
    if (position == limit) {
      position = limit = 0;
    } else if (limit == buffer.length) {
      System.arraycopy(buffer, position, buffer, 0, limit - position);
      limit -= position;
      position = 0;
    }
    int n = read(buffer, limit, buffer.length - limit, millis);
    if (n < 0) {
      return false;
    }
    limit += n;
    return true;
  }

  /**
   * The message that has begun ({@link #hasBuffered()} or not), read whole by {@code deadline}
   * ({@link System#nanoTime()}); an empty array for a length of zero.
   *
   * @throws SocketTimeoutException when the deadline passes first
   * @throws EOFException when the client closes inside the message
   */
  byte[] readMessage(long deadline) throws IOException {
    try {
      return readWithin(deadline);
    } catch (SocketTimeoutException e) {
      throw new SocketTimeoutException("a message not complete within " + messageMillis + " ms");
    }
  }

  private byte[] readWithin(long deadline) throws IOException {
    int length = octet(deadline) << 8 | octet(deadline);
    if (length == 0) {
      return EMPTY;
    }
    byte[] message = new byte[length];
    int done = Math.min(length, limit - position);
    System.arraycopy(buffer, position, message, 0, done);
    position += done;
    while (done < length) {
      if (length - done >= buffer.length) {
        int n = read(message, done, length - done, remainingMillis(deadline));
        if (n < 0) {
          throw new EOFException("connection closed after " + done + " of " + length + " octets");
        }
        done += n;
      } else {
        fillBy(deadline, "after " + done + " of " + length + " octets");
        int n = Math.min(length - done, limit - position);
        System.arraycopy(buffer, position, message, done, n);
        position += n;
        done += n;
      }
    }
    return message;
  }

  private int octet(long deadline) throws IOException {
    if (position == limit) {
      fillBy(deadline, "inside a length prefix");
    }
    return buffer[position++] & 0xff;
  }

  private void fillBy(long deadline, String where) throws IOException {
    if (!fill(remainingMillis(deadline))) {
      throw new EOFException("connection closed " + where);
    }
  }

  private int remainingMillis(long deadline) throws SocketTimeoutException {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      throw new SocketTimeoutException("deadline passed");
    }
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(remaining)));
  }

  private int read(byte[] into, int offset, int length, int millis) throws IOException {
    if (millis != timeout) {
      socket.setSoTimeout(millis);
      timeout = millis;
    }
    return in.read(into, offset, length);
  }
}
