package org.rootmirror.sync.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rootmirror.sync.source.Fetching.context;
import static org.rootmirror.sync.source.Fetching.fails;
import static org.rootmirror.sync.source.Fetching.limits;
import static org.rootmirror.sync.source.Fetching.withMax;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rootmirror.sync.source.FetchException.Kind;
import org.rootmirror.sync.testing.TestPki;

/** HttpsSource against the JDK's HttpsServer on 127.0.0.1, with certificates from a test CA, serving the real root zone. */
class HttpsSourceTest {
  private static final String ETAG = "\"2026073102\"";
  private static final Instant MODIFIED = Instant.parse("2026-07-31T20:00:00Z");
  private static final Duration SHORT = Duration.ofMillis(300);
  private static final byte[] NO_BYTES = {};

  private static TestPki pki;
  private static SSLContext trustingTestCa;
  private byte[] zone;

  private final List<Headers> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private HttpsServer server;

  @BeforeAll
  static void createPki() throws Exception {
    pki = TestPki.create();
    trustingTestCa = pki.client();
  }

  @BeforeEach
  void readZone() throws IOException {
    zone = Fetching.zone2026();
  }

  @AfterEach
  void stopServer() {
    release.countDown(); // lets stalled handlers finish
    if (server != null) {
      server.stop(0);
    }
    executor.shutdownNow();
  }

  @Test
  void fetchReturnsTheZoneBytesWithTheServersValidators() throws Exception {
    URI uri = serve(pki.server("localhost", "127.0.0.1"), "/domain/root.zone", zoneHandler(false));
    List<long[]> progress = new ArrayList<>();
    FetchContext context = new FetchContext(
        Limits.defaults(), Known.NOTHING, null, (received, total) -> progress.add(new long[] {received, total}));

    FetchResult.Fetched fetched = assertInstanceOf(FetchResult.Fetched.class, source(uri).fetch(context));

    assertArrayEquals(zone, fetched.text());
    assertEquals(ETAG, fetched.etag());
    assertEquals(MODIFIED, fetched.modified());
    assertEquals(zone.length, fetched.size());
    assertTrue(fetched.detail().contains("200 from " + uri), fetched.detail());
    assertArrayEquals(new long[] {zone.length, zone.length}, progress.getLast(), "the last progress report is the whole");
    Headers request = requests.getFirst();
    assertEquals("gzip", request.getFirst("Accept-Encoding"));
    assertNull(request.getFirst("If-None-Match"), "nothing known, so nothing to make the request conditional on");
    assertNull(request.getFirst("If-Modified-Since"));
  }

  @Test
  void gzipResponseIsDecodedToTheZoneBytes() throws Exception {
    URI uri = serve(pki.server("127.0.0.1"), "/root.zone", zoneHandler(true));

    FetchResult.Fetched fetched = assertInstanceOf(FetchResult.Fetched.class, source(uri).fetch(FetchContext.fresh()));

    assertArrayEquals(zone, fetched.text());
    assertEquals(zone.length, fetched.size());
    assertTrue(fetched.detail().contains("gzip, " + gzip(zone).length + " bytes on the wire"), fetched.detail());
  }

  @Test
  void matchingEtagGets304AndUnchanged() throws Exception {
    URI uri = serve(pki.server("127.0.0.1"), "/root.zone", zoneHandler(false));

    FetchResult result = source(uri).fetch(context(Limits.defaults(), new Known(2026073102, ETAG, null, -1)));

    FetchResult.Unchanged unchanged = assertInstanceOf(FetchResult.Unchanged.class, result);
    assertTrue(unchanged.why().contains("304"), unchanged.why());
    assertEquals(ETAG, requests.getFirst().getFirst("If-None-Match"));
  }

  @Test
  void ifModifiedSinceTheServersDateGets304AndUnchanged() throws Exception {
    URI uri = serve(pki.server("127.0.0.1"), "/root.zone", zoneHandler(false));

    FetchResult result = source(uri).fetch(context(Limits.defaults(), new Known(2026073102, null, MODIFIED, -1)));

    assertInstanceOf(FetchResult.Unchanged.class, result);
    // RFC 9110 section 5.6.7: IMF-fixdate, two-digit day
    assertEquals("Fri, 31 Jul 2026 20:00:00 GMT", requests.getFirst().getFirst("If-Modified-Since"));
  }

