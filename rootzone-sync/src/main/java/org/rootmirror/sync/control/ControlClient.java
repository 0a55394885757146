package org.rootmirror.sync.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Sends one request to the daemon's control socket and relays the reply. */
public final class ControlClient {
  private ControlClient() {}

  /**
   * Sends {@code request}, passes every reply line but the last to {@code lines}, and returns the
   * exit code from the final {@code exit N} line.
   *
   * @throws IOException when no daemon listens on {@code socket} (the caller then acts alone)
   */
  public static int send(Path socket, ControlRequest request, Consumer<String> lines) throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      OutputStream out = Channels.newOutputStream(channel);
      out.write((request.line() + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith("exit ")) {
          return Integer.parseInt(line.substring(5).strip());
        }
        lines.accept(line);
      }
      throw new IOException("the daemon closed the control connection without an exit code");
    }
  }
}
