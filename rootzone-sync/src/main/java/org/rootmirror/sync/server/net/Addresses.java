package org.rootmirror.sync.server.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Socket addresses as operators write them: {@code 127.0.0.1:5353} and {@code [::1]:53}, never
 * the JDK's {@code /127.0.0.1:5353}. Every message that names a listening or remote address uses
 * this.
 */
public final class Addresses {
  private Addresses() {}

  /** {@code 127.0.0.1:53}, {@code [::1]:53}; an unresolved address keeps its host name. */
  public static String show(InetSocketAddress address) {
    InetAddress ip = address.getAddress();
    String host = ip == null ? address.getHostString() : ip.getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  /** {@code 127.0.0.1:53 and [::1]:53}: a list for a sentence. */
  public static String show(Collection<InetSocketAddress> addresses) {
    if (addresses.isEmpty()) {
      return "no address";
    }
    String all = addresses.stream().map(Addresses::show).collect(Collectors.joining(", "));
    int last = all.lastIndexOf(", ");
    return last < 0 ? all : all.substring(0, last) + " and " + all.substring(last + 2);
  }
}
