package org.rootmirror.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.sync.accept.SyncPolicy;
import org.rootmirror.sync.accept.ZoneSync;
import org.rootmirror.sync.source.DefaultSources;
import org.rootmirror.sync.source.Limits;
import org.rootmirror.sync.source.ZoneSource;
import org.rootmirror.sync.source.ZoneSources;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneStore;
import picocli.CommandLine.Option;

/** The options every sync command shares: where state lives and where zones come from. */
final class SyncOptions {
  @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/var/lib/rootmirror",
      description = "Where validated zones are kept (default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(names = "--runtime-dir", paramLabel = "DIR", defaultValue = "/run/rootmirror",
      description = "Where the daemon's control socket lives (default: ${DEFAULT-VALUE}).")
  Path runtimeDir;

  @Option(names = "--source", paramLabel = "URI",
      description = "A source, in order of preference; repeat for more (https://, ftp://, axfr://, ixfr://, file:). "
          + "Default: InterNIC HTTPS, ICANN and root-server AXFR, InterNIC FTP.")
  List<URI> sources;

  @Option(names = "--anchors", paramLabel = "FILE", description = "Trust anchors (default: the built-in root anchors).")
  Path anchors;

  @Option(names = "--require-zonemd", description = "Refuse zones without a verified ZONEMD from the start.")
  boolean requireZonemd;

  @Option(names = "--require-agreement", paramLabel = "N", defaultValue = "1",
      description = "Accept a new serial only when N sources report the same serial and ZONEMD digest (default: ${DEFAULT-VALUE}).")
  int requireAgreement;

  Path socket() {
    return runtimeDir.resolve(org.rootmirror.sync.SyncService.SOCKET);
  }

  /**
   * Why the daemon could not be asked, when the reason is this user's permissions rather than
   * no daemon: the socket is 0660 in a 0750 directory, for root and the rootmirror group. The
   * JDK reports connect's EACCES as a SocketException with strerror's text only.
   */
  Optional<String> deniedReason(IOException e) {
    if (e instanceof AccessDeniedException || String.valueOf(e.getMessage()).contains("Permission denied")) {
      return Optional.of(socket() + ": permission denied: run as root or as a member of the rootmirror group");
    }
    return Optional.empty();
  }

  /** The anchors zones are validated with, and the resolver's. */
  TrustAnchors trustAnchors() throws IOException {
    return anchors == null ? TrustAnchors.builtIn() : TrustAnchors.read(anchors);
  }

  ZoneSync zoneSync(PublishedZone published, Clock clock) throws IOException {
    return zoneSync(published, clock, new ZoneStore(stateDir));
  }

  ZoneSync zoneSync(PublishedZone published, Clock clock, ZoneStore store) throws IOException {
    List<URI> uris = sources == null || sources.isEmpty() ? DefaultSources.URIS : sources;
    List<ZoneSource> list = uris.stream().map(ZoneSources::fromUri).toList();
    TrustAnchors trust = trustAnchors();
    SyncPolicy policy = new SyncPolicy(requireZonemd, requireAgreement, Limits.defaults());
    return new ZoneSync(list, ZoneSources::fromUri, store, published, trust, clock, policy);
  }
}
