package org.rootmirror.resolver.iterate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The root servers' names and addresses, for priming (RFC 8109) when no valid local root copy
 * exists: the built-in IANA hints, or a named.root file (RFC 1035 section 5 master format as
 * InterNIC publishes it). Immutable; two hints are equal when they name the same servers with the
 * same addresses.
 */
public final class RootHints {
  /** One root server: its name and its IPv4 and IPv6 addresses, each list sorted. */
  public record Server(Name name, List<Inet4Address> ipv4, List<Inet6Address> ipv6) {
    public Server {
      Objects.requireNonNull(name);
      ipv4 = List.copyOf(ipv4);
      ipv6 = List.copyOf(ipv6);
    }

    /** IPv4 addresses first, then IPv6. */
    public List<InetAddress> addresses() {
      var all = new ArrayList<InetAddress>(ipv4);
      all.addAll(ipv6);
      return List.copyOf(all);
    }
  }

  /**
   * IANA's root hints, https://www.internic.net/domain/named.root, last update July 29, 2026
   * (root zone serial 2026072901). Compiled in, as Unbound does, so that priming needs no file.
   */
  private static final String BUILT_IN =
      """
      .                        3600000      NS    A.ROOT-SERVERS.NET.
      A.ROOT-SERVERS.NET.      3600000      A     198.41.0.4
      A.ROOT-SERVERS.NET.      3600000      AAAA  2001:503:ba3e::2:30
      .                        3600000      NS    B.ROOT-SERVERS.NET.
      B.ROOT-SERVERS.NET.      3600000      A     170.247.170.2
      B.ROOT-SERVERS.NET.      3600000      AAAA  2801:1b8:10::b
      .                        3600000      NS    C.ROOT-SERVERS.NET.
      C.ROOT-SERVERS.NET.      3600000      A     192.33.4.12
      C.ROOT-SERVERS.NET.      3600000      AAAA  2001:500:2::c
      .                        3600000      NS    D.ROOT-SERVERS.NET.
      D.ROOT-SERVERS.NET.      3600000      A     199.7.91.13
      D.ROOT-SERVERS.NET.      3600000      AAAA  2001:500:2d::d
      .                        3600000      NS    E.ROOT-SERVERS.NET.
      E.ROOT-SERVERS.NET.      3600000      A     192.203.230.10
      E.ROOT-SERVERS.NET.      3600000      AAAA  2001:500:a8::e
      .                        3600000      NS    F.ROOT-SERVERS.NET.
      F.ROOT-SERVERS.NET.      3600000      A     192.5.5.241
      F.ROOT-SERVERS.NET.      3600000      AAAA  2001:500:2f::f
      .                        3600000      NS    G.ROOT-SERVERS.NET.
      G.ROOT-SERVERS.NET.      3600000      A     192.112.36.4
      G.ROOT-SERVERS.NET.      3600000      AAAA  2001:500:12::d0d
      .                        3600000      NS    H.ROOT-SERVERS.NET.
      H.ROOT-SERVERS.NET.      3600000      A     198.97.190.53
      H.ROOT-SERVERS.NET.      3600000      AAAA  2001:500:1::53
      .                        3600000      NS    I.ROOT-SERVERS.NET.
      I.ROOT-SERVERS.NET.      3600000      A     192.36.148.17
      I.ROOT-SERVERS.NET.      3600000      AAAA  2001:7fe::53
      .                        3600000      NS    J.ROOT-SERVERS.NET.
      J.ROOT-SERVERS.NET.      3600000      A     192.58.128.30
      J.ROOT-SERVERS.NET.      3600000      AAAA  2001:503:c27::2:30
      .                        3600000      NS    K.ROOT-SERVERS.NET.
      K.ROOT-SERVERS.NET.      3600000      A     193.0.14.129
      K.ROOT-SERVERS.NET.      3600000      AAAA  2001:7fd::1
      .                        3600000      NS    L.ROOT-SERVERS.NET.
      L.ROOT-SERVERS.NET.      3600000      A     199.7.83.42
      L.ROOT-SERVERS.NET.      3600000      AAAA  2001:500:9f::42
      .                        3600000      NS    M.ROOT-SERVERS.NET.
      M.ROOT-SERVERS.NET.      3600000      A     202.12.27.33
      M.ROOT-SERVERS.NET.      3600000      AAAA  2001:dc3::35
      """;

