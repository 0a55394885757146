package org.rootmirror.cli;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The sending half of sd_notify(3): one datagram of {@code KEY=value} lines to the Unix socket
 * systemd names in {@code $NOTIFY_SOCKET}.
 *
 * <p>Why junixsocket rather than exec'ing {@code systemd-notify}: the JDK has Unix stream
 * sockets only, and a helper process is a different PID. systemd attributes a notification to
 * the unit by the sender's PID (SCM_CREDENTIALS), and when a short-lived {@code systemd-notify}
 * has already exited by the time PID 1 reads its datagram the message is dropped (a race
 * documented in systemd-notify(1), fixed only by {@code --fork}/pidfd in newer systemd than
 * Debian 12's 252); it would also need {@code NotifyAccess=all} and a fork per watchdog ping.
 * Sent from our own PID, READY=1 and WATCHDOG=1 are attributed exactly, with the default
 * {@code NotifyAccess=main}.
 */
final class SdNotify implements AutoCloseable {
  private final AFUNIXDatagramChannel channel;
  private final SocketAddress target;

  private SdNotify(AFUNIXDatagramChannel channel, SocketAddress target) {
    this.channel = channel;
    this.target = target;
  }

  /** A notifier for {@code $NOTIFY_SOCKET}, or empty when systemd did not ask for one. */
  static Optional<SdNotify> fromEnvironment(Map<String, String> env) throws IOException {
    String socket = env.get("NOTIFY_SOCKET");
    if (socket == null || socket.isEmpty()) {
      return Optional.empty();
    }
    // '@' names a socket in the abstract namespace (sd_notify(3))
    SocketAddress target = socket.startsWith("@")
        ? AFUNIXSocketAddress.inAbstractNamespace(socket.substring(1))
        : AFUNIXSocketAddress.of(Path.of(socket));
    return Optional.of(new SdNotify(AFUNIXDatagramChannel.open(), target));
  }

  /** Sends one state, e.g. {@code "READY=1\nSTATUS=serving"}. */
  synchronized void send(String state) throws IOException {
    channel.send(ByteBuffer.wrap(state.getBytes(StandardCharsets.UTF_8)), target);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
