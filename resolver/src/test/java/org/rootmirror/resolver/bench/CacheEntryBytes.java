package org.rootmirror.resolver.bench;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.rootmirror.resolver.cache.CacheConfig;
import org.rootmirror.resolver.cache.Credibility;
import org.rootmirror.resolver.cache.DnsCache;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The heap a cache entry takes, measured, next to the cache's own estimate (its {@code bytes()}),
 * for the kinds of entry a resolver holds: 50,000 entries of a kind, records parsed from the wire
 * as they come from a message, the heap used after a collection before and after; then each hit
 * a second later, so that it keeps the copy it served. The estimate must be at or above the
 * measure. A plain main method: bench/cache-entry-bytes.
 */
public final class CacheEntryBytes {
  private static final int N = 50_000;
  private static final Instant EXPIRES = Instant.parse("2026-02-01T00:00:00Z");
  private static final Instant INCEPTION = Instant.parse("2025-12-01T00:00:00Z");

  private CacheEntryBytes() {}

  public static void main(String[] args) throws Exception {
    System.out.printf("%-16s %-6s %8s %9s%n", "entry", "state", "measured", "estimated");
    for (String kind : List.of("A", "A+RRSIG", "AAAA x4", "NS x4", "TXT 400 B", "DNSKEY x2+RRSIG", "NODATA, SOA", "NXDOMAIN+2 NSEC")) {
      Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
      DnsCache cache = new DnsCache(CacheConfig.defaults().withSize(1L << 30), () -> now[0]);
      long before = used();
      for (int i = 0; i < N; i++) {
        store(cache, kind, owner(i));
      }
      System.out.printf("%-16s %-6s %8d %9d%n", kind, "stored", (used() - before) / N, cache.bytes() / N);
      now[0] = now[0].plusSeconds(1);
      for (int i = 0; i < N; i++) {
        cache.lookup(owner(i), qtype(kind), DClass.IN);
      }
      System.out.printf("%-16s %-6s %8d %9d%n", kind, "hit", (used() - before) / N, cache.bytes() / N);
      if (cache.size() != N) {
        throw new AssertionError(kind + ": " + cache.size() + " entries held, not " + N);
      }
    }
  }

  private static Name owner(int i) throws Exception {
    return Name.fromString("n" + i + "-abcdef.example.");
  }

  private static long used() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static int qtype(String kind) {
    return switch (kind) {
      case "AAAA x4" -> Type.AAAA;
      case "NS x4" -> Type.NS;
      case "TXT 400 B" -> Type.TXT;
      case "DNSKEY x2+RRSIG" -> Type.DNSKEY;
      case "NODATA, SOA" -> Type.MX;
      default -> Type.A;
    };
  }

  private static void store(DnsCache cache, String kind, Name owner) throws Exception {
    Name zone = Name.fromString("example.");
    switch (kind) {
      case "A" -> cache.storeRRset(wire(new ARecord(owner, DClass.IN, 3600, InetAddress.getByName("192.0.2.1"))),
          SecurityStatus.INSECURE, Credibility.ANSWER);
      case "A+RRSIG" -> cache.storeRRset(wire(new ARecord(owner, DClass.IN, 3600, InetAddress.getByName("192.0.2.1")),
          sig(owner, Type.A, zone, 64)), SecurityStatus.SECURE, Credibility.ANSWER);
      case "AAAA x4" -> {
        Record[] rrs = new Record[4];
        for (int i = 0; i < 4; i++) {
          rrs[i] = new AAAARecord(owner, DClass.IN, 3600, InetAddress.getByName("2001:db8::" + (i + 1)));
        }
        cache.storeRRset(wire(rrs), SecurityStatus.INSECURE, Credibility.ANSWER);
      }
      case "NS x4" -> {
        Record[] rrs = new Record[4];
        for (int i = 0; i < 4; i++) {
          rrs[i] = new NSRecord(owner, DClass.IN, 3600, Name.fromString("ns" + i + ".provider-example.net."));
        }
        cache.storeRRset(wire(rrs), SecurityStatus.INDETERMINATE, Credibility.AUTHORITY);
      }
      case "TXT 400 B" -> cache.storeRRset(wire(new TXTRecord(owner, DClass.IN, 3600, List.of("0".repeat(200), "0".repeat(200)))),
          SecurityStatus.INSECURE, Credibility.ANSWER);
      case "DNSKEY x2+RRSIG" -> cache.storeRRset(wire(new DNSKEYRecord(owner, DClass.IN, 3600, 256, 3, 8, new byte[260]),
          new DNSKEYRecord(owner, DClass.IN, 3600, 257, 3, 8, new byte[259]), sig(owner, Type.DNSKEY, owner, 256)),
          SecurityStatus.SECURE, Credibility.ANSWER);
      case "NODATA, SOA" -> cache.storeNoData(owner, Type.MX, DClass.IN, wire(soa(zone)), List.of(), SecurityStatus.INSECURE);
      default -> {
        Name before = Name.fromString("m" + owner);
        RRset covering = wire(new NSECRecord(before, DClass.IN, 300, Name.fromString("o" + owner), new int[] {Type.A, Type.RRSIG, Type.NSEC}),
            sig(before, Type.NSEC, zone, 64));
        RRset apex = wire(new NSECRecord(zone, DClass.IN, 300, Name.fromString("a.example."), new int[] {Type.SOA, Type.NS, Type.RRSIG, Type.NSEC}),
            sig(zone, Type.NSEC, zone, 64));
        cache.storeNameError(owner, DClass.IN, wire(soa(zone), sig(zone, Type.SOA, zone, 64)), List.of(covering, apex), SecurityStatus.SECURE);
      }
    }
  }

  private static SOARecord soa(Name zone) throws Exception {
    return new SOARecord(zone, DClass.IN, 3600, Name.fromString("ns.example."), Name.fromString("admin.example."), 1, 1800, 900, 604800, 300);
  }

  private static RRSIGRecord sig(Name owner, int covered, Name signer, int length) {
    return new RRSIGRecord(owner, DClass.IN, 3600, covered, 13, 3600, EXPIRES, INCEPTION, 4711, signer, new byte[length]);
  }

  /** The records as a message brings them: each parsed from its own wire form, with its own name objects. */
  private static RRset wire(Record... records) throws Exception {
    RRset set = new RRset();
    for (Record r : records) {
      set.addRR(Record.fromWire(r.toWire(Section.ANSWER), Section.ANSWER));
    }
    return set;
  }
}
