package org.rootmirror.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.rootmirror.cli.config.ConfigKey;
import org.rootmirror.cli.config.Settings;
import org.rootmirror.sync.accept.SyncOutcome;
import org.rootmirror.sync.accept.SyncRequest;
import org.rootmirror.sync.control.ControlRequest;
import org.rootmirror.sync.store.PublishedZone;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rootmirror refresh}: sync now. Asks the running daemon through its control socket (found
 * from the runtime directory, or from the note the daemon leaves in the state directory); with no
 * daemon, does one sync itself in the state directory, under the same writer lock. The
 * configuration file gives the runtime and state directories and the sources.
 */
@Command(name = "refresh", mixinStandardHelpOptions = true,
    description = {"Fetch and validate the root zone now.",
        "Exit status: 0 updated or unchanged, 1 failed (the zone held keeps serving), 2 usage or I/O error, "
            + "3 busy (a sync is under way, or the daemon serving the state directory does not answer)."})
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
      OptionalInt code = DaemonLink.send(settings, ControlRequest.refresh(force, only), line -> {
        if (line.startsWith("progress ")) {
          progress.line(line);
        } else {
          progress.done();
          out.println(line);
        }
      });
      if (code.isPresent()) {
        return code.getAsInt();
      }
      // no daemon serves the state directory: do the sync here
    } catch (DaemonLink.Unreachable e) {
      // a daemon serves it but cannot be asked: a second sync beside it is never right
      err.println("rootmirror refresh: " + e.getMessage());
      return e.denied() ? 2 : 3;
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
