package org.rootmirror.sync.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on a Unix domain socket (mode 0660, so root and the rootmirror group may use it) and
 * hands each one-line request to a {@link ControlHandler}, one virtual thread per connection.
 * The reply is lines of text ending with {@code exit N}, N the command's exit code.
 */
public final class ControlServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlServer.class);

  private final Path path;
  private final ServerSocketChannel channel;
  private final Thread acceptor;

  private ControlServer(Path path, ServerSocketChannel channel, ControlHandler handler) {
    this.path = path;
    this.channel = channel;
    this.acceptor = Thread.ofVirtual().name("control-accept").start(() -> acceptLoop(handler));
  }

  /** Binds {@code path}, replacing a stale socket file left by a process that died. */
  public static ControlServer start(Path path, ControlHandler handler) throws IOException {
    Files.createDirectories(path.getParent());
    Files.deleteIfExists(path);
    ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    channel.bind(UnixDomainSocketAddress.of(path));
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
    } catch (UnsupportedOperationException e) {
      log.warn("cannot set the mode of {}: the file system has no POSIX permissions", path);
    }
    return new ControlServer(path, channel, handler);
  }

  public Path path() {
    return path;
  }

  private void acceptLoop(ControlHandler handler) {
    while (channel.isOpen()) {
      try {
        SocketChannel client = channel.accept();
        Thread.ofVirtual().name("control").start(() -> serve(client, handler));
      } catch (IOException e) {
        if (channel.isOpen()) {
          log.warn("control socket {}: {}", path, e.getMessage());
        }
      }
    }
  }

  private static void serve(SocketChannel client, ControlHandler handler) {
    try (client;
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(new OutputStreamWriter(Channels.newOutputStream(client), StandardCharsets.UTF_8), true)) {
      String request = in.readLine();
      int code;
      if (request == null) {
        return;
      }
      try {
        code = handler.handle(ControlRequest.parse(request), out::println);
      } catch (IllegalArgumentException e) {
        out.println("error: " + e.getMessage());
        code = 2;
      } catch (RuntimeException e) {
        // the client must hear an exit code, or it would think no daemon runs and sync alone
        log.error("control request '{}' failed", request, e);
        out.println("error: the daemon failed: " + e);
        code = 1;
      }
      out.println("exit " + code);
    } catch (IOException e) {
      log.debug("control client went away: {}", e.getMessage());
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
    acceptor.interrupt();
    Files.deleteIfExists(path);
  }
}
