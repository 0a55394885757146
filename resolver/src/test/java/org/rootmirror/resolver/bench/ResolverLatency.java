package org.rootmirror.resolver.bench;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rootmirror.sync.server.testing.HandlerClient;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Cold-resolution latency: sends each question of a list once, one after the other over UDP (RD
 * set, EDNS with a 1232-byte buffer, no DO), and prints the time to each answer, then the median
 * and 90th percentile. The client's own code is warmed first with queries that leave a resolver's
 * cache as it was (RD clear: answered from the cache or refused, never resolved).
 *
 * <pre>
 * ResolverLatency HOST PORT FILE   (FILE: "name type" per line, as dnsperf reads)
 * </pre>
 */
public final class ResolverLatency {
  private static final int TIMEOUT_MILLIS = 10_000;

  private ResolverLatency() {}

  public static void main(String[] args) throws IOException {
    InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
    List<String[]> questions = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[2]), StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        questions.add(line.strip().split("\\s+"));
      }
    }
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(TIMEOUT_MILLIS);
      for (int i = 0; i < 200; i++) {
        Message warm = query("warm-up.invalid.", "A", i);
        warm.getHeader().unsetFlag(Flags.RD);
        exchange(socket, server, warm);
      }
      double[] ms = new double[questions.size()];
      for (int i = 0; i < questions.size(); i++) {
        String[] q = questions.get(i);
        long start = System.nanoTime();
        Message response = exchange(socket, server, query(q[0], q[1], i));
        ms[i] = (System.nanoTime() - start) / 1e6;
        System.out.printf("%-32s %-5s %-9s %8.2f ms%n", q[0], q[1],
            response == null ? "timeout" : Rcode.string(response.getRcode()) + (response.getHeader().getFlag(Flags.TC) ? "/TC" : ""), ms[i]);
      }
      Arrays.sort(ms);
      System.out.printf("%d names: median %.2f ms, p90 %.2f ms, max %.2f ms%n", ms.length, ms[ms.length / 2],
          ms[(int) Math.ceil(ms.length * 0.9) - 1], ms[ms.length - 1]);
    }
  }

  private static Message query(String name, String type, int id) {
    Message m = HandlerClient.query(name, Type.value(type));
    m.getHeader().setID(id & 0xffff);
    m.getHeader().setFlag(Flags.RD);
    m.addRecord(new OPTRecord(1232, 0, 0, 0), Section.ADDITIONAL);
    return m;
  }

  /** The response with the query's ID, or null after the timeout. */
  private static Message exchange(DatagramSocket socket, InetSocketAddress server, Message query) throws IOException {
    byte[] wire = query.toWire();
    socket.send(new DatagramPacket(wire, wire.length, server));
    byte[] buffer = new byte[65535];
    while (true) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
      } catch (SocketTimeoutException e) {
        return null;
      }
      Message response = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
      if (response.getHeader().getID() == query.getHeader().getID()) {
        return response;
      }
    }
  }
}