  @Test
  void staleEtagFetchesTheZoneAgain() throws Exception {
    URI uri = serve(pki.server("127.0.0.1"), "/root.zone", zoneHandler(false));

    FetchResult result = source(uri).fetch(context(Limits.defaults(), new Known(2026073101, "\"2026073101\"", null, -1)));

    assertArrayEquals(zone, assertInstanceOf(FetchResult.Fetched.class, result).text());
  }

  @Test
  void missingFileIsNotFound() throws Exception {
    URI uri = serve(pki.server("127.0.0.1"), "/root.zone", zoneHandler(false)).resolve("/nothing-here");

    FetchException e = fails(Kind.NOT_FOUND, source(uri), FetchContext.fresh());

    assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
  }

  @Test
  void serverErrorIsAProtocolFailureNamingTheStatus() throws Exception {
    URI uri = serve(pki.server("127.0.0.1"), "/root.zone", exchange -> respond(exchange, 503, NO_BYTES));

    FetchException e = fails(Kind.PROTOCOL, source(uri), FetchContext.fresh());

    assertTrue(e.getMessage().contains("HTTP status 503"), e.getMessage());
  }

  @Test
  void unansweredConnectFailsAfterTheConnectTimeout() throws Exception {
    try (SilentListener silent = new SilentListener()) {
      URI uri = URI.create("https://127.0.0.1:" + silent.port() + "/root.zone");
      long start = System.nanoTime();

      FetchException e = fails(Kind.CONNECT, source(uri), context(limits(SHORT, Duration.ofSeconds(10), Duration.ofSeconds(10))));

      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(e.getMessage().contains("no connection to 127.0.0.1:" + silent.port() + " within 300 ms"), e.getMessage());
      assertTrue(ms >= 250 && ms < 3000, "took " + ms + " ms");
    }
  }

  @Test
  void refusedConnectionIsAConnectFailure() throws Exception {
    int closedPort;
    try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = gone.getLocalPort();
    }

    FetchException e = fails(Kind.CONNECT, source(URI.create("https://127.0.0.1:" + closedPort + "/root.zone")), FetchContext.fresh());

