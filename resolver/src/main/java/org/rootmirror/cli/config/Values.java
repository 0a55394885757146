package org.rootmirror.cli.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.sync.server.xfr.AddressAcl;
import org.rootmirror.sync.source.ZoneSources;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Parsers for the values of the configuration keys and of the command-line options alike; each
 * throws IllegalArgumentException with a message that quotes the value (the caller names the key
 * or option). Addresses are literals, never looked up.
 */
public final class Values {
  private static final String LITERAL = "[0-9.]+|[0-9a-fA-F:.]+";
  private static final Pattern SIZE = Pattern.compile("([0-9]{1,19})(?:([kKmMgG])[bB]?)?");

  private Values() {}

  /** "127.0.0.1:5300" or "[::1]:5300"; port 0 asks for an ephemeral port. */
  public static InetSocketAddress listenAddress(String value) {
    int colon = value.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("wants ADDR:PORT, not \"" + value + "\"");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException("an IPv6 address wants brackets: \"[" + host + "]" + value.substring(colon) + "\"");
    }
    return new InetSocketAddress(literal(host, value), port(value.substring(colon + 1), value, 0));
  }

  /** "192.0.2.1", "192.0.2.1:5300", "2001:db8::1" or "[2001:db8::1]:5300"; port 53 when none is given. */
  public static InetSocketAddress server(String value) {
    String host = value;
    int port = 53;
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("no closing ] in \"" + value + "\"");
      }
      host = value.substring(1, close);
      if (value.length() > close + 1) {
        if (value.charAt(close + 1) != ':') {
          throw new IllegalArgumentException("wants ADDR[:PORT], not \"" + value + "\"");
        }
        port = port(value.substring(close + 2), value, 1);
      }
    } else if (value.indexOf(':') > 0 && value.indexOf(':') == value.lastIndexOf(':')) {
      host = value.substring(0, value.indexOf(':'));
      port = port(value.substring(value.indexOf(':') + 1), value, 1);
    }
    return new InetSocketAddress(literal(host, value), port);
  }

  /** yes/no, true/false, on/off, any case. */
  public static boolean bool(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "yes", "true", "on" -> true;
      case "no", "false", "off" -> false;
      default -> throw new IllegalArgumentException("wants yes or no, not \"" + value + "\"");
    };
  }

  public static int integer(String value, int min, int max) {
    int n;
    try {
      n = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("wants a whole number, not \"" + value + "\"");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException("wants " + min + " to " + max + ", not " + n);
    }
    return n;
  }

  public static Path path(String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("not a path: \"" + value + "\": " + e.getReason());
    }
  }

  /** A regular file that exists and can be read. */
  public static Path existingFile(String value) {
    Path p = path(value);
    if (!Files.exists(p)) {
      throw new IllegalArgumentException("no such file: " + value);
    }
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw new IllegalArgumentException("not a readable file: " + value);
    }
    return p;
  }

  /** A zone source URI of a scheme rootmirror fetches from (https, ftp, axfr, ixfr, file). */
  public static URI source(String value) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URI: \"" + value + "\": " + e.getReason());
    }
    ZoneSources.fromUri(uri); // refuses unknown schemes, plain http and malformed sources
    return uri;
  }

  /** A prefix such as 192.0.2.0/24 or 2001:db8::/32, or one address. */
  public static String prefix(String value) {
    AddressAcl.parse(List.of(value));
    return value;
  }

  private static InetAddress literal(String host, String value) {
    if (!host.matches(LITERAL)) {
      throw new IllegalArgumentException("wants an address literal, not \"" + host + "\" in \"" + value + "\"");
    }
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bad address in \"" + value + "\"");
    }
  }

  private static int port(String text, String value, int min) {
    try {
      int port = Integer.parseInt(text);
      if (port >= min && port <= 0xffff) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("bad port in \"" + value + "\"");
  }

  /** A domain name, made absolute ("example.com" is example.com.); "." is the root. */
  public static Name domain(String value) {
    try {
      return Name.fromString(value, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a domain name: \"" + value + "\": " + withoutPosition(e.getMessage()));
    }
  }

  /** One of {@code choices}, any case; returned in lower case. */
  public static String choice(String value, String... choices) {
    String lower = value.toLowerCase(Locale.ROOT);
    if (List.of(choices).contains(lower)) {
      return lower;
    }
    String wanted = choices.length == 1 ? choices[0]
        : String.join(", ", List.of(choices).subList(0, choices.length - 1)) + " or " + choices[choices.length - 1];
    throw new IllegalArgumentException("wants " + wanted + ", not \"" + value + "\"");
  }

  /**
   * A size in bytes as Unbound writes one: a number, or a number and k, m or g for kilobytes,
   * megabytes, gigabytes of 1024 (any case, a b after it allowed): "64m", "1g", "512MB".
   */
  public static long size(String value, long min, long max) {
    Matcher m = SIZE.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException("wants a size such as 64m or 1g, not \"" + value + "\"");
    }
    int shift = m.group(2) == null ? 0 : switch (Character.toLowerCase(m.group(2).charAt(0))) {
      case 'k' -> 10;
      case 'm' -> 20;
      default -> 30;
    };
    long bytes;
    try {
      bytes = Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
    } catch (ArithmeticException | NumberFormatException e) {
      bytes = Long.MAX_VALUE;
    }
    if (bytes < min || bytes > max) {
      throw new IllegalArgumentException("wants a size from " + sizeText(min) + " to " + sizeText(max) + ", not \"" + value + "\"");
    }
    return bytes;
  }

  /** {@code bytes} as {@link #size} reads it, in the largest unit that divides it: "512m". */
  public static String sizeText(long bytes) {
    for (String unit : new String[] {"g", "m", "k"}) {
      int shift = unit.equals("g") ? 30 : unit.equals("m") ? 20 : 10;
      if (bytes != 0 && bytes % (1L << shift) == 0) {
        return (bytes >> shift) + unit;
      }
    }
    return Long.toString(bytes);
  }

  /** A TTL in seconds, 0 to 2^31-1 (RFC 2181 section 8). */
  public static long seconds(String value) {
    return integer(value, 0, Integer.MAX_VALUE);
  }

  /**
   * One DS or DNSKEY record in zone-file form, any zone, numeric or mnemonic algorithms:
   * "example.com. IN DS 12345 8 2 49AAC1...". A relative owner is taken from the root.
   * Directives ($INCLUDE, $ORIGIN, $TTL) are refused: one line is one record.
   *
   * @return the value, checked
   */
  public static String trustAnchor(String value) {
    if (value.startsWith("$")) {
      throw new IllegalArgumentException("wants one DS or DNSKEY record, not a directive: \"" + value + "\"");
    }
    String source = "trust-anchor";
    TrustAnchors parsed;
    try {
      parsed = TrustAnchors.parseZoneFormat(value, source);
    } catch (IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage());
      // "trust-anchor:1: expected an integer": one line of text, so no position
      message = message.replaceFirst("^" + source + "(:\\d+)?: ", "");
      throw new IllegalArgumentException(message.replaceAll("\\s+", " ")
          + " in \"" + value + "\" (wants NAME [TTL] IN DS|DNSKEY ...)");
    }
    if (parsed.all().size() != 1) {
      throw new IllegalArgumentException("wants one record per line, not " + parsed.all().size() + ": \"" + value + "\"");
    }
    return value;
  }

  /**
   * "NAME ADDR[:PORT] [ADDR[:PORT] ...]": a zone ("." for all) and the servers it is forwarded
   * to, each as {@link #server(String)} takes it (port 53 by default).
   */
  public static ForwardZoneSetting forwardZone(String value) {
    String[] words = value.strip().split("\\s+");
    if (words.length < 2) {
      throw new IllegalArgumentException("wants NAME ADDR[:PORT] [ADDR[:PORT] ...], not \"" + value + "\"");
    }
    Name zone = domain(words[0]);
    List<InetSocketAddress> servers = new ArrayList<>();
    for (int i = 1; i < words.length; i++) {
      servers.add(server(words[i]));
    }
    return new ForwardZoneSetting(zone, servers);
  }

  /** dnsjava's parse errors start with "<none>:1: ", the position in a text of one line. */
  private static String withoutPosition(String message) {
    return String.valueOf(message).replaceFirst("^<none>:\\d+: ", "");
  }
}
