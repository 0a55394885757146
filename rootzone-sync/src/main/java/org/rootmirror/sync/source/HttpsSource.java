package org.rootmirror.sync.source;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.rootmirror.sync.source.FetchException.Kind;

/** Fetches the zone (and, for {@code anchor update}, IANA's root-anchors files) over HTTPS (java.net.http): certificate and host name always checked, conditional GET, gzip. */
public final class HttpsSource implements ZoneSource {
  /** As many as a browser would think reasonable for one file; more means a loop. */
  private static final int MAX_REDIRECTS = 5;
  /** RFC 9110 section 5.6.7 IMF-fixdate, the only form a sender may generate. */
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private final URI uri;
  /** Null for the JDK's default context, looked up at the first fetch: loading the CA certificates
   * takes a cold JVM about a tenth of a second, which a start-up serving a stored zone need not wait for. */
  private final SSLContext tls;

  /** A source that trusts the JDK's default CA certificates. */
  public HttpsSource(URI uri) {
    this(uri, null);
  }

  /**
   * A source that trusts what {@code tls} trusts: a private CA in tests, or null for the JDK's
   * default. The host name is checked against the certificate whatever the context: java.net.http
   * always does.
   *
   * @throws IllegalArgumentException for anything but an https:// URI with a host
   */
  public HttpsSource(URI uri, SSLContext tls) {
    Objects.requireNonNull(uri, "uri");
    if (!"https".equalsIgnoreCase(uri.getScheme())) {
      // Plain HTTP would let anyone on the path withhold or delay the zone unnoticed; DNSSEC
      // catches a forged zone, but not a stale one served on purpose.
      throw new IllegalArgumentException("not an https:// URI (plain http is refused): " + uri);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("https URI without a host: " + uri);
    }
    this.uri = uri;
    this.tls = tls;
  }

  @Override
  public URI uri() {
    return uri;
  }

  @Override
  public FetchResult fetch(FetchContext context) throws FetchException {
    // A client per fetch: its connect timeout is fixed when it is built, and a fetch every half
    // hour gains nothing from a pooled connection.
    HttpClient client = HttpClient.newBuilder()
        .sslContext(tls != null ? tls : defaultTls())
        .connectTimeout(context.limits().connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER) // followed below, to https only
        .build();
    try (BoundedCopy copy = BoundedCopy.start(uri, context)) {
      copy.abortWith(client::shutdownNow);
      URI target = uri;
      for (int redirects = 0; ; redirects++) {
        HttpResponse<InputStream> response = send(client, target, context, copy);
        int status = response.statusCode();
        if (isRedirect(status)) {
          discard(response);
          target = redirect(target, response.headers(), redirects);
          continue;
        }
        if (status == 200) {
          return body(target, response, copy);
        }
        discard(response);
        if (status == 304 && (context.known().etag() != null || context.known().modified() != null)) {
          return new FetchResult.Unchanged("HTTP 304 Not Modified from " + target + conditions(context.known()));
        }
        if (status == 404 || status == 410) {
          throw new FetchException(uri, Kind.NOT_FOUND, "HTTP " + status + " from " + target);
        }
        throw new FetchException(uri, Kind.PROTOCOL, "HTTP status " + status + " from " + target);
      }
    } finally {
      client.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return uri.toString();
  }

  private HttpResponse<InputStream> send(HttpClient client, URI target, FetchContext context, BoundedCopy copy)
      throws FetchException {
    Limits limits = context.limits();
    // The wait for the response headers: longer than the stall timeout is a stall too, and the
    // deadline bounds it as it bounds the rest (BoundedCopy watches the body).
    Duration stall = limits.stallTimeout();
    Duration wait = shorter(stall, copy.remaining());
    HttpRequest request = request(target, context.known(), wait);
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchException(uri, Kind.IO, "interrupted", e);
    } catch (HttpConnectTimeoutException e) {
      throw new FetchException(uri, Kind.CONNECT,
          "no connection to " + target.getAuthority() + " within " + BoundedCopy.show(limits.connectTimeout()), e);
    } catch (HttpTimeoutException e) {
      throw new FetchException(uri, wait.equals(stall) ? Kind.STALL : Kind.TIMEOUT,
          "no response from " + target.getAuthority() + " within " + BoundedCopy.show(wait), e);
    } catch (IOException e) {
      throw requestFailure(e, copy, target);
    }
  }

