package org.rootmirror.sync.server.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server run under strace, its every connect and send noted, to tell where it sent DNS
 * messages: the one way to show that a resolver asked nobody but the mirror, whatever the
 * addresses of the root servers in the zone.
 */
final class Syscalls {
  private static final Pattern IPV4 = Pattern.compile("sin_addr=inet_addr\\(\"([0-9.]+)\"\\)");
  private static final Pattern IPV6 = Pattern.compile("inet_pton\\(AF_INET6, \"([0-9a-fA-F:.]+)\"");

  private Syscalls() {}

  /** {@code command} run under {@code strace}, following its threads and children, writing to {@code trace}. */
  static List<String> traced(String strace, Path trace, List<String> command) {
    List<String> all = new ArrayList<>(List.of(strace, "-f", "-qq", "-s", "16",
        "-e", "trace=connect,sendto,sendmsg,sendmmsg", "-o", trace.toString()));
    all.addAll(command);
    return all;
  }

  /** The IPv4 and IPv6 addresses the traced process connected or sent to, whether or not that worked. */
  static Set<String> destinations(Path trace) throws IOException {
    Set<String> found = new TreeSet<>();
    for (String line : Files.readAllLines(trace)) {
      for (Pattern p : List.of(IPV4, IPV6)) {
        Matcher m = p.matcher(line);
        while (m.find()) {
          found.add(m.group(1));
        }
      }
    }
    return found;
  }

  /** Those of {@code addresses} outside 127.0.0.0/8 and ::1. */
  static Set<String> offLoopback(Set<String> addresses) throws IOException {
    Set<String> off = new TreeSet<>();
    for (String a : addresses) {
      if (!InetAddress.getByName(a).isLoopbackAddress()) {
        off.add(a);
      }
    }
    return off;
  }
}
