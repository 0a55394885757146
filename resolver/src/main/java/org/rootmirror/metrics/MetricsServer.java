package org.rootmirror.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.rootmirror.sync.server.net.Addresses;
import org.rootmirror.sync.server.net.ListenException;

/**
 * Serves {@link Metrics} over HTTP at {@value #PATH} in the Prometheus text format, with the JDK's
 * own HTTP server (the exposition is {@link Metrics#scrape}, whole numbers written as integers).
 * Meant for loopback: there is no authentication, and a scrape only reads counters. At most two
 * scrapes are served at once; GET and HEAD only.
 */
public final class MetricsServer implements AutoCloseable {
  public static final String PATH = "/metrics";
  /** The port CoreDNS serves its metrics on: a DNS server's usual place for them. */
  public static final int DEFAULT_PORT = 9153;
  /** Connections waiting to be accepted. */
  private static final int BACKLOG = 16;

  private final HttpServer server;
  private final ExecutorService threads;
  private final InetSocketAddress address;

  private MetricsServer(HttpServer server, ExecutorService threads, InetSocketAddress address) {
    this.server = server;
    this.threads = threads;
    this.address = address;
  }

  /** Listens on {@code address} (port 0: any free port); the server's threads are daemons. */
  public static MetricsServer start(InetSocketAddress address, Metrics metrics) throws IOException {
    HttpServer server;
    try {
      server = HttpServer.create(address, BACKLOG);
    } catch (BindException e) {
      throw ListenException.of(address, "metrics, HTTP", e);
    }
    ExecutorService threads = Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon().name("metrics-", 0).factory());
    server.setExecutor(threads);
    server.createContext(PATH, exchange -> answer(exchange, metrics));
    server.start();
    return new MetricsServer(server, threads, new InetSocketAddress(address.getAddress(), server.getAddress().getPort()));
  }

  private static void answer(HttpExchange exchange, Metrics metrics) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", Metrics.CONTENT_TYPE);
      boolean head = method.equals("HEAD");
      exchange.sendResponseHeaders(200, head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
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
    server.stop(0);
    threads.shutdownNow();
  }
}
