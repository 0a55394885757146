package org.rootmirror.sync.source;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;

/**
 * A connection that could not be made, in the operator's words: "cannot connect to
 * www.internic.net (connection refused)", "unknown host ftp.internic.net". The JDK's exceptions
 * often carry no message, or only their class name.
 */
final class ConnectFailure {
  private ConnectFailure() {}

  /** Whether {@code e}, or one of its causes, is a failure to reach a host at all. */
  static boolean is(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof UnresolvedAddressException
          || t instanceof NoRouteToHostException || t instanceof PortUnreachableException) {
        return true;
      }
    }
    return false;
  }

  /** One line for a failure to reach {@code host} (a name, or an address with its port). */
  static String describe(String host, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        return "unknown host " + host;
      }
    }
    return "cannot connect to " + host + " (" + why(e) + ")";
  }

  private static String why(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof NoRouteToHostException) {
        return "no route to host";
      }
      if (t instanceof PortUnreachableException) {
        return "port unreachable";
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message == null || message.isBlank()) {
        continue;
      }
      String m = message.toLowerCase(Locale.ROOT);
      if (m.contains("refused")) {
        return "connection refused";
      }
      if (m.contains("network is unreachable") || m.contains("network unreachable")) {
        return "network unreachable";
      }
      if (m.contains("no route")) {
        return "no route to host";
      }
      if (m.contains("timed out")) {
        return "timed out";
      }
      return m.replaceAll("^([a-z]+\\.)+[A-Za-z]*exception:\\s*", "").strip();
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return "connection refused"; // the JDK's HTTP client says no more
      }
    }
    return "no connection";
  }
}
