package org.rootmirror.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code rootmirror}. Exit codes: 0 success, 1 failure found, 2 usage or I/O error. */
@Command(
    name = "rootmirror",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "A validated local copy of the DNS root zone (RFC 8806) and a resolver that prefers it.")
public final class Main implements Runnable {
  /** The commands, in the order the help lists them. */
  private static final List<Class<?>> COMMANDS = List.of(VerifyCommand.class, AnchorCommand.class, RefreshCommand.class,
      StatusCommand.class, ChangesCommand.class, RunCommand.class, ConfigCommand.class, SyncDaemonCommand.class, ServeZoneCommand.class,
      CommandLine.HelpCommand.class);

  static {
    JournalLogging.useWhenStderrIsTheJournal(); // before any class makes its logger
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (for tests, which must not exit the JVM). */
  public static int run(String... args) {
    return commandLine(args.length == 0 ? "" : args[0]).execute(args);
  }

  /** The whole command line, every command in it. */
  static CommandLine commandLine() {
    return commandLine("");
  }

  /**
   * The command line with only the command named {@code first}, when there is one by that name
   * (but {@code help}, which names the others), else with all: picocli reads every option of every
   * command it is given, at a cost a cold JVM feels in the start of {@code run} (issue 11).
   */
  private static CommandLine commandLine(String first) {
    CommandLine cli = new CommandLine(new Main());
    List<Class<?>> named = first.equals("help") ? List.of()
        : COMMANDS.stream().filter(c -> c.getAnnotation(Command.class).name().equals(first)).toList();
    for (Class<?> command : named.isEmpty() ? COMMANDS : named) {
      cli.addSubcommand(command);
    }
    // after the commands are added: picocli passes such settings to the commands it has then
    return cli.setCaseInsensitiveEnumValuesAllowed(true).setExecutionExceptionHandler(new Failures());
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }
}
