package org.rootmirror.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rootmirror.cli.config.ConfigKey;
import org.rootmirror.cli.config.Settings;
import org.rootmirror.sync.accept.SyncOutcome;
import org.rootmirror.sync.accept.SyncRequest;
import org.rootmirror.sync.control.ControlClient;
import org.rootmirror.sync.control.ControlRequest;
import org.rootmirror.sync.store.PublishedZone;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rootmirror refresh}: sync now. Asks the running daemon through its control socket; with
 * no daemon, does one sync itself in the state directory, under the same writer lock. The
 * configuration file gives the runtime and state directories and the sources.
 */
@Command(name = "refresh", mixinStandardHelpOptions = true,
    description = {"Fetch and validate the root zone now.",
        "Exit status: 0 updated or unchanged, 1 failed (the zone held keeps serving), 2 usage or I/O error, 3 busy."})
final class RefreshCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;
  @Mixin SyncOptions options;

  @Option(names = "--force", description = "Fetch even if unchanged, and accept an older serial.")
  boolean force;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // --source names the one source to try now, configured or not
    if (options.sources != null && options.sources.size() > 1) {
      err.println("rootmirror refresh: give at most one --source");
      return 2;
    }
    Map<ConfigKey, List<String>> given = new EnumMap<>(ConfigKey.class);
    options.given(given);
    Settings settings = config.settings(given, err, "rootmirror refresh");
    if (settings == null) {
      return 2;
    }
    URI only = options.sources == null || options.sources.isEmpty() ? null : settings.sources().get(0);
    Progress progress = Progress.forTerminal(err);
    try {
      return ControlClient.send(SyncOptions.socket(settings), ControlRequest.refresh(force, only), line -> {
        if (line.startsWith("progress ")) {
          progress.line(line);
        } else {
          progress.done();
          out.println(line);
        }
      });
    } catch (IOException noDaemon) {
      // no daemon listening: do the sync here, in the state directory
      if (SyncOptions.deniedReason(settings, noDaemon).isPresent()) {
        err.println("rootmirror refresh: " + SyncOptions.deniedReason(settings, noDaemon).get());
        return 2;
      }
    }
    if (SyncOptions.noRootAnchors(settings, err, "rootmirror refresh")) {
      return 2;
    }
    try {
      SyncOutcome outcome = SyncOptions.zoneSync(settings, new PublishedZone(), Clock.systemUTC())
          .sync(SyncRequest.manual(force, only, progress::bytes));
      progress.done();
      out.println(outcome.describe());
      outcome.attempts().forEach(a -> out.println("  " + a));
      return outcome.result().exitCode();
    } catch (IOException | IllegalArgumentException e) {
      progress.done();
      err.println("rootmirror refresh: " + e.getMessage());
      return 2;
    }
  }
}
