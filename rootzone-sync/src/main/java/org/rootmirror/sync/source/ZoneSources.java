package org.rootmirror.sync.source;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/** Makes the source for a configured URI, by its scheme: https, ftp, axfr, ixfr, file. */
public final class ZoneSources {
  private ZoneSources() {}

  /** The source for {@code uri}; HTTPS trusts the JDK's default CA certificates. */
  public static ZoneSource fromUri(URI uri) {
    return fromUri(uri, null);
  }

  /**
   * The source for {@code uri}; HTTPS trusts what {@code tls} trusts (null: the JDK's default CA
   * certificates).
   *
   * @throws IllegalArgumentException for an unknown scheme, plain http, or a URI the source refuses
   */
  public static ZoneSource fromUri(URI uri, SSLContext tls) {
    Objects.requireNonNull(uri, "uri");
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "https" -> new HttpsSource(uri, tls);
      case "ftp" -> new FtpSource(uri);
      case "file" -> new FileSource(uri);
      case "axfr" -> new AxfrSource(uri);
      case "ixfr" -> new IxfrSource(uri);
      case "http" -> throw new IllegalArgumentException("plain http is refused, use https: " + uri);
      default -> throw new IllegalArgumentException(
          "unknown zone source scheme \"" + scheme + "\" in " + uri + " (known: https, ftp, axfr, ixfr, file)");
    };
  }
}