    assertTrue(e.getMessage().endsWith(": cannot connect to 127.0.0.1:" + closedPort + " (connection refused)"), e.getMessage());
  }

  @Test
  void bodyThatStopsArrivingIsAStall() throws Exception {
    URI uri = serve(pki.server("127.0.0.1"), "/root.zone", exchange -> {
      exchange.sendResponseHeaders(200, zone.length);
      OutputStream body = exchange.getResponseBody();
      body.write(zone, 0, 100_000);
      body.flush();
      awaitRelease();
    });

    // a stall timeout long enough for a cold JVM's first handshake: the wait for the response
    // headers counts against it too, and this test is about the body
    FetchException e = fails(Kind.STALL, source(uri), context(limits(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(1))));

    assertTrue(e.getMessage().contains("nothing received for 1 s while reading the body, after 100000 of " + zone.length + " bytes"),
        e.getMessage());
  }

  @Test
  void serverThatNeverAnswersTheRequestIsAStall() throws Exception {
    URI uri = serve(pki.server("127.0.0.1"), "/root.zone", exchange -> awaitRelease());

    FetchException e = fails(Kind.STALL, source(uri), context(limits(Duration.ofSeconds(2), Duration.ofSeconds(10), SHORT)));

    assertTrue(e.getMessage().contains("no response from 127.0.0.1:" + uri.getPort() + " within 300 ms"), e.getMessage());
  }

  @Test
  void bodyTricklingPastTheDeadlineIsATimeout() throws Exception {
    URI uri = serve(pki.server("127.0.0.1"), "/root.zone", exchange -> {
      exchange.sendResponseHeaders(200, zone.length);
      OutputStream body = exchange.getResponseBody();
      // never silent for long enough to stall, but far too slow to finish
      for (int sent = 0; sent < zone.length && release.getCount() > 0; sent += 1000) {
        body.write(zone, sent, Math.min(1000, zone.length - sent));
        body.flush();
        sleep(50);
      }
    });
    long start = System.nanoTime();

    FetchException e = fails(Kind.TIMEOUT, source(uri), context(limits(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofSeconds(2))));

    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(e.getMessage().contains("the deadline of 1500 ms passed while reading the body"), e.getMessage());
    assertTrue(ms < 3000, "took " + ms + " ms");
  }

  @Test
  void bodyShorterThanItsContentLengthIsTruncated() throws Exception {
    URI uri = serve(pki.server("127.0.0.1"), "/root.zone", exchange -> {
      exchange.sendResponseHeaders(200, zone.length);
      OutputStream body = exchange.getResponseBody();
      body.write(zone, 0, zone.length / 2);
      body.flush();
      exchange.close(); // closes the connection: too few bytes were written
    });

    FetchException e = fails(Kind.TRUNCATED, source(uri), FetchContext.fresh());

    assertTrue(e.getMessage().contains("of " + zone.length + " bytes"), e.getMessage());
  }

  @Test
  void contentLengthOverTheCapIsRefusedBeforeReading() throws Exception {
    URI uri = serve(pki.server("127.0.0.1"), "/root.zone", zoneHandler(false));

    FetchException e = fails(Kind.TOO_LARGE, source(uri), context(withMax(1024 * 1024)));

    assertTrue(e.getMessage().contains("announced size of " + zone.length + " bytes exceeds the limit of 1048576"), e.getMessage());
  }

  @Test
  void capCountsTheDecodedBytesOfAGzipResponse() throws Exception {
    long cap = 1536 * 1024; // above the compressed size (about 1 MB), below the zone's 2.2 MB
    assertTrue(gzip(zone).length < cap && zone.length > cap);
    URI uri = serve(pki.server("127.0.0.1"), "/root.zone", zoneHandler(true));

    FetchException e = fails(Kind.TOO_LARGE, source(uri), context(withMax(cap)));

    assertTrue(e.getMessage().contains("zone text exceeds the limit of " + cap + " bytes"), e.getMessage());
  }

  @Test
  void capCountsABodyOfUnannouncedLength() throws Exception {
    URI uri = serve(pki.server("127.0.0.1"), "/root.zone", exchange -> respond(exchange, 200, zone, 0)); // chunked

    FetchException e = fails(Kind.TOO_LARGE, source(uri), context(withMax(1024 * 1024)));

    assertTrue(e.getMessage().contains("zone text exceeds the limit of 1048576 bytes"), e.getMessage());
  }

  @Test
  void certificateForAnotherHostNameIsRefused() throws Exception {
    URI uri = serve(pki.server("wrong.example"), "/root.zone", zoneHandler(false));

    FetchException e = fails(Kind.TLS, source(uri), FetchContext.fresh());

    // the JDK's words: "No subject alternative names matching IP address 127.0.0.1 found"
    assertTrue(e.getMessage().contains("subject alternative names matching IP address 127.0.0.1"), e.getMessage());
    assertTrue(requests.isEmpty(), "no request may reach a server that failed the host name check");
  }

  @Test
  void certificateForAnotherHostNameIsRefusedByDnsName() throws Exception {
    URI uri = serve(pki.server("wrong.example", "127.0.0.1"), "/root.zone", zoneHandler(false));
    URI byName = URI.create("https://localhost:" + uri.getPort() + "/root.zone");

    FetchException e = fails(Kind.TLS, source(byName), FetchContext.fresh());

    assertTrue(e.getMessage().contains("No subject alternative DNS name matching localhost"), e.getMessage());
  }

  @Test
  void selfSignedCertificateIsRefused() throws Exception {
    URI uri = serve(TestPki.selfSigned("localhost", "127.0.0.1"), "/root.zone", zoneHandler(false));

    FetchException e = fails(Kind.TLS, source(uri), FetchContext.fresh());

    assertTrue(e.getMessage().contains("PKIX path building failed"), e.getMessage());
  }

  @Test
  void testCaIsNotTrustedByDefault() throws Exception {
    URI uri = serve(pki.server("127.0.0.1"), "/root.zone", zoneHandler(false));

    FetchException e = fails(Kind.TLS, new HttpsSource(uri), FetchContext.fresh());

    assertTrue(e.getMessage().contains("PKIX path building failed"), e.getMessage());
  }

  @Test
  void redirectToHttpsIsFollowed() throws Exception {
    URI uri = serve(pki.server("127.0.0.1"), "/domain/root.zone", zoneHandler(false));
    server.createContext("/moved", exchange -> {
      exchange.getResponseHeaders().set("Location", "/domain/root.zone");
      respond(exchange, 301, NO_BYTES);
    });

    FetchResult.Fetched fetched =
        assertInstanceOf(FetchResult.Fetched.class, source(uri.resolve("/moved")).fetch(FetchContext.fresh()));

    assertArrayEquals(zone, fetched.text());
    assertTrue(fetched.detail().contains("from " + uri), fetched.detail());
  }

  @Test
  void redirectToPlainHttpIsRefused() throws Exception {
    URI uri = serve(pki.server("127.0.0.1"), "/root.zone", exchange -> {
      exchange.getResponseHeaders().set("Location", "http://127.0.0.1:1/root.zone");
      respond(exchange, 302, NO_BYTES);
    });

    FetchException e = fails(Kind.PROTOCOL, source(uri), FetchContext.fresh());

    assertTrue(e.getMessage().contains("to http://127.0.0.1:1/root.zone refused: only https is followed"), e.getMessage());
  }

  @Test
  void plainHttpIsRefusedWhenTheSourceIsMade() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new HttpsSource(URI.create("http://www.internic.net/domain/root.zone"), trustingTestCa));

    assertTrue(e.getMessage().contains("plain http is refused"), e.getMessage());
  }

  @Test
  void notModifiedToAnUnconditionalRequestIsAProtocolFailure() throws Exception {
    URI uri = serve(pki.server("127.0.0.1"), "/root.zone", exchange -> respond(exchange, 304, NO_BYTES, -1));

    FetchException e = fails(Kind.PROTOCOL, source(uri), FetchContext.fresh());

    assertTrue(e.getMessage().contains("HTTP status 304"), e.getMessage());
    assertFalse(e.getMessage().contains("Not Modified from"), e.getMessage());
  }

  // --- the server and its handlers

  private URI serve(SSLContext tls, String path, HttpHandler handler) throws IOException {
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.setExecutor(executor);
    server.createContext(path, exchange -> {
      requests.add(exchange.getRequestHeaders());
      handler.handle(exchange);
    });
    server.start();
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** Serves the zone as a server does a static file: ETag, Last-Modified, conditional GET (RFC 9110 section 13.2.2), gzip when asked. */
  private HttpHandler zoneHandler(boolean gzip) {
    return exchange -> {
      Headers request = exchange.getRequestHeaders();
      exchange.getResponseHeaders().set("ETag", ETAG);
      exchange.getResponseHeaders().set("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(MODIFIED.atOffset(ZoneOffset.UTC)));
      String ifNoneMatch = request.getFirst("If-None-Match");
      String ifModifiedSince = request.getFirst("If-Modified-Since");
      boolean notModified = ifNoneMatch != null
          ? ifNoneMatch.equals(ETAG)
          : ifModifiedSince != null
              && !DateTimeFormatter.RFC_1123_DATE_TIME.parse(ifModifiedSince, Instant::from).isBefore(MODIFIED);
      if (notModified) {
        respond(exchange, 304, NO_BYTES, -1);
      } else if (gzip && String.valueOf(request.getFirst("Accept-Encoding")).contains("gzip")) {
        exchange.getResponseHeaders().set("Content-Encoding", "gzip");
        respond(exchange, 200, gzip(zone));
      } else {
        respond(exchange, 200, zone);
      }
    };
  }

  private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
    respond(exchange, status, body, body.length == 0 ? -1 : body.length);
  }

  /** {@code length} as HttpExchange takes it: -1 no body, 0 chunked, else the Content-Length. */
  private static void respond(HttpExchange exchange, int status, byte[] body, long length) throws IOException {
    exchange.sendResponseHeaders(status, length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private void awaitRelease() {
    try {
      release.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  // --- the client side

  private static HttpsSource source(URI uri) {
    return new HttpsSource(uri, trustingTestCa);
  }
}
