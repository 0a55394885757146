package org.rootmirror.cli;

import java.util.List;
import java.util.Map;
import org.rootmirror.cli.config.ConfigKey;
import org.rootmirror.cli.config.Defaults;
import picocli.CommandLine.Option;

/**
 * Where a daemon's state lives, and whether it keeps a root copy at all: the options of
 * {@code status}, which asks the daemon or reads its state directory and fetches nothing. The
 * sync commands take them too, within {@link SyncOptions}. Null means not given.
 */
final class StateOptions {
  @Option(names = "--state-dir", paramLabel = "DIR", description = "Where validated zones are kept (default: " + Defaults.STATE_DIR + ").")
  String stateDir;

  @Option(names = "--runtime-dir", paramLabel = "DIR", description = "Where the daemon's control socket lives (default: " + Defaults.RUNTIME_DIR + ").")
  String runtimeDir;

  @Option(names = "--anchors", paramLabel = "FILE|none",
      description = "Root trust anchors (default: the built-in ones); none: no root anchor, so no local root copy and no validation "
          + "but below --trust-anchor.")
  String anchors;

  /** Adds the options given to {@code given}, by the key they override. */
  void given(Map<ConfigKey, List<String>> given) {
    Given.put(given, ConfigKey.STATE_DIR, stateDir);
    Given.put(given, ConfigKey.RUNTIME_DIR, runtimeDir);
    Given.put(given, ConfigKey.ANCHORS, anchors);
  }
}
