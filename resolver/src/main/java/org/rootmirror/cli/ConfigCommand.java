package org.rootmirror.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rootmirror.cli.config.ConfigException;
import org.rootmirror.cli.config.ConfigFile;
import org.rootmirror.cli.config.ConfigKey;
import org.rootmirror.cli.config.Defaults;
import org.rootmirror.cli.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rootmirror config check|show [FILE]}: checks the configuration file, or prints the effective configuration. */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = "Check the configuration file, or show the configuration it gives.",
    subcommands = {ConfigCommand.Check.class, ConfigCommand.Show.class})
final class ConfigCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "check or show?");
  }

  /** The settings a file gives, or (null and) the exit status once the errors are printed. */
  private record Read(Settings settings, int exit, int errors) {
    Read(Settings settings, int exit) {
      this(settings, exit, 0);
    }
  }

  private static Read read(Path file, PrintWriter err, String command) {
    try {
      return new Read(Settings.resolve(ConfigFile.read(file), Map.of()), 0);
    } catch (NoSuchFileException e) {
      err.println(command + ": no such file: " + file);
      return new Read(null, 2);
    } catch (IOException e) {
      err.println(command + ": cannot read " + file + ": " + e.getMessage());
      return new Read(null, 2);
    } catch (ConfigException e) {
      e.errors().forEach(err::println);
      return new Read(null, 1, e.errors().size());
    }
  }

  /** {@code rootmirror config check [FILE]}. */
  @Command(name = "check", mixinStandardHelpOptions = true,
      description = {"Check a configuration file: every value, every error with its line.",
          "Exit status: 0 valid, 1 not valid (each error as FILE:LINE: message on stderr), 2 usage or I/O error."})
  static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..1", description = "The file (default: " + Defaults.CONFIG_FILE + ").")
    Path file = Path.of(Defaults.CONFIG_FILE);

    @Override
    public Integer call() {
      Read read = read(file, spec.commandLine().getErr(), "rootmirror config check");
      if (read.settings() != null) {
        spec.commandLine().getOut().println(file + ": valid; " + summary(read.settings()));
      } else if (read.exit() == 1) {
        // the one line README promises, after the errors on stderr
        spec.commandLine().getOut().println(file + ": not valid; " + read.errors() + (read.errors() == 1 ? " error" : " errors"));
      }
      return read.exit();
    }
  }

  /** {@code rootmirror config show [FILE]}. */
  @Command(name = "show", mixinStandardHelpOptions = true,
      description = {"Print the configuration a file gives, every key, defaults marked.",
          "Exit status: 0, 1 when the file is not valid, 2 usage or I/O error."})
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..1",
        description = "The file (default: " + Defaults.CONFIG_FILE + " if it exists, else the built-in defaults).")
    Path file;

    @Override
    public Integer call() {
      Path named = file != null ? file : Files.exists(Path.of(Defaults.CONFIG_FILE)) ? Path.of(Defaults.CONFIG_FILE) : null;
      Read read = named == null ? new Read(Settings.defaults(), 0) : read(named, spec.commandLine().getErr(), "rootmirror config show");
      if (read.settings() != null) {
        PrintWriter out = spec.commandLine().getOut();
        out.print(show(read.settings(), named == null ? "the built-in defaults" : named.toString()));
        out.flush();
      }
      return read.exit();
    }
  }

  /** One line: where the resolver, mirror and metrics listen, how many sources; and when there is no root anchor, what that means. */
  static String summary(Settings s) {
    return "resolver on " + String.join(" ", s.text(ConfigKey.RESOLVER_LISTEN))
        + ", mirror on " + String.join(" ", s.text(ConfigKey.MIRROR_LISTEN))
        + ", " + s.sources().size() + (s.sources().size() == 1 ? " source" : " sources")
        + ", metrics " + (s.metricsListen().isPresent() ? "on " + s.text(ConfigKey.METRICS_LISTEN).get(0) : "off")
        + (s.rootAnchorsNone() ? "; no root trust anchor: no local root copy, no mirror, validation only below trust-anchor lines" : "");
  }

  /** The settings in the file's format, each key once per value, defaults marked. */
  static String show(Settings s, String from) {
    StringBuilder out = new StringBuilder("# rootmirror configuration from " + from + "\n");
    for (String section : ConfigKey.SECTIONS) {
      out.append("\n[").append(section).append("]\n");
      for (ConfigKey key : ConfigKey.values()) {
        boolean isDefault = s.origin(key).equals("default");
        if (!key.section().equals(section) || key.hidden() && isDefault) {
          continue;
        }
        if (s.text(key).isEmpty()) {
          out.append("# ").append(key.key()).append(" =  (not set)\n");
        }
        for (String value : s.text(key)) {
          out.append(key.key()).append(" = ").append(value).append(isDefault ? "  # default" : "").append('\n');
        }
      }
    }
    return out.toString();
  }
}
