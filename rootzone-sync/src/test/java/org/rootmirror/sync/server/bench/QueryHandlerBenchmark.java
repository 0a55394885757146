package org.rootmirror.sync.server.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.sync.server.QueryHandler;
import org.rootmirror.sync.server.ResponseSink;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.server.answer.Answer;
import org.rootmirror.sync.server.answer.AnswerTable;
import org.rootmirror.sync.server.answer.Prepared;
import org.rootmirror.sync.server.query.RootQueryHandler;
import org.rootmirror.sync.server.query.ServerOptions;
import org.rootmirror.sync.server.testing.HandlerClient;
import org.rootmirror.sync.server.testing.ServedZones;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Handler time per query on the real 2026 root zone, for the root query mix: 55%
 * referrals to existing TLDs with mixed qtypes, 40% names under nonexistent TLDs (random 7-15
 * letter labels and local, home, lan, corp, internal), 5% apex; each mix with and without DO.
 * A plain main-method microbenchmark (JMH is not on this module's test classpath): warm-up
 * rounds, then measured rounds over the same 100,000 queries, reporting the median and best
 * ns/query and bytes allocated per query; also the table build time, and for comparison the same
 * answers encoded by dnsjava ({@code Message.toWire}) instead of copied.
 *
 * <p>Run with {@code bench/query-handler} (builds, then runs this class on the fixture).
 */
public final class QueryHandlerBenchmark {
  private static final int QUERIES = 100_000;
  private static final String[] REFERRAL_TYPES = {"A", "A", "A", "AAAA", "AAAA", "NS", "DS", "MX", "TXT", "HTTPS", "SOA"};
  private static final String[] APEX_TYPES = {"SOA", "NS", "DNSKEY", "NS", "DNSKEY", "A", "NSEC", "ZONEMD"};
  private static final String[] PRIVATE_TLDS = {"local", "home", "lan", "corp", "internal"};

  private QueryHandlerBenchmark() {}

  public static void main(String[] args) throws IOException {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    ZoneSnapshot snapshot = ServedZones.root2026();
    buildTime(snapshot);

    PublishedZone published = new PublishedZone();
    published.publish(snapshot);
    RootQueryHandler handler = new RootQueryHandler(published, ServerOptions.defaults(), null);
    for (String variant : List.of("no DO", "DO", "DO + cookie")) {
      List<ByteBuffer> queries = mix(snapshot.zone(), variant, new Random(8806));
      run("handler, " + variant, handler, queries, warmup, rounds);
    }
    AnswerTable table = handler.table().orElseThrow();
    run("dnsjava encoding, DO", dnsjavaEncoding(table), mix(snapshot.zone(), "DO", new Random(8806)), warmup / 3,
        rounds / 3 + 1);
    System.out.printf("java %s, %d cores, max heap %d MB%n", System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
  }

  private static void buildTime(ZoneSnapshot snapshot) {
    long[] ms = new long[7];
    for (int i = 0; i < ms.length; i++) {
      long start = System.nanoTime();
      AnswerTable.build(snapshot);
      ms[i] = (System.nanoTime() - start) / 1_000_000;
    }
    System.gc();
    long before = usedHeap();
    AnswerTable kept = AnswerTable.build(snapshot);
    System.gc();
    long retained = usedHeap() - before;
    Arrays.sort(ms);
    System.out.printf("AnswerTable.build: median %d ms, best %d ms (of %d); about %d MB retained (%d delegations)%n",
        ms[ms.length / 2], ms[0], ms.length, retained >> 20, kept.delegationCount());
  }

  private static long usedHeap() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  private static void run(String name, QueryHandler handler, List<ByteBuffer> queries, int warmup, int rounds)
      throws IOException {
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
    System.out.printf("%-24s median %6.0f ns/query, best %6.0f ns/query, %4d bytes allocated/query, %5.0f bytes/response%n",
        name, ns[rounds / 2], ns[0], allocated / ((long) rounds * queries.size()),
        (double) sink.bytes / sink.responses);
  }

  /** One pass over every query; returns ns per query. */
  private static double round(QueryHandler handler, List<ByteBuffer> queries, CountingSink sink) throws IOException {
    long start = System.nanoTime();
    for (ByteBuffer q : queries) {
      handler.handle(q.duplicate(), Transport.UDP, HandlerClient.CLIENT, sink);
    }
    return (double) (System.nanoTime() - start) / queries.size();
  }

  /** The mix: 55% referrals with mixed qtypes, 40% nonexistent TLDs, 5% apex. */
  private static List<ByteBuffer> mix(Zone zone, String variant, Random random) {
    List<Name> tlds = zone.nodes().keySet().stream().filter(n -> n.labels() == 2).toList();
    List<ByteBuffer> queries = new ArrayList<>(QUERIES);
    for (int i = 0; i < QUERIES; i++) {
      int kind = random.nextInt(100);
      String name;
      String type;
      if (kind < 55) {
        Name tld = tlds.get(random.nextInt(tlds.size()));
        name = switch (random.nextInt(4)) {
          case 0 -> tld.toString();
          case 1 -> "www." + letters(random) + "." + tld;
          case 2 -> letters(random) + "." + tld;
          default -> "_dmarc.mail." + letters(random) + "." + tld;
        };
        type = REFERRAL_TYPES[random.nextInt(REFERRAL_TYPES.length)];
      } else if (kind < 95) {
        String tld = random.nextInt(4) == 0 ? PRIVATE_TLDS[random.nextInt(PRIVATE_TLDS.length)] : letters(random);
        name = random.nextBoolean() ? tld + "." : letters(random) + "." + tld + ".";
        type = random.nextInt(3) == 0 ? "AAAA" : "A";
      } else {
        name = ".";
        type = APEX_TYPES[random.nextInt(APEX_TYPES.length)];
      }
      Message m = HandlerClient.query(name, Type.value(type));
      m.getHeader().unsetFlag(Flags.RD);
      boolean dnssec = !variant.equals("no DO");
      m.addRecord(variant.contains("cookie")
          ? new OPTRecord(1232, 0, 0, dnssec ? 0x8000 : 0, List.of(new CookieOption(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) i})))
          : new OPTRecord(1232, 0, 0, dnssec ? 0x8000 : 0), Section.ADDITIONAL);
      queries.add(ByteBuffer.wrap(m.toWire()));
    }
    return queries;
  }

  private static String letters(Random random) {
    char[] label = new char[7 + random.nextInt(9)];
    for (int j = 0; j < label.length; j++) {
      label[j] = (char) ('a' + random.nextInt(26));
    }
    return new String(label);
  }

  /**
   * The same answers from the same table, but the response built as a dnsjava {@code Message}
   * from the prepared records and encoded with {@code toWire}: what precomputed wire sections save.
   */
  private static QueryHandler dnsjavaEncoding(AnswerTable table) {
    return (query, transport, client, out) -> {
      Message q = new Message(query);
      Record question = q.getQuestion();
      Answer answer = table.lookup(question.getName(), question.getType());
      Prepared prepared = answer.prepared(q.getOPT() != null && (q.getOPT().getFlags() & 0x8000) != 0);
      Message r = new Message(q.getHeader().getID());
      r.getHeader().setFlag(Flags.QR);
      if (answer.authoritative()) {
        r.getHeader().setFlag(Flags.AA);
      }
      r.getHeader().setRcode(answer.rcode());
      r.addRecord(question, Section.QUESTION);
      prepared.answer().forEach(rec -> r.addRecord(rec, Section.ANSWER));
      prepared.authority().forEach(rec -> r.addRecord(rec, Section.AUTHORITY));
      prepared.additional().forEach(rec -> r.addRecord(rec, Section.ADDITIONAL));
      r.addRecord(new OPTRecord(1232, 0, 0, q.getOPT().getFlags()), Section.ADDITIONAL);
      out.send(ByteBuffer.wrap(r.toWire(1232)));
    };
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
