package org.rootmirror.sync.server.net;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * A socket that could not be bound, said in one line an operator can act on: "address
 * 127.0.0.1:53 is already in use (UDP): ...". The JDK's own exception names neither the address
 * nor what to do.
 */
public final class ListenException extends BindException {
  /** Why the bind failed, as far as the operating system's message tells. */
  public enum Why {
    IN_USE,
    PERMISSION,
    NOT_LOCAL,
    OTHER
  }

  private final InetSocketAddress address;
  private final String what;
  private final Why why;

  private ListenException(String message, InetSocketAddress address, String what, Why why) {
    super(message);
    this.address = address;
    this.what = what;
    this.why = why;
  }

  /**
   * Names {@code address} and what to do in the failure {@code cause}; {@code what} says which
   * listener it is, e.g. "TCP" or "metrics (HTTP)".
   */
  public static ListenException of(InetSocketAddress address, String what, BindException cause) {
    return of(address, what, cause, null);
  }

  /**
   * The same failure, with the option that chose the address named in what to do ("or use
   * --mirror-listen with a port above 1023"): the caller that read the option knows it.
   */
  public ListenException forOption(String option) {
    return of(address, what, (BindException) getCause(), option);
  }

  private static ListenException of(InetSocketAddress address, String what, BindException cause, String option) {
    String jdk = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
    String shown = Addresses.show(address);
    Why why;
    String message;
    if (jdk.contains("in use")) {
      why = Why.IN_USE;
      message = "address " + shown + " is already in use (" + what + "): another program listens there;"
          + " stop it, or choose another address or port";
    } else if (jdk.contains("permission denied") || jdk.contains("access denied")) {
      why = Why.PERMISSION;
      message = "permission denied to listen on " + shown + " (" + what + ")" + (address.getPort() < 1024
          ? ": ports below 1024 need privilege: run as root, grant CAP_NET_BIND_SERVICE, or "
              + (option == null ? "choose a port above 1023" : "use " + option + " with a port above 1023")
          : "");
    } else if (jdk.contains("assign requested address") || jdk.contains("not available")) {
      why = Why.NOT_LOCAL;
      message = "cannot listen on " + shown + " (" + what + "): no interface of this machine has that address";
    } else {
      why = Why.OTHER;
      message = "cannot listen on " + shown + " (" + what + ")" + (jdk.isEmpty() ? "" : ": " + jdk);
    }
    ListenException e = new ListenException(message, address, what, why);
    e.initCause(cause);
    return e;
  }

  public InetSocketAddress address() {
    return address;
  }

  public Why why() {
    return why;
  }
}