  private static HttpRequest request(URI target, Known known, Duration wait) {
    HttpRequest.Builder request = HttpRequest.newBuilder(target)
        .GET()
        .timeout(wait)
        .header("Accept-Encoding", "gzip")
        .header("User-Agent", "rootmirror");
    // RFC 9110 section 13.1: the server prefers If-None-Match when both are sent.
    if (known.etag() != null) {
      request.header("If-None-Match", known.etag());
    }
    if (known.modified() != null) {
      request.header("If-Modified-Since", HTTP_DATE.format(known.modified()));
    }
    return request.build();
  }

  private FetchException requestFailure(IOException e, BoundedCopy copy, URI target) {
    if (copy.tripped()) {
      return copy.failure(e, "requesting " + target);
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        // The JDK's own words: "PKIX path building failed", "No subject alternative names ...".
        return new FetchException(uri, Kind.TLS, BoundedCopy.describe(t), e);
      }
    }
    if (ConnectFailure.is(e)) {
      return new FetchException(uri, Kind.CONNECT, ConnectFailure.describe(target.getAuthority(), e), e);
    }
    return copy.failure(e, "requesting " + target);
  }

  private FetchResult.Fetched body(URI target, HttpResponse<InputStream> response, BoundedCopy copy)
      throws FetchException {
    HttpHeaders headers = response.headers();
    InputStream body = response.body();
    String encoding = headers.firstValue("Content-Encoding").orElse("identity").trim().toLowerCase(Locale.ROOT);
    BoundedCopy.Decoder decoder = switch (encoding) {
      case "identity", "" -> BoundedCopy.Decoder.IDENTITY;
      case "gzip", "x-gzip" -> BoundedCopy.Decoder.GZIP;
      default -> {
        discard(response);
        throw new FetchException(uri, Kind.PROTOCOL, "unsupported Content-Encoding \"" + encoding + "\" from " + target);
      }
    };
    long length = headers.firstValueAsLong("Content-Length").orElse(-1);
    copy.abortWith(body); // closing the body stream is what unblocks its reader
    byte[] text = copy.read(body, length, decoder);
    String detail = version(response.version()) + " 200 from " + target + ", " + text.length + " bytes"
        + (decoder == BoundedCopy.Decoder.GZIP ? " (gzip, " + wireSize(length) + ")" : "");
    return new FetchResult.Fetched(
        text, headers.firstValue("ETag").orElse(null), lastModified(headers), text.length, detail);
  }

  private URI redirect(URI from, HttpHeaders headers, int redirects) throws FetchException {
    if (redirects == MAX_REDIRECTS) {
      throw new FetchException(uri, Kind.PROTOCOL, "more than " + MAX_REDIRECTS + " redirects, the last from " + from);
    }
    String location = headers.firstValue("Location")
        .orElseThrow(() -> new FetchException(uri, Kind.PROTOCOL, "redirect without a Location from " + from));
    URI next;
    try {
      next = from.resolve(location.trim());
    } catch (IllegalArgumentException e) {
      throw new FetchException(uri, Kind.PROTOCOL, "redirect to a bad Location \"" + location + "\" from " + from, e);
    }
    if (!"https".equalsIgnoreCase(next.getScheme()) || next.getHost() == null) {
      throw new FetchException(uri, Kind.PROTOCOL, "redirect from " + from + " to " + next + " refused: only https is followed");
    }
    return next;
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static void discard(HttpResponse<InputStream> response) {
    try {
      response.body().close();
    } catch (IOException ignored) {
      // nothing was wanted from this body
    }
  }

  private static Instant lastModified(HttpHeaders headers) {
    String value = headers.firstValue("Last-Modified").orElse(null);
    if (value == null) {
      return null;
    }
    try {
      return DateTimeFormatter.RFC_1123_DATE_TIME.parse(value.trim(), Instant::from);
    } catch (DateTimeParseException e) {
      return null; // an unreadable validator is no validator: next time the fetch is unconditional
    }
  }

  private static String conditions(Known known) {
    if (known.etag() != null && known.modified() != null) {
      return " (ETag " + known.etag() + ", modified " + known.modified() + ")";
    }
    if (known.etag() != null) {
      return " (ETag " + known.etag() + ")";
    }
    return known.modified() != null ? " (modified " + known.modified() + ")" : "";
  }

  private static String wireSize(long length) {
    return length >= 0 ? length + " bytes on the wire" : "length not announced";
  }

  private static String version(HttpClient.Version version) {
    return version == HttpClient.Version.HTTP_2 ? "HTTP/2" : "HTTP/1.1";
  }

  private static Duration shorter(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static SSLContext defaultTls() {
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no default TLS context", e);
    }
  }
}
