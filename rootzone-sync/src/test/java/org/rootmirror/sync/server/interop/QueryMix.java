package org.rootmirror.sync.server.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.rootmirror.dnssec.zone.Zone;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Queries as a root server sees them, generated from a fixed seed so that every run asks the same:
 * names under existing TLDs with assorted types (referrals), the TLDs themselves, DS at TLDs,
 * apex types, the name servers' own names (glue), names under nonexistent TLDs (random labels,
 * the usual leaks such as {@code local}, {@code home}, {@code lan}, {@code corp}, {@code
 * internal}, and labels with bytes that test canonical ordering: {@code _}, {@code ~}, digits,
 * escaped bytes); a third of the names in mixed case; with DO and without, EDNS buffers of 512,
 * 1232 and 4096 bytes and no EDNS at all. About half the queries get referrals, a third name
 * errors, the rest authoritative answers (the apex, DS at TLDs).
 */
final class QueryMix {
  private static final int[] BELOW_TLD_TYPES = {
      Type.A, Type.A, Type.A, Type.AAAA, Type.AAAA, Type.NS, Type.DS, Type.MX, Type.TXT, Type.SOA, Type.DNSKEY,
      Type.ANY};
  private static final int[] APEX_TYPES = {
      Type.SOA, Type.NS, Type.DNSKEY, Type.NSEC, Type.ZONEMD, Type.ANY, Type.A, Type.AAAA, Type.MX, Type.TXT, Type.DS,
      Type.RRSIG};
  private static final int[] HOST_TYPES = {Type.A, Type.AAAA, Type.NS, Type.ANY, Type.DS};
  /** Names that leak to the root from private networks, a large share of its name errors. */
  private static final String[] LEAKED = {
      "local", "home", "lan", "corp", "internal", "localdomain", "intranet", "private", "router", "dhcp", "invalid",
      "localhost", "test", "example", "onion", "belkin", "domain", "workgroup"};
  /** Labels whose bytes fall where a careless comparison would misplace them (RFC 4034 section 6.1). */
  private static final String[] ODD_LABELS = {
      "_ta-4f66", "_tcp", "zz~", "zzzz{", "a-", "-a", "0day", "9", "xn--zzzz-1a", "\\000", "\\255", "\\128abc", "@",
      "`", "aaa\\000", "z\\255", "Z_Z", "[", "\\\\"};
  private static final String[] PREFIXES = {"www", "mail", "ns1", "_dmarc", "_tcp", "api", "example", "a", "xn--bcher-kva"};
  /** EDNS buffer sizes, 0 for no EDNS: a quarter without, a fifth at 512, two fifths at 1232, the rest 4096. */
  private static final int[] PAYLOADS = {
      0, 0, 0, 0, 0, 512, 512, 512, 512, 1232, 1232, 1232, 1232, 1232, 1232, 1232, 1232, 4096, 4096, 4096};

  private final Random random;
  private final List<Name> tlds = new ArrayList<>();
  private final List<Name> hosts = new ArrayList<>();

  private QueryMix(Zone zone, long seed) {
    this.random = new Random(seed);
    for (Map.Entry<Name, Map<Integer, RRset>> node : zone.nodes().entrySet()) {
      Name name = node.getKey();
      if (name.labels() == 2) {
        tlds.add(name);
      } else if (name.labels() > 2
          && (node.getValue().containsKey(Type.A) || node.getValue().containsKey(Type.AAAA))) {
        hosts.add(name);
      }
    }
  }

  /** {@code count} queries for {@code zone} (a root zone), the same for the same seed. */
  static List<Probe> generate(Zone zone, long seed, int count) {
    QueryMix mix = new QueryMix(zone, seed);
    List<Probe> probes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      probes.add(mix.next());
    }
    return probes;
  }

  private Probe next() {
    int pick = random.nextInt(100);
    Name name;
    int qtype;
    if (pick < 40) {
      name = below(pickOf(tlds), 1 + random.nextInt(3));
      qtype = pickOf(BELOW_TLD_TYPES);
    } else if (pick < 48) {
      name = pickOf(tlds);
      qtype = pickOf(BELOW_TLD_TYPES);
    } else if (pick < 54) {
      name = pickOf(tlds);
      qtype = Type.DS;
    } else if (pick < 64) {
      name = Name.root;
      qtype = pickOf(APEX_TYPES);
    } else if (pick < 68) {
      name = pickOf(hosts);
      qtype = pickOf(HOST_TYPES);
    } else if (pick < 88) {
      name = below(name(letters(7 + random.nextInt(9)) + "."), random.nextInt(3));
      qtype = pickOf(BELOW_TLD_TYPES);
    } else if (pick < 96) {
      name = below(name(pickOf(LEAKED) + "."), random.nextInt(3));
      qtype = pickOf(BELOW_TLD_TYPES);
    } else {
      name = below(name(pickOf(ODD_LABELS) + "."), random.nextInt(2));
      qtype = pickOf(BELOW_TLD_TYPES);
    }
    if (random.nextInt(3) == 0) {
      name = mixedCase(name);
    }
    int payload = PAYLOADS[random.nextInt(PAYLOADS.length)];
    return new Probe(name, qtype, payload, payload > 0 && random.nextBoolean());
  }

  /** {@code parent} with {@code labels} more labels in front. */
  private Name below(Name parent, int labels) {
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < labels; i++) {
      prefix.append(random.nextBoolean() ? pickOf(PREFIXES) : letters(3 + random.nextInt(10))).append('.');
    }
    return name(prefix + parent.toString());
  }

  private Name mixedCase(Name name) {
    StringBuilder text = new StringBuilder();
    String s = name.toString();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') { // keep escapes (\DDD, \X) as they are
        int end = i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)) ? i + 4 : i + 2;
        text.append(s, i, Math.min(end, s.length()));
        i = end - 1;
      } else {
        text.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
      }
    }
    return name(text.toString());
  }

  private String letters(int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append((char) ('a' + random.nextInt(26)));
    }
    return s.toString();
  }

  private <T> T pickOf(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  private String pickOf(String[] options) {
    return options[random.nextInt(options.length)];
  }

  private int pickOf(int[] options) {
    return options[random.nextInt(options.length)];
  }

  private static Name name(String text) {
    try {
      return Name.fromString(text);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a name: " + text, e);
    }
  }
}
