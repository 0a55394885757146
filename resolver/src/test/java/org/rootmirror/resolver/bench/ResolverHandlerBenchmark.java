package org.rootmirror.resolver.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.rootmirror.resolver.net.ResolverQueryHandler;
import org.rootmirror.resolver.testing.FakeResolver;
import org.rootmirror.sync.server.QueryHandler;
import org.rootmirror.sync.server.ResponseSink;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.server.testing.HandlerClient;
import org.rootmirror.sync.server.xfr.AddressAcl;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Handler time per query on the cache-hit path: the front end in front of a fake resolver whose
 * cache holds A and AAAA RRsets (with an ECDSA-sized RRSIG each) for a few hundred names, every
 * query a hit. Queries mix the names' case, A and AAAA, with and without EDNS and DO. A plain
 * main-method microbenchmark like rootzone-sync's QueryHandlerBenchmark: warm-up rounds, then
 * measured rounds, reporting the median and best ns/query and bytes allocated per query. The
 * socket's receive and send are not included.
 *
 * <p>Run with {@code bench/resolver-handler} (builds, then runs this class).
 */
public final class ResolverHandlerBenchmark {
  private static final int NAMES = 300;
  private static final int QUERIES = 100_000;

  private ResolverHandlerBenchmark() {}

  public static void main(String[] args) throws IOException {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    List<Name> names = new ArrayList<>();
    FakeResolver resolver = new FakeResolver();
    Random random = new Random(4035);
    for (int i = 0; i < NAMES; i++) {
      Name name = Name.fromConstantString("host" + i + ".zone" + (i % 17) + ".example.");
      names.add(name);
      byte[] v4 = {(byte) 192, 0, 2, (byte) i};
      byte[] v6 = new byte[16];
      v6[0] = 0x20;
      v6[1] = 0x01;
      v6[2] = 0x0d;
      v6[3] = (byte) 0xb8;
      v6[15] = (byte) i;
      resolver.cache(Question.of(name, Type.A), secure(signed(new ARecord(name, DClass.IN, 300, InetAddress.getByAddress(v4)))));
      resolver.cache(Question.of(name, Type.AAAA), secure(signed(new AAAARecord(name, DClass.IN, 300, InetAddress.getByAddress(v6)))));
    }
    try (ResolverQueryHandler handler = new ResolverQueryHandler(resolver, AddressAcl.loopback(), 4096)) {
      for (String variant : List.of("no EDNS", "EDNS", "EDNS + DO")) {
        run("cache hit, " + variant, handler, mix(names, variant, random), warmup, rounds);
      }
      if (resolver.resolutions() != 0 || handler.counters().cacheMisses() != 0) {
        throw new IllegalStateException("a query missed the cache: " + handler.counters());
      }
    }
    System.out.printf("java %s, %d cores, max heap %d MB%n", System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
  }

  private static Resolution secure(RRset answer) {
    return new Resolution(Rcode.NOERROR, List.of(answer), List.of(), SecurityStatus.SECURE, null);
  }

  private static RRset signed(Record rr) {
    RRset set = new RRset(rr);
    Name signer = new Name(rr.getName(), 1);
    set.addRR(new RRSIGRecord(rr.getName(), DClass.IN, 300, rr.getType(), 13, 300, Instant.parse("2026-12-31T00:00:00Z"),
        Instant.parse("2026-11-01T00:00:00Z"), 12345, signer, new byte[64]));
    return set;
  }

  private static List<ByteBuffer> mix(List<Name> names, String variant, Random random) {
    List<ByteBuffer> queries = new ArrayList<>(QUERIES);
    for (int i = 0; i < QUERIES; i++) {
      String name = names.get(random.nextInt(names.size())).toString();
      if (random.nextBoolean()) {
        name = name.toUpperCase();
      }
      Message m = HandlerClient.query(name, random.nextInt(3) == 0 ? Type.AAAA : Type.A);
      if (!variant.equals("no EDNS")) {
        m.addRecord(new OPTRecord(1232, 0, 0, variant.contains("DO") ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
      }
      queries.add(ByteBuffer.wrap(m.toWire()));
    }
    return queries;
  }

  private static void run(String name, QueryHandler handler, List<ByteBuffer> queries, int warmup, int rounds) throws IOException {
    CountingSink sink = new CountingSink();
    for (int i = 0; i < warmup; i++) {
      round(handler, queries, sink);
    }
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
    double[] ns = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      ns[i] = round(handler, queries, sink);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
    Arrays.sort(ns);
    System.out.printf("%-24s median %6.0f ns/query, best %6.0f ns/query, %5d bytes allocated/query, %5.0f bytes/response%n",
        name, ns[rounds / 2], ns[0], allocated / ((long) rounds * queries.size()), (double) sink.bytes / sink.responses);
  }

  /** One pass over every query; returns ns per query. */
  private static double round(QueryHandler handler, List<ByteBuffer> queries, CountingSink sink) throws IOException {
    long start = System.nanoTime();
    for (ByteBuffer q : queries) {
      handler.handle(q.duplicate(), Transport.UDP, HandlerClient.CLIENT, sink);
    }
    return (double) (System.nanoTime() - start) / queries.size();
  }

  /** Keeps the responses' sizes so that nothing is optimised away. */
  private static final class CountingSink implements ResponseSink {
    long bytes;
    long responses;

    @Override
    public void send(ByteBuffer message) {
      bytes += message.remaining();
      responses++;
    }
  }
}
