package org.rootmirror.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code rootmirror}. Exit codes: 0 success, 1 failure found, 2 usage or I/O error. */
@Command(
    name = "rootmirror",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "A validated local copy of the DNS root zone (RFC 8806) and a resolver that prefers it.",
    subcommands = {
      VerifyCommand.class,
      AnchorCommand.class,
      RefreshCommand.class,
      StatusCommand.class,
      RunCommand.class,
      ConfigCommand.class,
      SyncDaemonCommand.class,
      ServeZoneCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  static {
    JournalLogging.useWhenStderrIsTheJournal(); // before any class makes its logger
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (for tests, which must not exit the JVM). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(new Failures());
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }
}
