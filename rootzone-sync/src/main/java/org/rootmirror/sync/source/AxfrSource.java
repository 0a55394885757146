package org.rootmirror.sync.source;

import java.net.InetSocketAddress;
import java.net.URI;
import org.rootmirror.sync.source.XfrClient.Deadline;
import org.xbill.DNS.Name;

/**
 * {@code axfr://host[:port]}: the whole zone by AXFR (RFC 5936) from a primary that allows it, as
 * the root servers listed in RFC 8806 Appendix A do. An SOA query comes first, and there is no
 * transfer when the primary's serial is not newer than the one held (RFC 1982 serial arithmetic).
 */
public final class AxfrSource implements ZoneSource {
  private final XfrClient client;

  /** A source of the root zone at {@code uri}; the port defaults to 53, an IPv6 host is bracketed. */
  public AxfrSource(URI uri) {
    this(uri, Name.root);
  }

  /** A source of {@code zone} (an absolute name) at {@code uri}. */
  public AxfrSource(URI uri, Name zone) {
    this.client = XfrClient.of(uri, "axfr", zone);
  }

  @Override
  public URI uri() {
    return client.uri();
  }

  @Override
  public FetchResult fetch(FetchContext context) throws FetchException {
    Deadline deadline = Deadline.start(context.limits());
    InetSocketAddress primary = client.resolve();
    long serial = client.primarySerial(primary, context.limits(), deadline);
    FetchResult.Unchanged unchanged = XfrClient.unchanged(serial, context.known().serial());
    if (unchanged != null) {
      return unchanged;
    }
    return client.axfr(primary, context, deadline, "");
  }

  @Override
  public String toString() {
    return client.uri().toString();
  }
}
