package org.rootmirror.sync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.rootmirror.dnssec.testing.Fixtures;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/** Small zones and zone versions for transfer tests, and the record set of a zone, to compare two. */
public final class TestZones {
  private static Zone root2026;

  private TestZones() {}

  /** The real root zone of 2026-07-31, read once; skips the calling test when the fixtures are absent. */
  public static synchronized Zone root2026() throws IOException {
    var file = Fixtures.rootZone(Fixtures.ZONE_2026);
    if (root2026 == null) {
      root2026 = ZoneFile.read(file, Name.root);
    }
    return root2026;
  }

  /** A root-like zone of a few delegations with SOA serial {@code serial}; unsigned, as transport does not care. */
  public static List<Record> small(long serial) {
    return parse("""
        .            86400  IN SOA   a.root-servers.net. nstld.verisign-grs.com. %d 1800 900 604800 86400
        .            518400 IN NS    a.root-servers.net.
        .            518400 IN NS    b.root-servers.net.
        a.root-servers.net. 518400 IN A 198.41.0.4
        b.root-servers.net. 518400 IN A 170.247.170.2
        aaa.         172800 IN NS    ns1.aaa.
        ns1.aaa.     172800 IN A     192.0.2.1
        bbb.         172800 IN NS    ns1.bbb.
        bbb.         86400  IN DS    12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF
        ns1.bbb.     172800 IN AAAA  2001:db8::1
        ccc.         172800 IN NS    ns1.example.
        """.formatted(serial));
  }

  /**
   * {@link #small} with {@code delegations} more, each an NS and its glue: a zone of many transfer
   * messages that needs no fixture.
   */
  public static List<Record> large(long serial, int delegations) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < delegations; i++) {
      text.append("tld%d. 172800 IN NS ns1.tld%d.\nns1.tld%d. 172800 IN A 192.0.2.%d\n".formatted(i, i, i, i % 250 + 1));
    }
    return with(small(serial), text.toString());
  }

  /** Parses master-file text whose origin is the root. */
  public static List<Record> parse(String text) {
    try {
      return ZoneFile.parse(text.getBytes(StandardCharsets.UTF_8), "test zone", Name.root).records();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Zone zone(Collection<? extends Record> records) {
    return Zone.of(Name.root, records);
  }

  /** {@code records} with the SOA's serial replaced. */
  public static List<Record> withSerial(Collection<? extends Record> records, long serial) {
    List<Record> out = new ArrayList<>(records.size());
    for (Record r : records) {
      out.add(r instanceof SOARecord s
          ? new SOARecord(s.getName(), s.getDClass(), s.getTTL(), s.getHost(), s.getAdmin(), serial,
              s.getRefresh(), s.getRetry(), s.getExpire(), s.getMinimum())
          : r);
    }
    return out;
  }

  /** {@code records} without those owned by {@code name} or names below it. */
  public static List<Record> without(Collection<? extends Record> records, Name name) {
    return records.stream().filter(r -> !r.getName().subdomain(name)).map(r -> (Record) r).toList();
  }

  /** {@code records} with {@code added} after them. */
  public static List<Record> with(Collection<? extends Record> records, String added) {
    List<Record> out = new ArrayList<>(records);
    out.addAll(parse(added));
    return out;
  }

  /** Every record as text, TTL included: two zones with equal record sets hold the same data. */
  public static Set<String> recordSet(Collection<? extends Record> records) {
    Set<String> set = new TreeSet<>();
    records.forEach(r -> set.add(r.toString()));
    return set;
  }

  /** The record set of master-file text. */
  public static Set<String> recordSet(byte[] text) {
    try {
      return recordSet(ZoneFile.parse(text, "transferred zone", Name.root).records());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
