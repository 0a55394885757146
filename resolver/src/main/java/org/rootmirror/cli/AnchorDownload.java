package org.rootmirror.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.rootmirror.sync.source.FetchContext;
import org.rootmirror.sync.source.FetchException;
import org.rootmirror.sync.source.FetchResult;
import org.rootmirror.sync.source.HttpsSource;
import org.rootmirror.sync.source.Known;
import org.rootmirror.sync.source.Limits;

/**
 * Fetches IANA's root-anchors.xml and its detached signature over HTTPS (RFC 9718 section 3),
 * each bounded in size and time. The fetch is the sync's own HttpsSource: certificate and host
 * name checked against the JDK's CA certificates, redirects followed to https only. TLS only
 * keeps the files from being withheld or swapped unnoticed on the path; the signature, checked
 * afterwards, is what vouches for the content.
 */
final class AnchorDownload {
  /** Where IANA publishes the file (RFC 9718 section 3), as unbound-anchor fetches it. */
  static final URI IANA_XML = URI.create("https://data.iana.org/root-anchors/root-anchors.xml");
  /** root-anchors.xml is under 1 KB and its signature about 5 KB: much more is not them. */
  static final int MAX_BYTES = 64 * 1024;
  /** Two small files: a server that takes longer than this is not going to answer. */
  private static final Limits LIMITS =
      new Limits(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(20), MAX_BYTES);

  /** The two files as fetched, byte for byte. */
  record Fetched(byte[] xml, byte[] p7s) {}

  private AnchorDownload() {}

  /**
   * The signature beside {@code xml}: ".xml" replaced by ".p7s" (root-anchors.xml,
   * root-anchors.p7s), or ".p7s" appended to a path that does not end in ".xml".
   */
  static URI signatureOf(URI xml) {
    String path = xml.getPath() == null ? "" : xml.getPath();
    String p7s = path.endsWith(".xml") ? path.substring(0, path.length() - 4) + ".p7s" : path + ".p7s";
    try {
      return new URI(xml.getScheme(), xml.getAuthority(), p7s, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot name the signature beside " + xml + ": " + e.getMessage(), e);
    }
  }

  /**
   * Fetches {@code xml}, then its signature beside it.
   *
   * @param tls the TLS trust, or null for the JDK's CA certificates
   * @throws FetchException for the first file that could not be fetched whole
   * @throws IllegalArgumentException when {@code xml} is not an https:// URL with a host
   */
  static Fetched fetch(URI xml, SSLContext tls) throws FetchException {
    HttpsSource xmlSource = new HttpsSource(xml, tls);
    HttpsSource p7sSource = new HttpsSource(signatureOf(xml), tls);
    return new Fetched(fetch(xmlSource), fetch(p7sSource));
  }

  private static byte[] fetch(HttpsSource source) throws FetchException {
    FetchResult result = source.fetch(new FetchContext(LIMITS, Known.NOTHING, null, null));
    if (result instanceof FetchResult.Fetched fetched) {
      return fetched.text();
    }
    // nothing was known, so nothing can be unchanged: only a server that ignores HTTP says so
    throw new FetchException(source.uri(), FetchException.Kind.PROTOCOL, "the server says \"not modified\" to an unconditional request");
  }

  /**
   * One line for a failed fetch, naming the file once: "cannot connect to data.iana.org
   * (connection refused)" with its URL, "HTTP 404 from URL", a TLS failure in the JDK's words.
   */
  static String describe(FetchException e) {
    if (e.kind() == FetchException.Kind.TOO_LARGE) {
      return e.source() + ": more than " + MAX_BYTES + " bytes, which no root-anchors file is";
    }
    // "HTTP 404 from URL" names the URL already; the others need it in front
    return e.problem().contains(e.source().toString()) ? e.problem() : e.getMessage();
  }
}
