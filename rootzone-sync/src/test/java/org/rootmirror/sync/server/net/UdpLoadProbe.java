package org.rootmirror.sync.server.net;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.rootmirror.sync.server.QueryHandler;
import org.xbill.DNS.Type;

/**
 * For orientation only, not a test: how many UDP queries a second the listener answers on loopback
 * with an echo handler that flips QR in place. Each client thread keeps a window of queries in
 * flight. Prints the rate and the receive threads' CPU time per answer. Arguments: server threads, client threads, window, seconds (defaults 2 2 32 5). Run with
 * the test classpath; benchmarks proper use dnsperf.
 */
public final class UdpLoadProbe {
  private UdpLoadProbe() {}

  public static void main(String[] args) throws Exception {
    int serverThreads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int clientThreads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int window = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    QueryHandler echoInPlace = (query, transport, client, out) -> {
      query.put(query.position() + 2, (byte) (query.get(query.position() + 2) | 0x80));
      out.send(query);
    };
    ServerNetOptions options = ServerNetOptions.defaults()
        .withAddresses(List.of(InetAddress.getByName("127.0.0.1"))).withPort(0).withUdpThreads(serverThreads);
    try (MirrorServer server = MirrorServer.start(options, echoInPlace)) {
      InetSocketAddress address = server.localAddresses().get(0);
      LongAdder answers = new LongAdder();
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < clientThreads; c++) {
        clients.add(Thread.ofPlatform().start(() -> drive(address, window, end, answers)));
      }
      long start = System.nanoTime();
      for (Thread client : clients) {
        client.join(java.time.Duration.ofMinutes(5)); // drive() stops at its end time
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      System.out.printf("server threads %d, client threads %d, window %d: %.0f answers/s, %.2f us server CPU per answer (%s)%n",
          serverThreads, clientThreads, window, answers.sum() / elapsed, serverCpuNanos() / 1e3 / answers.sum(), server.counters());
    }
  }

  /** CPU time of the receive threads so far: receive, handler, send, all system calls included. */
  private static long serverCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith("rootmirror-udp"))
        .mapToLong(thread -> threads.getThreadCpuTime(thread.threadId()))
        .sum();
  }

  private static void drive(InetSocketAddress server, int window, long end, LongAdder answers) {
    byte[] query = Wire.query(1, "www.example.", Type.A);
    DatagramPacket out = new DatagramPacket(query, query.length, server);
    DatagramPacket in = new DatagramPacket(new byte[512], 512);
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(100);
      for (int i = 0; i < window; i++) {
        socket.send(out);
      }
      while (System.nanoTime() < end) {
        try {
          socket.receive(in);
          answers.increment();
          socket.send(out);
        } catch (SocketTimeoutException lost) {
          for (int i = 0; i < window; i++) {
            socket.send(out);
          }
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
