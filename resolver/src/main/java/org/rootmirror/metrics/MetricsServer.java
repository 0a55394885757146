package org.rootmirror.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import org.rootmirror.sync.server.net.Addresses;
import org.rootmirror.sync.server.net.ListenException;

/**
 * Serves {@link Metrics} over HTTP at {@value #PATH} in the Prometheus text format. Meant for
 * loopback: there is no authentication, and a scrape only reads counters.
 */
public final class MetricsServer implements AutoCloseable {
  public static final String PATH = "/metrics";
  /** The port CoreDNS serves its metrics on: a DNS server's usual place for them. */
  public static final int DEFAULT_PORT = 9153;

  private final HTTPServer server;
  private final InetSocketAddress address;

  private MetricsServer(HTTPServer server, InetSocketAddress address) {
    this.server = server;
    this.address = address;
  }

  /** Listens on {@code address} (port 0: any free port); the server's threads are daemons. */
  public static MetricsServer start(InetSocketAddress address, Metrics metrics) throws IOException {
    HTTPServer server;
    try {
      server = HTTPServer.builder()
          .inetAddress(address.getAddress())
          .port(address.getPort())
          .metricsHandlerPath(PATH)
          .registry(metrics.registry())
          .buildAndStart();
    } catch (BindException e) {
      throw ListenException.of(address, "metrics, HTTP", e);
    }
    return new MetricsServer(server, new InetSocketAddress(address.getAddress(), server.getPort()));
  }

  /** The address listened on, with the port actually bound. */
  public InetSocketAddress localAddress() {
    return address;
  }

  /** e.g. {@code http://127.0.0.1:9153/metrics}. */
  public URI uri() {
    return URI.create("http://" + Addresses.show(address) + PATH);
  }

  @Override
  public void close() {
    server.close();
  }
}
