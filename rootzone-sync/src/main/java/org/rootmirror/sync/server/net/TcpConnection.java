package org.rootmirror.sync.server.net;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.rootmirror.sync.server.QueryHandler;
import org.rootmirror.sync.server.ResponseSink;
import org.rootmirror.sync.server.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DNS-over-TCP connection (RFC 7766). Reads two-octet-length-framed queries and answers each on
 * its own virtual thread as soon as it is read, so answers may leave out of order (section 6.2.1.1);
 * writes whole messages one at a time, so the messages of one answer (a zone transfer) stay in
 * order. Closes the connection when it has been idle (nothing read, nothing pending, nothing sent)
 * for the idle timeout (section 6.2.3), when a message stalls half-read or a client stops reading
 * its answers for that long, and after the pending answers when the client closes its side.
 */
final class TcpConnection implements ResponseSink {
  private static final Logger log = LoggerFactory.getLogger(TcpConnection.class);
  private static final int MAX_MESSAGE = 0xffff;
  /** Frames up to this size reuse one buffer; larger ones (transfers) get their own. */
  private static final int FRAME_BUFFER = 4096;

  private final Socket socket;
  private final InetSocketAddress client;
  private final QueryHandler handler;
  private final Executor threads;
  private final int maxInFlight;
  private final Semaphore inFlight;
  private final int idleMillis;
  private final long idleNanos;
  private final NetCounters counters;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final byte[] frame = new byte[FRAME_BUFFER];
  /** System.nanoTime() of the last query read, answer finished or message written. */
  private volatile long lastActivity = System.nanoTime();
  /** System.nanoTime() when the write in progress began, 0 when none is. */
  private volatile long writeStarted;

  TcpConnection(Socket socket, QueryHandler handler, Executor threads, Duration idleTimeout, int maxInFlight, NetCounters counters) {
    this.socket = socket;
    this.client = (InetSocketAddress) socket.getRemoteSocketAddress();
    this.handler = handler;
    this.threads = threads;
    this.maxInFlight = maxInFlight;
    this.inFlight = new Semaphore(maxInFlight);
    this.idleMillis = (int) Math.min(Integer.MAX_VALUE, idleTimeout.toMillis());
    this.idleNanos = idleTimeout.toNanos();
    this.counters = counters;
  }

  /** Reads and dispatches queries until the client closes, the connection times out or the listener closes. */
  void serve() {
    try (socket) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(idleMillis);
      InputStream in = new BufferedInputStream(socket.getInputStream(), FRAME_BUFFER);
      while (true) {
        int high = awaitQuery(in);
        if (high < 0) {
          break;
        }
        int low = in.read();
        if (low < 0) {
          throw new EOFException("connection closed inside a length prefix");
        }
        int length = high << 8 | low;
        if (length == 0) {
          log.debug("TCP client {} sent a zero length: closing", client);
          break;
        }
        byte[] query = in.readNBytes(length);
        if (query.length < length) {
          throw new EOFException("connection closed after " + query.length + " of " + length + " octets");
        }
        lastActivity = System.nanoTime();
        counters.tcpQueries.increment();
        awaitSlot();
        threads.execute(() -> answer(query));
      }
      awaitPendingAnswers();
    } catch (TimedOut | SocketTimeoutException e) {
      counters.tcpTimedOut.increment();
      log.debug("TCP client {}: {}", client, e.getMessage());
    } catch (IOException e) {
      log.debug("TCP client {}: {}", client, e.toString());
    } catch (InterruptedException | RejectedExecutionException e) {
      log.debug("TCP client {}: closed with the listener", client);
    }
  }

  /**
   * Reads the first octet of the next message, or -1 at the end of the stream. The socket's
   * timeout fires every idle period (or what remains of it); only when no answer is pending and
   * nothing has moved for a whole period is the connection idle.
   */
  private int awaitQuery(InputStream in) throws IOException {
    int timeout = idleMillis;
    while (true) {
      try {
        int octet = in.read();
        if (timeout != idleMillis) {
          socket.setSoTimeout(idleMillis);
        }
        return octet;
      } catch (SocketTimeoutException e) {
        long now = System.nanoTime();
        checkClientReads(now);
        long wait = idleNanos;
        if (inFlight.availablePermits() == maxInFlight) {
          long quiet = now - lastActivity;
          if (quiet >= idleNanos) {
            throw new TimedOut("idle for " + idleMillis + " ms");
          }
          wait = idleNanos - quiet;
        }
        int next = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait));
        if (next != timeout) {
          socket.setSoTimeout(next);
          timeout = next;
        }
      }
    }
  }

  /** Waits for a free in-flight slot: while all are taken the connection reads nothing more (backpressure). */
  private void awaitSlot() throws InterruptedException, TimedOut {
    while (!inFlight.tryAcquire(idleNanos, TimeUnit.NANOSECONDS)) {
      checkClientReads(System.nanoTime());
    }
  }

  /** After the client closed its side: lets every pending answer go out before closing (RFC 7766 section 6.2.3). */
  private void awaitPendingAnswers() throws InterruptedException, TimedOut {
    while (!inFlight.tryAcquire(maxInFlight, idleNanos, TimeUnit.NANOSECONDS)) {
      checkClientReads(System.nanoTime());
    }
  }

  /** A write blocked for a whole idle period means the client stopped reading; its answers would pile up. */
  private void checkClientReads(long now) throws TimedOut {
    long started = writeStarted;
    if (started != 0 && now - started >= idleNanos) {
      throw new TimedOut("not reading its answers for " + idleMillis + " ms");
    }
  }

  private void answer(byte[] query) {
    try {
      handler.handle(ByteBuffer.wrap(query), Transport.TCP, client, this);
    } catch (IOException e) {
      log.debug("answering TCP client {}: {}", client, e.toString());
    } catch (RuntimeException e) {
      counters.handlerFailed(log, client, e);
    } finally {
      lastActivity = System.nanoTime();
      inFlight.release();
    }
  }

  /** Writes one message with its length prefix; messages from concurrent answers never interleave. */
  @Override
  public void send(ByteBuffer message) throws IOException {
    int length = message.remaining();
    if (length > MAX_MESSAGE) {
      throw new IOException("a message over TCP holds at most 65535 octets, not " + length);
    }
    writeLock.lock();
    try {
      byte[] buffer = length + 2 <= frame.length ? frame : new byte[length + 2];
      buffer[0] = (byte) (length >>> 8);
      buffer[1] = (byte) length;
      message.get(message.position(), buffer, 2, length);
      OutputStream out = socket.getOutputStream();
      writeStarted = System.nanoTime();
      out.write(buffer, 0, length + 2);
      counters.tcpResponses.increment();
    } finally {
      writeStarted = 0;
      lastActivity = System.nanoTime();
      writeLock.unlock();
    }
  }

  /** Closes the socket: the reader and any blocked writer wake with an exception. */
  void close() {
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("closing TCP connection from {}: {}", client, e.toString());
    }
  }

  /** The connection outlived the idle timeout, one way or another. */
  private static final class TimedOut extends IOException {
    TimedOut(String message) {
      super(message);
    }
  }
}
