package org.rootmirror.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rootmirror.cli.config.ConfigKey;
import org.rootmirror.cli.config.Settings;
import org.rootmirror.sync.control.ControlClient;
import org.rootmirror.sync.control.ControlRequest;
import org.rootmirror.sync.control.StatusView;
import org.rootmirror.sync.store.StoredZone;
import org.rootmirror.sync.store.ZoneStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rootmirror status}: what is served, from where, how old, when the next check is. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Show the zone served and the state of the sync.",
        "Asks the running daemon; without one, shows what the state directory holds."})
final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;
  @Mixin StateOptions options; // status fetches nothing: no source or acceptance options

  @Option(names = "--json", description = "One JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<ConfigKey, List<String>> given = new EnumMap<>(ConfigKey.class);
    options.given(given);
    Settings settings = config.settings(given, err, "rootmirror status");
    if (settings == null) {
      return 2;
    }
    try {
      return ControlClient.send(SyncOptions.socket(settings), ControlRequest.status(json), out::println);
    } catch (IOException noDaemon) {
      // fall through: read the state directory
      if (SyncOptions.deniedReason(settings, noDaemon).isPresent()) {
        spec.commandLine().getErr().println("rootmirror status: " + SyncOptions.deniedReason(settings, noDaemon).get());
        return 2;
      }
    }
    if (settings.rootAnchorsNone()) {
      // run keeps no copy then: what the state directory holds is not served
      out.println(json ? SyncOptions.noRootAnchorJson(settings, Instant.now()) : "no daemon running; " + SyncOptions.noRootAnchorSummary(settings));
      return 0;
    }
    try {
      StoredZone newest = new ZoneStore(settings.stateDir()).newest().orElse(null);
      StatusView view = new StatusView(newest == null ? null : newest.metadata(), false, null, null, Instant.now());
      out.println(json ? view.json() : "no daemon running; state directory " + settings.stateDir() + ":\n" + view.text().stripTrailing());
      return 0;
    } catch (IOException e) {
      err.println("rootmirror status: " + e.getMessage());
      return 2;
    }
  }
}
