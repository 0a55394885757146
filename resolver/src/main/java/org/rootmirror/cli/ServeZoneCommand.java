package org.rootmirror.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.rootmirror.cli.config.ConfigKey;
import org.rootmirror.cli.config.Settings;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.dnssec.validate.ValidationReport;
import org.rootmirror.dnssec.validate.ZoneValidator;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.rootmirror.sync.server.MirrorService;
import org.rootmirror.sync.server.net.Addresses;
import org.rootmirror.sync.server.net.ListenException;
import org.rootmirror.sync.server.net.ServerNetOptions;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneMetadata;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.xbill.DNS.Name;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rootmirror serve-zone FILE}: validates one zone file and serves it as a root server, for tests and benchmarks. */
@Command(name = "serve-zone", mixinStandardHelpOptions = true,
    description = {"Validate a root zone file and serve it until SIGTERM (no sync).",
        "Exit status: 1 when the zone is not valid (nothing is served), 2 usage or I/O error."})
final class ServeZoneCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ServeOptions serve;

  @Option(names = "--listen", paramLabel = "ADDR:PORT", description = "Address and port to serve the zone on, repeatable, one port for all (default: 127.12.12.12:53 and [::1]:53, RFC 8806).")
  List<String> listen;

  @Parameters(paramLabel = "FILE", description = "Root zone in master-file format.")
  Path file;

  @Option(names = "--anchors", paramLabel = "FILE", description = "Trust anchors (default: the built-in root anchors).")
  Path anchors;

  @Option(names = "--time", paramLabel = "TIME", converter = InstantConverter.class,
      description = "Validate as of this time, ISO-8601 (default: now).")
  Instant time;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Instant at = time != null ? time : Instant.now();
    ZoneSnapshot snapshot;
    MirrorService.Options options;
    try {
      Map<ConfigKey, List<String>> given = new EnumMap<>(ConfigKey.class);
      serve.given(given);
      Settings settings = ConfigOption.commandLineOnly(given, err, "rootmirror serve-zone");
      if (settings == null) {
        return 2;
      }
      options = ServeOptions.mirror(settings, ServeOptions.listening(listen, ServerNetOptions.defaults(), "--listen"));
      TrustAnchors trust = anchors == null ? TrustAnchors.builtIn() : TrustAnchors.read(anchors);
      Zone zone = ZoneFile.read(file, Name.root);
      ValidationReport report = new ZoneValidator(trust, false).validate(zone, at);
      err.println(report.summary());
      if (!report.valid()) {
        report.errors().stream().limit(20).forEach(p -> err.println("  " + p));
        return 1;
      }
      snapshot = new ZoneSnapshot(zone, new ZoneMetadata(report.serial(), URI.create(file.toUri().toString()), null, at,
          report.summary(), report.earliestExpiry(), report.zonemd().state() == ValidationReport.Zonemd.State.VERIFIED,
          null, null), report);
    } catch (NoSuchFileException e) {
      err.println("rootmirror serve-zone: file not found: " + e.getFile());
      return 2;
    } catch (IOException | IllegalArgumentException e) {
      err.println("rootmirror serve-zone: " + e.getMessage());
      return 2;
    }
    PublishedZone published = new PublishedZone();
    published.publish(snapshot);
    MirrorService mirror;
    try {
      mirror = MirrorService.start(options, published, null, source -> {});
    } catch (ListenException e) {
      throw e.forOption("--listen");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        mirror.close();
      } catch (IOException e) {
        System.err.println("rootmirror serve-zone: stopping: " + e.getMessage());
      }
      stopped.countDown();
    }, "shutdown"));
    err.println("rootmirror serve-zone: serving serial " + snapshot.serial() + " on " + Addresses.show(mirror.localAddresses()));
    err.flush();
    stopped.await();
    return 0;
  }
}
