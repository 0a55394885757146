package org.rootmirror.sync.server.net;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.rootmirror.sync.server.QueryHandler;
import org.rootmirror.sync.server.ResponseSink;
import org.rootmirror.sync.server.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves DNS over UDP on one address: several receive threads, each with its own socket bound with
 * SO_REUSEPORT so the kernel spreads clients over them (one shared socket where the option is
 * missing). Each thread reuses one direct buffer for every query; responses go out as the handler
 * sends them, and one that cannot be sent is dropped and counted. A handler that answers later
 * (from another thread) detaches a sink bound to the query's client; the receive thread's own
 * sink allocates nothing.
 */
final class UdpListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UdpListener.class);
  /** The largest UDP payload: no query is ever cut short. */
  private static final int MAX_DATAGRAM = 0xffff;
  private static final long JOIN_MILLIS = 2_000;

  private final InetSocketAddress localAddress;
  private final List<DatagramChannel> channels;
  private final List<Thread> threads = new ArrayList<>();

  private UdpListener(InetSocketAddress localAddress, List<DatagramChannel> channels) {
    this.localAddress = localAddress;
    this.channels = channels;
  }

  /** Binds {@code address} (port 0: an ephemeral one) and starts the receive threads. */
  static UdpListener open(InetSocketAddress address, int threads, int receiveBufferBytes, QueryHandler handler, NetCounters counters)
      throws IOException {
    List<DatagramChannel> channels = bind(address, threads, receiveBufferBytes);
    UdpListener listener = new UdpListener((InetSocketAddress) channels.get(0).getLocalAddress(), channels);
    for (int i = 0; i < threads; i++) {
      DatagramChannel channel = channels.get(i % channels.size());
      Receiver receiver = new Receiver(channel, handler, counters);
      listener.threads.add(Thread.ofPlatform()
          .name("rootmirror-udp-" + listener.localAddress.getAddress().getHostAddress() + "#" + listener.localAddress.getPort() + "-" + i)
          .daemon(true)
          .start(receiver::run));
    }
    return listener;
  }

  InetSocketAddress localAddress() {
    return localAddress;
  }

  private static List<DatagramChannel> bind(InetSocketAddress address, int threads, int receiveBufferBytes) throws IOException {
    ProtocolFamily family = address.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    List<DatagramChannel> channels = new ArrayList<>();
    try {
      DatagramChannel first = open(family, receiveBufferBytes);
      channels.add(first);
      boolean reusePort = threads > 1 && first.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
      if (!reusePort) {
        first.bind(address);
        return channels;
      }
      // SO_REUSEPORT would let us share the port with another server run by the same user, which
      // would then silently take part of the queries: claim it alone first, so that fails loudly.
      InetSocketAddress claimed;
      try (DatagramChannel probe = DatagramChannel.open(family)) {
        probe.bind(address);
        claimed = (InetSocketAddress) probe.getLocalAddress();
      }
      first.setOption(StandardSocketOptions.SO_REUSEPORT, true);
      first.bind(claimed);
      for (int i = 1; i < threads; i++) {
        DatagramChannel channel = open(family, receiveBufferBytes);
        channels.add(channel);
        channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        channel.bind(claimed);
      }
      return channels;
    } catch (IOException | RuntimeException e) {
      for (DatagramChannel channel : channels) {
        channel.close();
      }
      throw e;
    }
  }

  private static DatagramChannel open(ProtocolFamily family, int receiveBufferBytes) throws IOException {
    DatagramChannel channel = DatagramChannel.open(family);
    if (receiveBufferBytes > 0) {
      channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
      log.debug("UDP receive buffer: asked {} bytes, got {}", receiveBufferBytes, channel.getOption(StandardSocketOptions.SO_RCVBUF));
    }
    return channel;
  }

  /** Closes the sockets, which wakes the receive threads, and waits for them to end. */
  @Override
  public void close() throws IOException {
    IOException failure = null;
    for (DatagramChannel channel : channels) {
      try {
        channel.close();
      } catch (IOException e) {
        failure = e;
      }
    }
    long deadline = System.currentTimeMillis() + JOIN_MILLIS;
    for (Thread thread : threads) {
      try {
        thread.join(Math.max(1, deadline - System.currentTimeMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (thread.isAlive()) {
        log.warn("UDP thread {} still running after close (a handler stuck?)", thread.getName());
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** One receive thread: read a query, hand it over, repeat, until the socket closes. */
  private static final class Receiver implements ResponseSink {
    private final DatagramChannel channel;
    private final QueryHandler handler;
    private final NetCounters counters;
    private final ByteBuffer query = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private InetSocketAddress client;

    Receiver(DatagramChannel channel, QueryHandler handler, NetCounters counters) {
      this.channel = channel;
      this.handler = handler;
      this.counters = counters;
    }

    void run() {
      while (true) {
        query.clear();
        try {
          client = (InetSocketAddress) channel.receive(query);
        } catch (ClosedChannelException e) {
          return;
        } catch (IOException e) {
          if (!channel.isOpen()) {
            return;
          }
          log.debug("UDP receive failed: {}", e.toString());
          continue;
        }
        counters.udpReceived.increment();
        query.flip();
        try {
          handler.handle(query, Transport.UDP, client, this);
        } catch (IOException e) {
          log.debug("query from {}: {}", client, e.toString());
        } catch (RuntimeException e) {
          counters.handlerFailed(client, e);
        }
      }
    }

    /** Sends to the client of the query being handled; drops what the socket will not take. */
    @Override
    public void send(ByteBuffer message) {
      try {
        channel.send(message, client);
        counters.udpSent.increment();
      } catch (IOException | RuntimeException e) {
        counters.udpDropped.increment();
        log.debug("dropped a {} byte response to {}: {}", message.remaining(), client, e.toString());
      }
    }

    @Override
    public ResponseSink detach() {
      return new DetachedReply(channel, client, counters);
    }
  }

  /**
   * The response to one client, sent later from any thread, at most once: a second send is a
   * handler bug. After the listener closes, the send fails and is counted as dropped.
   */
  private static final class DetachedReply implements ResponseSink {
    private final DatagramChannel channel;
    private final InetSocketAddress client;
    private final NetCounters counters;
    private final AtomicBoolean sent = new AtomicBoolean();

    DetachedReply(DatagramChannel channel, InetSocketAddress client, NetCounters counters) {
      this.channel = channel;
      this.client = client;
      this.counters = counters;
    }

    @Override
    public void send(ByteBuffer message) {
      if (!sent.compareAndSet(false, true)) {
        throw new IllegalStateException("a UDP query gets one response; already answered " + client);
      }
      try {
        channel.send(message, client); // DatagramChannel.send is thread-safe
        counters.udpSent.increment();
      } catch (IOException | RuntimeException e) {
        counters.udpDropped.increment();
        log.debug("dropped a {} byte late response to {}: {}", message.remaining(), client, e.toString());
      }
    }

    @Override
    public ResponseSink detach() {
      return this;
    }
  }
}
