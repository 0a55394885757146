package org.rootmirror.sync.source;

import java.net.URI;
import java.util.List;

/**
 * Where the root zone is fetched from when nothing is configured, in order: InterNIC over HTTPS;
 * AXFR from ICANN's transfer servers and the root servers that allow it (RFC 8806 Appendix A:
 * b, c, d, f, g, k), IPv6 then IPv4, by address so that fetching the root needs no name lookup;
 * InterNIC over FTP last.
 */
public final class DefaultSources {
  public static final List<URI> URIS = List.of(
      URI.create("https://www.internic.net/domain/root.zone"),
      URI.create("axfr://[2620:0:2d0:202::132]"), // lax.xfr.dns.icann.org
      URI.create("axfr://192.0.32.132"),
      URI.create("axfr://[2620:0:2830:202::132]"), // iad.xfr.dns.icann.org
      URI.create("axfr://192.0.47.132"),
      URI.create("axfr://[2801:1b8:10::b]"), // b.root-servers.net
      URI.create("axfr://170.247.170.2"),
      URI.create("axfr://[2001:500:2::c]"), // c.root-servers.net
      URI.create("axfr://192.33.4.12"),
      URI.create("axfr://[2001:500:2d::d]"), // d.root-servers.net
      URI.create("axfr://199.7.91.13"),
      URI.create("axfr://[2001:500:2f::f]"), // f.root-servers.net
      URI.create("axfr://192.5.5.241"),
      URI.create("axfr://[2001:500:12::d0d]"), // g.root-servers.net
      URI.create("axfr://192.112.36.4"),
      URI.create("axfr://[2001:7fd::1]"), // k.root-servers.net
      URI.create("axfr://193.0.14.129"),
      URI.create("ftp://ftp.internic.net/domain/root.zone"));

  private DefaultSources() {}
}
