package org.rootmirror.sync.server.net;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
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
 * for the idle timeout (section 6.2.3), when a message once begun is not whole within the message
 * timeout (a client trickling octets keeps no slot), when a client stops reading its answers for
 * the idle timeout, and after the pending answers when the client closes its side.
 *
 * <p>Memory is bounded per connection: a 4 KiB read buffer, a 4 KiB write buffer once it writes,
 * and the queries it holds in flight, at most 64 KiB of them (one of the largest size, or many
 * small ones) beside the one just read. A connection waiting for its next query is a parked
 * virtual thread, not a platform thread.
 */
final class TcpConnection implements ResponseSink, TcpConnectionTable.Slot {
  private static final Logger log = LoggerFactory.getLogger(TcpConnection.class);
  private static final int MAX_MESSAGE = 0xffff;
  /** Reads fill this much at a time; frames up to this size are written from one reused buffer. */
  private static final int FRAME_BUFFER = 4096;
  /** Query octets one connection may hold in flight: the largest message, or many small ones. */
  private static final int QUERY_BYTES = MAX_MESSAGE;

  private final Socket socket;
  private final InetSocketAddress client;
  private final QueryHandler handler;
  private final Executor threads;
  private final int maxInFlight;
  private final Semaphore inFlight;
  private final Semaphore queryBytes = new Semaphore(QUERY_BYTES);
  private final long idleMillis;
  private final long idleNanos;
  private final long messageMillis;
  private final long messageNanos;
  private final NetCounters counters;
  private final ReentrantLock writeLock = new ReentrantLock();
  private byte[] frame;
  /** System.nanoTime() of the accept, the last query read whole, answer finished or message written. */
  private volatile long lastActivity = System.nanoTime();
  /** System.nanoTime() when the write in progress began, 0 when none is. */
  private volatile long writeStarted;
  private volatile boolean evicted;

  TcpConnection(Socket socket, QueryHandler handler, Executor threads, ServerNetOptions limits, NetCounters counters) {
    this.socket = socket;
    this.client = (InetSocketAddress) socket.getRemoteSocketAddress();
    this.handler = handler;
    this.threads = threads;
    this.maxInFlight = limits.tcpMaxInFlight();
    this.inFlight = new Semaphore(maxInFlight);
    this.idleMillis = limits.tcpIdleTimeout().toMillis();
    this.idleNanos = limits.tcpIdleTimeout().toNanos();
    this.messageMillis = limits.tcpMessageTimeout().toMillis();
    this.messageNanos = limits.tcpMessageTimeout().toNanos();
    this.counters = counters;
  }

  /** Reads and dispatches queries until the client closes, the connection times out or the listener closes. */
  void serve() {
    try (socket) {
      socket.setTcpNoDelay(true);
      TcpFrameReader in = new TcpFrameReader(socket, FRAME_BUFFER, messageMillis);
      while (awaitMessage(in)) {
        byte[] query = in.readMessage(System.nanoTime() + messageNanos);
        if (query.length == 0) {
          log.debug("TCP client {} sent a zero length: closing", client);
          break;
        }
        lastActivity = System.nanoTime();
        awaitSlot(query.length);
        counters.tcpQueries.increment();
        threads.execute(() -> answer(query));
      }
      awaitPendingAnswers();
    } catch (SocketTimeoutException e) {
      counters.tcpTimedOut.increment();
      log.debug("TCP client {}: {}", client, e.getMessage());
    } catch (IOException e) {
      log.debug("TCP client {}: {}", client, evicted ? "closed to make room for a new connection" : e.toString());
    } catch (InterruptedException | RejectedExecutionException e) {
      log.debug("TCP client {}: closed with the listener", client);
    }
  }

  /**
   * Waits for the first octet of the next message: false at the end of the stream. The socket's
   * timeout fires every idle period (or what remains of it); only when no answer is pending and
   * nothing has moved for a whole period is the connection idle.
   */
  private boolean awaitMessage(TcpFrameReader in) throws IOException {
    while (!in.hasBuffered()) {
      int wait = idleWaitMillis(System.nanoTime());
      try {
        if (!in.fill(wait)) {
          return false;
        }
      } catch (SocketTimeoutException e) {
        checkClientReads(System.nanoTime());
      }
    }
    return true;
  }

  /** How long to wait for the client now; throws when the connection has been idle for the idle timeout. */
  private int idleWaitMillis(long now) throws SocketTimeoutException {
    long wait = idleNanos;
    if (inFlight.availablePermits() == maxInFlight) {
      long quiet = now - lastActivity;
      if (quiet >= idleNanos) {
        throw new SocketTimeoutException("idle for " + idleMillis + " ms");
      }
      wait = idleNanos - quiet;
    }
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(wait)));
  }

  /**
   * Waits for a free in-flight slot and room for {@code length} more query octets: while there is
   * none the connection reads nothing more (backpressure).
   */
  private void awaitSlot(int length) throws InterruptedException, SocketTimeoutException {
    while (!inFlight.tryAcquire(idleNanos, TimeUnit.NANOSECONDS)) {
      checkClientReads(System.nanoTime());
    }
    while (!queryBytes.tryAcquire(length, idleNanos, TimeUnit.NANOSECONDS)) {
      checkClientReads(System.nanoTime());
    }
  }

  /** After the client closed its side: lets every pending answer go out before closing (RFC 7766 section 6.2.3). */
  private void awaitPendingAnswers() throws InterruptedException, SocketTimeoutException {
    while (!inFlight.tryAcquire(maxInFlight, idleNanos, TimeUnit.NANOSECONDS)) {
      checkClientReads(System.nanoTime());
    }
  }

  /** A write blocked for a whole idle period means the client stopped reading; its answers would pile up. */
  private void checkClientReads(long now) throws SocketTimeoutException {
    long started = writeStarted;
    if (started != 0 && now - started >= idleNanos) {
      throw new SocketTimeoutException("not reading its answers for " + idleMillis + " ms");
    }
  }

  private void answer(byte[] query) {
    try {
      handler.handle(ByteBuffer.wrap(query), Transport.TCP, client, this);
    } catch (IOException e) {
      log.debug("answering TCP client {}: {}", client, e.toString());
    } catch (RuntimeException e) {
      counters.handlerFailed(client, e);
    } finally {
      lastActivity = System.nanoTime();
      queryBytes.release(query.length);
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
      if (frame == null) {
        frame = new byte[FRAME_BUFFER];
      }
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

  @Override
  public InetAddress address() {
    return client.getAddress();
  }

  @Override
  public boolean busy() {
    return inFlight.availablePermits() < maxInFlight || writeStarted != 0;
  }

  @Override
  public long lastActivity() {
    return lastActivity;
  }

  @Override
  public void evict() {
    evicted = true;
    close();
  }

  /** Closes the socket: the reader and any blocked writer wake with an exception. */
  void close() {
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("closing TCP connection from {}: {}", client, e.toString());
    }
  }
}