  private static final RootHints BUILT_IN_HINTS = parse(BUILT_IN, "built-in root hints");

  private final List<Server> servers;

  private RootHints(List<Server> servers) {
    this.servers = List.copyOf(servers);
  }

  /** IANA's current root hints, compiled into the resolver. */
  public static RootHints builtIn() {
    return BUILT_IN_HINTS;
  }

  /** Reads a named.root file; a malformed or inconsistent one fails naming the file and line. */
  public static RootHints read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
  }

  /**
   * Parses hints text in named.root format. {@code source} names the text in error messages. Only
   * NS records for the root and A/AAAA records for the names those NS records name are accepted,
   * class IN; every named server needs at least one address.
   *
   * @throws IllegalArgumentException naming the source and line of the first problem
   */
  public static RootHints parse(String text, String source) {
    Objects.requireNonNull(source);
    var nsLines = new LinkedHashMap<Name, Integer>();
    var addressLines = new ArrayList<Map.Entry<Record, Integer>>();
    for (var entry : entries(text, source)) {
      Record record = parseEntry(entry, source);
      String at = source + ":" + entry.line() + ": ";
      if (record.getDClass() != DClass.IN) {
        throw new IllegalArgumentException(at + "class " + DClass.string(record.getDClass())
            + " in root hints; only IN is allowed");
      }
      switch (record) {
        case NSRecord ns -> {
          if (!ns.getName().equals(Name.root)) {
            throw new IllegalArgumentException(at + "NS record for " + ns.getName()
                + "; root hints hold NS records for the root (.) only");
          }
          nsLines.putIfAbsent(ns.getTarget(), entry.line());
        }
        case ARecord a -> addressLines.add(Map.entry(a, entry.line()));
        case AAAARecord aaaa -> addressLines.add(Map.entry(aaaa, entry.line()));
        default -> throw new IllegalArgumentException(at + Type.string(record.getType())
            + " record for " + record.getName() + "; root hints hold only NS, A and AAAA records");
      }
    }
    if (nsLines.isEmpty()) {
      throw new IllegalArgumentException(source + ": no NS records for the root");
    }
    var v4 = new TreeMap<Name, List<Inet4Address>>();
    var v6 = new TreeMap<Name, List<Inet6Address>>();
    for (var address : addressLines) {
      Record record = address.getKey();
      if (!nsLines.containsKey(record.getName())) {
        throw new IllegalArgumentException(source + ":" + address.getValue() + ": "
            + Type.string(record.getType()) + " record for " + record.getName()
            + ", which no root NS record names");
      }
      switch (record) {
        case ARecord a -> addTo(v4, a.getName(), (Inet4Address) a.getAddress());
        case AAAARecord aaaa -> addTo(v6, aaaa.getName(), (Inet6Address) aaaa.getAddress());
        default -> throw new AssertionError(record);
      }
    }
    var servers = new ArrayList<Server>();
    for (var ns : new TreeMap<>(nsLines).entrySet()) {
      var ipv4 = sorted(v4.getOrDefault(ns.getKey(), List.of()));
      var ipv6 = sorted(v6.getOrDefault(ns.getKey(), List.of()));
      if (ipv4.isEmpty() && ipv6.isEmpty()) {
        throw new IllegalArgumentException(source + ":" + ns.getValue() + ": root server "
            + ns.getKey() + " has no A or AAAA record in the hints");
      }
      servers.add(new Server(ns.getKey(), ipv4, ipv6));
    }
    return new RootHints(servers);
  }

  /** The servers, sorted by name (RFC 4034 section 6.1 order). */
  public List<Server> servers() {
    return servers;
  }

  /** Every address of every server, IPv4 first then IPv6 within each server. */
  public List<InetAddress> addresses() {
    return servers.stream().flatMap(s -> s.addresses().stream()).toList();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RootHints hints && servers.equals(hints.servers);
  }

  @Override
  public int hashCode() {
    return servers.hashCode();
  }

  @Override
  public String toString() {
    return "RootHints" + servers;
  }

  private static <T extends InetAddress> void addTo(Map<Name, List<T>> map, Name name, T address) {
    var list = map.computeIfAbsent(name, n -> new ArrayList<>());
    if (!list.contains(address)) {
      list.add(address);
    }
  }

  private static <T extends InetAddress> List<T> sorted(List<T> addresses) {
    return addresses.stream()
        .sorted(Comparator.comparing(InetAddress::getAddress, Arrays::compareUnsigned))
        .toList();
  }

  /** One record's text, possibly several physical lines joined by parentheses. */
  private record Entry(int line, String text, String directives) {}

  /**
   * Splits the text into one entry per record, so that errors can name the line (dnsjava's Master
   * does not expose its position). $ORIGIN and $TTL are carried to every later entry; an entry
   * that starts with blank space inherits the previous owner, as RFC 1035 section 5.1 says.
   */
  private static List<Entry> entries(String text, String source) {
    var entries = new ArrayList<Entry>();
    var directives = new StringBuilder();
    String[] lines = text.split("\r?\n", -1);
    String previousOwner = null;
    for (int i = 0; i < lines.length; i++) {
      int lineNumber = i + 1;
      String line = lines[i];
      String code = withoutComment(line);
      if (code.isBlank()) {
        continue;
      }
      String trimmed = code.strip();
      if (trimmed.startsWith("$")) {
        String keyword = trimmed.split("\\s+")[0].toUpperCase(java.util.Locale.ROOT);
        if (!keyword.equals("$ORIGIN") && !keyword.equals("$TTL")) {
          throw new IllegalArgumentException(source + ":" + lineNumber + ": " + keyword
              + " is not allowed in root hints");
        }
        directives.append(trimmed).append('\n');
        continue;
      }
      var record = new StringBuilder(code);
      int depth = depth(code);
      while (depth > 0 && i + 1 < lines.length) {
        String next = withoutComment(lines[++i]);
        record.append(' ').append(next);
        depth += depth(next);
      }
      if (depth != 0) {
        throw new IllegalArgumentException(source + ":" + lineNumber + ": unbalanced parentheses");
      }
      String recordText = record.toString();
      if (Character.isWhitespace(recordText.charAt(0))) {
        if (previousOwner == null) {
          throw new IllegalArgumentException(source + ":" + lineNumber
              + ": record without an owner name and no previous owner");
        }
        recordText = previousOwner + recordText;
      } else {
        previousOwner = recordText.split("\\s+", 2)[0];
      }
      entries.add(new Entry(lineNumber, recordText, directives.toString()));
    }
    return entries;
  }

  private static Record parseEntry(Entry entry, String source) {
    String text = entry.directives() + entry.text() + "\n";
    try (var master = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)),
        Name.root, 3_600_000)) {
      Record record = master.nextRecord();
      if (record == null) {
        throw new IllegalArgumentException(source + ":" + entry.line() + ": no record");
      }
      return record;
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException iae && iae.getMessage().startsWith(source)) {
        throw iae;
      }
      throw new IllegalArgumentException(
          source + ":" + entry.line() + ": " + masterMessage(e) + ": " + entry.text().strip(), e);
    }
  }

  /** Master's message without its own position, which refers to the one-record text it was given. */
  private static String masterMessage(Exception e) {
    String message = String.valueOf(e.getMessage());
    return message.replaceFirst("^<unknown>:\\d+: ", "");
  }

  private static String withoutComment(String line) {
    int semicolon = line.indexOf(';');
    return semicolon < 0 ? line : line.substring(0, semicolon);
  }

  private static int depth(String code) {
    int depth = 0;
    for (char c : code.toCharArray()) {
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      }
    }
    return depth;
  }
}
