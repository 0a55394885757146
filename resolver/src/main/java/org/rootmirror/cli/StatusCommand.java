package org.rootmirror.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
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
  @Mixin SyncOptions options;

  @Option(names = "--json", description = "One JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      return ControlClient.send(options.socket(), ControlRequest.status(json), out::println);
    } catch (IOException noDaemon) {
      // fall through: read the state directory
      if (options.deniedReason(noDaemon).isPresent()) {
        spec.commandLine().getErr().println("rootmirror status: " + options.deniedReason(noDaemon).get());
        return 2;
      }
    }
    try {
      StoredZone newest = new ZoneStore(options.stateDir).newest().orElse(null);
      StatusView view = new StatusView(newest == null ? null : newest.metadata(), false, null, null, Instant.now());
      out.println(json ? view.json() : "no daemon running; state directory " + options.stateDir + ":\n" + view.text().stripTrailing());
      return 0;
    } catch (IOException e) {
      spec.commandLine().getErr().println("rootmirror status: " + e.getMessage());
      return 2;
    }
  }
}
