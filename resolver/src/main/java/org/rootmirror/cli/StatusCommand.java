package org.rootmirror.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.rootmirror.cli.config.ConfigKey;
import org.rootmirror.cli.config.Settings;
import org.rootmirror.sync.control.ControlRequest;
import org.rootmirror.sync.control.StatusView;
import org.rootmirror.sync.store.StoredZone;
import org.rootmirror.sync.store.ZoneStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rootmirror status}: what is served, from where, how old, when the next check is. Exit
 * status 0 a valid zone is served, 1 none is, 3 no daemon answers (then it shows what the state
 * directory holds), 2 usage or permission error.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Show the zone served and the state of the sync.",
        "Asks the running daemon; without one, shows what the state directory holds.",
        "Exit status: 0 a valid zone is served, 1 none is (never synced, expired, withdrawn), 2 usage or permission error, "
            + "3 no daemon answers."})
final class StatusCommand implements Callable<Integer> {
  /** The exit status when no daemon answers. */
  static final int NO_DAEMON = 3;

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
    String noDaemon;
    try {
      OptionalInt code = DaemonLink.send(settings, ControlRequest.status(json), out::println);
      if (code.isPresent()) {
        return code.getAsInt();
      }
      noDaemon = "no daemon answers on " + SyncOptions.socket(settings);
    } catch (DaemonLink.Unreachable e) {
      if (e.denied()) {
        err.println("rootmirror status: " + e.getMessage());
        return 2;
      }
      noDaemon = e.getMessage();
    }
    if (settings.rootAnchorsNone()) {
      // run keeps no copy then: what the state directory holds is not served
      out.println(json ? SyncOptions.noRootAnchorJson(settings, Instant.now()) : noDaemon + "; " + SyncOptions.noRootAnchorSummary(settings));
      return NO_DAEMON;
    }
    try {
      StoredZone newest = new ZoneStore(settings.stateDir()).newest().orElse(null);
      StatusView view = StatusView.stored(newest == null ? null : newest.metadata(), Instant.now(), noDaemon + ": nothing is served");
      out.println(json ? view.json() : noDaemon + "; state directory " + settings.stateDir() + ":\n" + view.text().stripTrailing());
      return NO_DAEMON;
    } catch (IOException e) {
      err.println("rootmirror status: " + e.getMessage());
      return 2;
    }
  }
}
