package org.rootmirror.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.rootmirror.cli.config.ConfigKey;
import org.rootmirror.cli.config.Settings;
import org.rootmirror.dnssec.anchor.AnchorSignature;
import org.rootmirror.dnssec.anchor.TrustAnchor;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.sync.accept.AnchorTracking;
import org.rootmirror.sync.source.FetchException;
import org.rootmirror.sync.store.ManagedKeysStore;
import org.xbill.DNS.Name;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rootmirror anchor update}: installs the root anchors of IANA's signed root-anchors.xml
 * (RFC 9718) as the new seed of the tracked state, as unbound-anchor does for Unbound.
 */
@Command(
    name = "update",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch IANA's root-anchors.xml and its signature root-anchors.p7s over HTTPS (RFC 9718), check the signature"
          + " against the ICANN Root CA (as `anchor verify` does), and install the root keys valid now as the new start"
          + " of the tracked state (STATE/root-anchors.tracked); a running daemon takes them before its next sync.",
      "Use it to bootstrap: when the state is missing, or when no tracked key is trusted any more (`anchor status`"
          + " exits 1; the daemon logs an ERROR naming this command). With --xml and --p7s it uses those files and no network.",
      "Exit codes: 0 installed, 1 signature invalid or no anchor valid now (nothing installed), 2 usage, I/O or network error."
    })
final class AnchorUpdate implements Callable<Integer> {
  private static final int INSTALLED = 0;
  private static final int REFUSED = 1;
  private static final int USAGE = 2;
  private static final String COMMAND = "rootmirror anchor update";

  @Spec CommandSpec spec;
  @Mixin ConfigOption config;
  @Mixin StateOptions options;

  @Option(names = "--url", paramLabel = "URL",
      description = "Where to fetch root-anchors.xml; its signature is fetched beside it, .xml replaced by .p7s"
          + " (default: ${DEFAULT-VALUE}).")
  URI url = AnchorDownload.IANA_XML;

  @Option(names = "--xml", paramLabel = "FILE", description = "Use this root-anchors.xml instead of fetching it (with --p7s).")
  Path xml;

  @Option(names = "--p7s", paramLabel = "FILE", description = "Its detached signature, root-anchors.p7s (with --xml).")
  Path p7s;

  @Option(names = "--ca", paramLabel = "FILE",
      description = "PEM certificates to check the signature with, as for `anchor verify` (default: the ICANN Root CA built in).")
  Path ca;

  @Option(names = "--time", paramLabel = "TIME", converter = InstantConverter.class,
      description = "Check the signature and choose the anchors valid at this time, ISO 8601 or a UTC date (default: now).")
  Instant time;

  /**
   * The TLS trust for the fetch: null for the JDK's CA certificates. Tests set their own CA here
   * (package-private, not an option): an operator has no reason to trust another CA for
   * data.iana.org, and the signature, not TLS, vouches for the files.
   */
  SSLContext tls;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean offline = xml != null || p7s != null;
    if (offline && (xml == null || p7s == null)) {
      err.println(COMMAND + ": --xml and --p7s go together: give both files, or neither to fetch them");
      return USAGE;
    }
    if (offline && spec.commandLine().getParseResult().hasMatchedOption("--url")) {
      err.println(COMMAND + ": --url fetches the files that --xml and --p7s name: give one or the other");
      return USAGE;
    }
    Map<ConfigKey, List<String>> given = new EnumMap<>(ConfigKey.class);
    options.given(given);
    Settings settings = config.settings(given, err, COMMAND);
    if (settings == null) {
      return USAGE;
    }
    if (settings.rootAnchorsNone()) {
      err.println(COMMAND + ": no root trust anchor ([sync] anchors = none), so no root copy to install anchors for:"
          + " remove that line first");
      return USAGE;
    }
    TrustAnchors configured;
    AnchorSignature verifier;
    try {
      configured = SyncOptions.trustAnchors(settings);
      verifier = SignedAnchors.verifier(ca);
    } catch (NoSuchFileException e) {
      err.println(COMMAND + ": anchors file not found: " + e.getMessage());
      return USAGE;
    } catch (IOException | IllegalArgumentException | SignedAnchors.UsageError e) {
      err.println(COMMAND + ": " + e.getMessage());
      return USAGE;
    }

    String source = offline ? xml.toString() : url.toString();
    byte[] xmlBytes;
    byte[] p7sBytes;
    try {
      if (offline) {
        xmlBytes = SignedAnchors.read("--xml", xml);
        p7sBytes = SignedAnchors.read("--p7s", p7s);
      } else {
        AnchorDownload.Fetched fetched = AnchorDownload.fetch(url, tls);
        xmlBytes = fetched.xml();
        p7sBytes = fetched.p7s();
      }
    } catch (SignedAnchors.UsageError | IllegalArgumentException e) {
      err.println(COMMAND + ": " + e.getMessage());
      return USAGE;
    } catch (FetchException e) {
      err.println(COMMAND + ": " + AnchorDownload.describe(e) + "; nothing installed");
      return USAGE;
    }

    Instant at = time == null ? Instant.now().truncatedTo(ChronoUnit.SECONDS) : time;
    SignedAnchors signed;
    try {
      signed = SignedAnchors.check(verifier, xmlBytes, p7sBytes, at, source);
    } catch (AnchorSignature.Invalid e) {
      err.println(COMMAND + ": " + source + ": signature invalid: " + e.getMessage() + "; nothing installed");
      return REFUSED;
    } catch (IllegalArgumentException e) {
      err.println(COMMAND + ": signed, but not a root-anchors file: " + e.getMessage() + "; nothing installed");
      return REFUSED;
    }
    List<TrustAnchor> valid = signed.anchors().validAt(at).stream().filter(a -> a.zone().equals(Name.root)).toList();
    if (valid.isEmpty()) {
      // never install an empty set: it would leave the sync with no key to trust
      String listed = signed.anchors().all().stream().map(SignedAnchors::describe).collect(Collectors.joining("; "));
      err.println(COMMAND + ": " + source + ": no root anchor valid at " + at + " (" + listed + "); nothing installed");
      return REFUSED;
    }

    Path stateDir = settings.stateDir();
    try {
      AnchorTracking.install(stateDir, configured, TrustAnchors.of(valid));
    } catch (IOException e) {
      err.println(COMMAND + ": cannot write " + new ManagedKeysStore(stateDir).file() + ": " + e.getMessage() + "; nothing installed");
      return USAGE;
    }
    report(out, new ManagedKeysStore(stateDir).file(), source, signed, valid, at);
    return INSTALLED;
  }

  /** A line for the install, one per key installed and per key of the file left out, and what happens next. */
  private static void report(PrintWriter out, Path file, String source, SignedAnchors signed, List<TrustAnchor> installed, Instant at) {
    out.println("installed " + installed.size() + (installed.size() == 1 ? " root trust anchor" : " root trust anchors") + " in "
        + file + " from " + source + ", " + signed.signedBy() + ":");
    for (TrustAnchor a : installed) {
      out.println("  key " + a.keyTag() + "  algorithm " + a.algorithm() + "  " + SignedAnchors.validity(a));
    }
    for (TrustAnchor a : signed.anchors().all()) {
      if (!installed.contains(a)) {
        String why = !a.zone().equals(Name.root) ? "not the root's" : a.validFrom().isAfter(at) ? "not yet valid" : "expired";
        out.println("  not installed: " + SignedAnchors.describe(a) + " (" + why + ")");
      }
    }
    out.println("the running daemon uses them from its next sync; `rootmirror anchor status` shows them");
    out.flush();
  }
}
