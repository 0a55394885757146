package org.rootmirror.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rootmirror.cli.config.ConfigKey;
import org.rootmirror.cli.config.Settings;
import org.rootmirror.sync.changes.ChangesJson;
import org.rootmirror.sync.changes.ChangesText;
import org.rootmirror.sync.store.ChangeLog;
import org.xbill.DNS.Serial;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rootmirror changes}: what each published serial of the root zone changed, read from the
 * change log in the state directory (it needs no daemon, and only read access).
 */
@Command(name = "changes", mixinStandardHelpOptions = true,
    description = {"Show what each published serial of the root zone changed: TLDs added and removed, the NS, DS and glue "
        + "records of each TLD added and removed, and the root's DNSKEYs.",
        "Read from " + ChangeLog.FILE + " in the state directory, which keeps the last " + ChangeLog.KEEP_SERIALS + " serials.",
        "Exit status: 0 shown, 1 nothing recorded (or nothing after --since), 2 usage or I/O error."})
final class ChangesCommand implements Callable<Integer> {
  private static final String NAME = "rootmirror changes";

  @Spec CommandSpec spec;
  @Mixin ConfigOption config;
  @Mixin StateOptions options;

  @Option(names = "--since", paramLabel = "SERIAL",
      description = "Only the serials after SERIAL, compared in serial number arithmetic (RFC 1982) as the sync does.")
  String since;

  @Option(names = "--json", description = "The lines as recorded: one JSON object per serial.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long after = -1;
    if (since != null) {
      after = serial(since);
      if (after < 0) {
        err.println(NAME + ": --since: not a zone serial (a whole number from 0 to 4294967295): " + since);
        return 2;
      }
    }
    Map<ConfigKey, List<String>> given = new EnumMap<>(ConfigKey.class);
    options.given(given);
    Settings settings = config.settings(given, err, NAME);
    if (settings == null) {
      return 2;
    }
    ChangeLog.Listing log;
    try {
      log = ChangeLog.read(settings.stateDir());
    } catch (IOException e) {
      boolean denied = e.getCause() instanceof AccessDeniedException;
      err.println(NAME + ": " + e.getMessage() + (denied ? ": run as root or as a member of the rootmirror group" : ""));
      return 2;
    }
    log.warnings().forEach(w -> err.println(NAME + ": " + w));
    String file = settings.stateDir().resolve(ChangeLog.FILE).toString();
    if (log.lines().isEmpty()) {
      err.println(NAME + ": nothing recorded in " + file + ": a line is added at each new serial the sync publishes");
      return 1;
    }
    final long floor = after;
    List<ChangeLog.Line> shown = log.lines().stream().filter(l -> floor < 0 || Serial.compare(l.serial(), floor) > 0).toList();
    if (shown.isEmpty()) {
      err.println(NAME + ": nothing recorded after serial " + since + "; the newest recorded is " + log.lines().getLast().serial());
      return 1;
    }
    int printed = 0;
    for (ChangeLog.Line line : shown) {
      if (json) {
        out.println(line.text());
        printed++;
        continue;
      }
      try {
        ChangesText.lines(ChangesJson.read(line.text())).forEach(out::println);
        printed++;
      } catch (IllegalArgumentException e) {
        err.println(NAME + ": " + file + " line " + line.number() + " (serial " + line.serial() + ") cannot be read: " + e.getMessage()
            + "; skipped");
      }
    }
    return printed > 0 ? 0 : 2;
  }

  /** A zone serial, 0 to 2^32-1 (RFC 1035 section 3.3.13), or -1. */
  private static long serial(String text) {
    if (!text.matches("0|[1-9][0-9]{0,9}")) {
      return -1;
    }
    long n = Long.parseLong(text);
    return n <= 0xFFFF_FFFFL ? n : -1;
  }
}
