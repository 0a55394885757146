package org.rootmirror.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.rootmirror.cli.config.ConfigKey;
import org.rootmirror.cli.config.Settings;
import org.rootmirror.dnssec.anchor.AnchorSignature;
import org.rootmirror.sync.accept.AnchorTracking;
import org.rootmirror.sync.control.AnchorView;
import org.rootmirror.sync.store.ManagedKeysStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rootmirror anchor ...}: trust anchor files. */
@Command(
    name = "anchor",
    description = "The root trust anchors: those the sync trusts now (RFC 5011), and IANA's signed root-anchors.xml.",
    mixinStandardHelpOptions = true,
    subcommands = {AnchorCommand.Status.class, AnchorCommand.Verify.class, AnchorUpdate.class})
final class AnchorCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required: status, verify or update");
  }

  /** {@code rootmirror anchor status}: the root's trust anchors as tracked (RFC 5011). */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Show the root keys the sync trusts and their RFC 5011 states (AddPend, Valid, Missing, Revoked, Removed),"
            + " from the state directory; before the first zone is accepted, the anchors configured or installed by `anchor update`.",
        "Exit codes: 0 a key is trusted, 1 none is, 2 usage or I/O error."
      })
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;
    @Mixin StateOptions options;

    @Option(names = "--json", description = "One JSON object, for scripts.")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Map<ConfigKey, List<String>> given = new EnumMap<>(ConfigKey.class);
      options.given(given);
      Settings settings = config.settings(given, err, "rootmirror anchor status");
      if (settings == null) {
        return 2;
      }
      if (settings.rootAnchorsNone()) {
        out.println("no root trust anchor ([sync] anchors = none): nothing is tracked");
        return 1;
      }
      AnchorTracking tracking;
      try {
        tracking = AnchorTracking.open(settings.stateDir(), SyncOptions.trustAnchors(settings));
      } catch (IOException | IllegalArgumentException e) {
        err.println("rootmirror anchor status: " + e.getMessage());
        return 2;
      }
      AnchorView view = new AnchorView(new ManagedKeysStore(settings.stateDir()).file(), tracking.keys());
      out.print(json ? view.json() + "\n" : view.text());
      out.flush();
      return tracking.trusted().all().isEmpty() ? 1 : 0;
    }
  }

  /** {@code rootmirror anchor verify}: checks IANA's root-anchors.xml against its signature. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Verify root-anchors.xml against its detached CMS signature root-anchors.p7s (RFC 9718):"
            + " signed by dnssec@iana.org, chained to the ICANN Root CA, valid at the given time.",
        "Exit codes: 0 verified, 1 invalid, 2 usage or I/O error."
      })
  static final class Verify implements Callable<Integer> {
    private static final int VERIFIED = 0;
    private static final int INVALID = 1;
    private static final int USAGE = 2;

    @Spec CommandSpec spec;

    @Option(names = "--xml", required = true, paramLabel = "FILE", description = "root-anchors.xml")
    Path xml;

    @Option(names = "--p7s", required = true, paramLabel = "FILE", description = "its detached signature, root-anchors.p7s (DER)")
    Path p7s;

    @Option(
        names = "--ca",
        paramLabel = "FILE",
        description = "PEM certificates: the self-signed ones are trusted, the others are intermediate CAs"
            + " (default: the ICANN Root CA built in)")
    Path ca;

    @Option(
        names = "--time",
        paramLabel = "TIME",
        converter = InstantConverter.class,
        description = "validation time, ISO 8601 such as 2014-05-13T00:00:00Z or a UTC date (default: now)")
    Instant time;

    @Override
    public Integer call() {
      byte[] xmlBytes;
      byte[] p7sBytes;
      AnchorSignature verifier;
      try {
        xmlBytes = SignedAnchors.read("--xml", xml);
        p7sBytes = SignedAnchors.read("--p7s", p7s);
        verifier = SignedAnchors.verifier(ca);
      } catch (SignedAnchors.UsageError e) {
        spec.commandLine().getErr().println("error: " + e.getMessage());
        return USAGE;
      }
      Instant at = time == null ? Instant.now().truncatedTo(ChronoUnit.SECONDS) : time;
      try {
        SignedAnchors signed = SignedAnchors.check(verifier, xmlBytes, p7sBytes, at, xml.toString());
        String keys = signed.anchors().all().stream().map(SignedAnchors::describe).collect(Collectors.joining("; "));
        spec.commandLine().getOut().println("verified " + xml + " at " + at + ": " + signed.signedBy() + "; anchors: " + keys);
        return VERIFIED;
      } catch (AnchorSignature.Invalid | IllegalArgumentException e) {
        spec.commandLine().getErr().println("invalid: " + e.getMessage());
        return INVALID;
      }
    }
  }
}
