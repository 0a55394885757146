package org.rootmirror.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.rootmirror.cli.config.ConfigError;
import org.rootmirror.cli.config.ConfigException;
import org.rootmirror.cli.config.ConfigFile;
import org.rootmirror.cli.config.ConfigKey;
import org.rootmirror.cli.config.Defaults;
import org.rootmirror.cli.config.Settings;
import picocli.CommandLine.Option;

/** {@code --config FILE}: the configuration file whose values the command-line options override. */
final class ConfigOption {
  @Option(names = "--config", paramLabel = "FILE",
      description = "Configuration file; the options given here override it (default: " + Defaults.CONFIG_FILE + " if it exists).")
  Path config;

  /**
   * The file named, else {@code defaultFile} when it exists, with the command line's values over it.
   * Prints every error to {@code err}, prefixed with {@code command}, and returns null when there is one.
   */
  Settings settings(Map<ConfigKey, List<String>> commandLine, Path defaultFile, PrintWriter err, String command) {
    Path file = config != null ? config : Files.exists(defaultFile) ? defaultFile : null;
    try {
      return Settings.resolve(file == null ? ConfigFile.none() : ConfigFile.read(file), commandLine);
    } catch (NoSuchFileException e) {
      err.println(command + ": configuration file not found: " + file);
    } catch (IOException e) {
      err.println(command + ": cannot read " + file + ": " + e.getMessage());
    } catch (ConfigException e) {
      print(e.errors(), err, command);
    }
    return null;
  }

  Settings settings(Map<ConfigKey, List<String>> commandLine, PrintWriter err, String command) {
    return settings(commandLine, Path.of(Defaults.CONFIG_FILE), err, command);
  }

  /** The command line's values over the defaults, no file: for the commands without {@code --config}. */
  static Settings commandLineOnly(Map<ConfigKey, List<String>> commandLine, PrintWriter err, String command) {
    try {
      return Settings.resolve(ConfigFile.none(), commandLine);
    } catch (ConfigException e) {
      print(e.errors(), err, command);
      return null;
    }
  }

  private static void print(List<ConfigError> errors, PrintWriter err, String command) {
    // FILE:LINE: first, as compilers write, so that editors jump to the line; command-line errors name their option
    errors.forEach(e -> err.println(e.file() != null ? e.toString() : command + ": " + e));
  }
}
