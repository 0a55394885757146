package org.rootmirror.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rootmirror.cli.config.ConfigKey;
import org.rootmirror.cli.config.Defaults;
import org.rootmirror.cli.config.Settings;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.sync.SyncService;
import org.rootmirror.sync.accept.AnchorTracking;
import org.rootmirror.sync.accept.SyncPolicy;
import org.rootmirror.sync.accept.ZoneSync;
import org.rootmirror.sync.control.StatusView;
import org.rootmirror.sync.source.Limits;
import org.rootmirror.sync.source.ZoneSource;
import org.rootmirror.sync.source.ZoneSources;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneStore;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every sync command shares: where state lives and where zones come from. Null
 * means not given: the values and their defaults are {@link Settings}' ({@code [sync]}).
 */
final class SyncOptions {
  @Mixin StateOptions state;

  @Option(names = "--source", paramLabel = "URI",
      description = "A source, in order of preference; repeat for more (https://, ftp://, axfr://, ixfr://, file:). "
          + "Default: InterNIC HTTPS, ICANN and root-server AXFR, InterNIC FTP.")
  List<String> sources;

  @Option(names = "--require-zonemd", negatable = true,
      description = "Refuse zones without a verified ZONEMD from the start (default: no; once a zone had one, it is always required).")
  Boolean requireZonemd;

  @Option(names = "--require-agreement", paramLabel = "N",
      description = "Accept a new serial only when N sources report the same serial and ZONEMD digest (default: " + Defaults.REQUIRE_AGREEMENT + ").")
  String requireAgreement;

  /** Adds the options given to {@code given}, by the key they override. */
  void given(Map<ConfigKey, List<String>> given) {
    state.given(given);
    Given.put(given, ConfigKey.SOURCE, sources);
    Given.put(given, ConfigKey.REQUIRE_ZONEMD, requireZonemd);
    Given.put(given, ConfigKey.REQUIRE_AGREEMENT, requireAgreement);
  }

  static Path socket(Settings settings) {
    return settings.runtimeDir().resolve(SyncService.SOCKET);
  }

  /**
   * Why the daemon could not be asked, when the reason is this user's permissions rather than
   * no daemon: the socket is 0660 in a 0750 directory, for root and the rootmirror group. The
   * JDK reports connect's EACCES as a SocketException with strerror's text only.
   */
  static Optional<String> deniedReason(Settings settings, IOException e) {
    return deniedReason(socket(settings), e);
  }

  /** {@link #deniedReason(Settings, IOException)} for a given socket. */
  static Optional<String> deniedReason(Path socket, IOException e) {
    if (e instanceof AccessDeniedException || String.valueOf(e.getMessage()).contains("Permission denied")) {
      return Optional.of(socket + ": permission denied: run as root or as a member of the rootmirror group");
    }
    return Optional.empty();
  }

  /**
   * The root anchors zones are validated with, and the resolver's root anchors.
   *
   * @throws IllegalStateException with {@code anchors = none}: check {@link #noRootAnchors} first
   */
  static TrustAnchors trustAnchors(Settings settings) throws IOException {
    if (settings.rootAnchorsNone()) {
      throw new IllegalStateException("no root trust anchor ([sync] anchors = none)");
    }
    return settings.anchors().isPresent() ? TrustAnchors.read(settings.anchors().get()) : TrustAnchors.builtIn();
  }

  /**
   * With {@code anchors = none} a command that fetches the root zone cannot validate it: says so
   * on {@code err}, prefixed with {@code command}, and returns true.
   */
  static boolean noRootAnchors(Settings settings, PrintWriter err, String command) {
    if (!settings.rootAnchorsNone()) {
      return false;
    }
    err.println(command + ": no root trust anchor ([sync] anchors = none), so the root zone cannot be validated: "
        + "remove that line (for the built-in anchors) or name an anchors file");
    return true;
  }

  /**
   * What {@code run} logs, and {@code status} says, with {@code anchors = none}: one line, in the
   * operator's words, with what to do.
   */
  static String noRootAnchorSummary(Settings settings) {
    int lines = settings.trustAnchorLines().size();
    String validation = lines == 0 ? "no DNSSEC validation (no trust-anchor lines)"
        : "DNSSEC validation only below the " + (lines == 1 ? "trust-anchor line" : lines + " trust-anchor lines");
    return "no root trust anchor ([sync] anchors = none): no local root copy, " + validation
        + (settings.rootServers().isEmpty() ? "; resolving from the root hints" : "; resolving from the root-server mirrors, then the root hints")
        + ". To validate from the root, remove \"anchors = none\" and restart";
  }

  /** {@link #noRootAnchorSummary} for {@code status --json}: the status fields, none serving, and the reason. */
  static String noRootAnchorJson(Settings settings, Instant now) {
    String fields = StatusView.stored(null, now, noRootAnchorSummary(settings)).json();
    return fields.substring(0, fields.length() - 1) + ",\"root_trust_anchor\":\"none\",\"trust_anchor_lines\":"
        + settings.trustAnchorLines().size() + "}";
  }

  static ZoneSync zoneSync(Settings settings, PublishedZone published, Clock clock) throws IOException {
    return zoneSync(settings, published, clock, new ZoneStore(settings.stateDir()));
  }

  static ZoneSync zoneSync(Settings settings, PublishedZone published, Clock clock, ZoneStore store) throws IOException {
    List<ZoneSource> list = settings.sources().stream().map(ZoneSources::fromUri).toList();
    SyncPolicy policy = new SyncPolicy(settings.requireZonemd(), settings.requireAgreement(), Limits.defaults());
    // the configured anchors seed the RFC 5011 state kept beside the zones (AnchorTracking)
    AnchorTracking anchors = AnchorTracking.open(settings.stateDir(), trustAnchors(settings));
    return new ZoneSync(list, ZoneSources::fromUri, store, published, anchors, clock, policy);
  }
}
