package org.rootmirror.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.dnssec.validate.Problem;
import org.rootmirror.dnssec.validate.ValidationReport;
import org.rootmirror.dnssec.validate.ZoneValidator;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.rootmirror.dnssec.zone.ZoneParseException;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rootmirror verify FILE}: validates a whole zone file with DNSSEC and ZONEMD. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      // one sentence per element: picocli wraps each, and the command list shows the first
      "Validate a whole zone file, printing one summary line.",
      "Checks the DNSKEY RRset against the trust anchors, every signature, the NSEC chain, delegations and glue,"
          + " and ZONEMD (RFC 8976).",
      "Exit status: 0 valid, 1 invalid (or unparsable), 2 usage or I/O error."
    })
final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "Zone file in master-file format.")
  Path file;

  @Option(names = "--anchors", paramLabel = "FILE",
      description = "Trust anchors: root-anchors.xml, or DS/DNSKEY records (default: the built-in root anchors).")
  Path anchors;

  @Option(names = "--time", paramLabel = "TIME", converter = InstantConverter.class,
      description = "Validation time, ISO-8601 (default: now).")
  Instant time;

  @Option(names = "--origin", paramLabel = "NAME", defaultValue = ".", description = "Zone origin (default: ${DEFAULT-VALUE}).")
  String origin;

  @Option(names = "--require-zonemd", description = "Fail a zone that has no verifiable ZONEMD record.")
  boolean requireZonemd;

  @Option(names = {"-v", "--verbose"}, description = "List every problem, not just the summary.")
  boolean verbose;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Instant at = time != null ? time : Instant.now();
    Name originName;
    try {
      originName = Name.fromString(origin, Name.root);
    } catch (TextParseException e) {
      err.println("rootmirror verify: bad --origin: " + e.getMessage());
      return 2;
    }
    TrustAnchors trust;
    try {
      trust = anchors == null ? TrustAnchors.builtIn() : TrustAnchors.read(anchors);
    } catch (NoSuchFileException e) {
      err.println("rootmirror verify: anchors file not found: " + e.getFile());
      return 2;
    } catch (IOException | IllegalArgumentException e) {
      err.println("rootmirror verify: cannot read anchors: " + e.getMessage());
      return 2;
    }
    Zone zone;
    try {
      zone = ZoneFile.read(file, originName);
    } catch (ZoneParseException e) {
      out.println("invalid: " + e.getMessage());
      return 1;
    } catch (NoSuchFileException e) {
      err.println("rootmirror verify: file not found: " + e.getFile());
      return 2;
    } catch (IOException e) {
      err.println("rootmirror verify: cannot read " + file + ": " + e.getMessage());
      return 2;
    }
    ValidationReport report = new ZoneValidator(trust, requireZonemd).validate(zone, at);
    out.println(report.summary());
    if (verbose) {
      for (Problem p : report.problems()) {
        out.println("  " + p);
      }
    }
    return report.valid() ? 0 : 1;
  }
}
