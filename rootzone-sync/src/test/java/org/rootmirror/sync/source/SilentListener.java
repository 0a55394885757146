package org.rootmirror.sync.source;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback port where a connect gets no answer at all, for connect timeout tests.
 *
 * <p>How: a listening socket with a backlog of 1 that never accepts, whose accept queue is then
 * filled with connections of our own. Once the queue is full, Linux drops further SYNs (no RST),
 * so a client's connect hangs until its own timeout, which is exactly what a silent server does.
 * Deterministic, because the constructor proves the queue full: it connects until one connect
 * times out. Where the kernel answers anyway (a refusal, or a connect that always completes), the
 * test is skipped with a message, never passed or failed by luck.
 */
final class SilentListener implements AutoCloseable {
  private static final int PROBE_TIMEOUT_MS = 200;

  private final ServerSocket listener;
  private final List<Socket> fillers = new ArrayList<>();

  SilentListener() throws IOException {
    listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    for (int i = 0; i < 16; i++) {
      Socket filler = new Socket();
      try {
        filler.connect(listener.getLocalSocketAddress(), PROBE_TIMEOUT_MS);
        fillers.add(filler);
      } catch (SocketTimeoutException full) {
        filler.close();
        return; // the accept queue is full: connects now go unanswered
      } catch (IOException refused) {
        filler.close();
        break;
      }
    }
    close();
    assumeTrue(false, "this kernel answers connects beyond a full accept queue; no silent port to test against");
  }

  InetSocketAddress address() {
    return (InetSocketAddress) listener.getLocalSocketAddress();
  }

  int port() {
    return listener.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    for (Socket filler : fillers) {
      filler.close();
    }
    listener.close();
  }
}
