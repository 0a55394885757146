package org.rootmirror.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line reads the command it runs, and help still names them all. */
class MainTest {
  private static final List<String> COMMANDS =
      List.of("verify", "anchor", "refresh", "status", "changes", "run", "config", "sync-daemon", "serve-zone", "help");

  @Test
  void theWholeCommandLineHasEveryCommandInOrder() {
    assertEquals(COMMANDS, List.copyOf(Main.commandLine().getSubcommands().keySet()));
  }

  @Test
  void helpListsEveryCommand() {
    Output out = run("--help");
    assertEquals(0, out.code, out.text);
    for (String command : COMMANDS) {
      assertTrue(out.text.contains("\n  " + command + " "), command + " missing from:\n" + out.text);
    }
  }

  @Test
  void helpOfOneCommandFindsIt() {
    Output out = run("help", "run");
    assertEquals(0, out.code, out.text);
    assertTrue(out.text.startsWith("Usage: rootmirror run "), out.text);
  }

  @Test
  void aCommandsOwnHelpNamesItsParent() {
    Output out = run("status", "--help");
    assertEquals(0, out.code, out.text);
    assertTrue(out.text.startsWith("Usage: rootmirror status "), out.text);
  }

  @Test
  void aMistypedCommandIsAUsageErrorThatSuggestsTheRightOne() {
    Output out = run("rn");
    assertEquals(2, out.code, out.text);
    assertTrue(out.text.contains("run"), out.text);
  }

  private record Output(int code, String text) {}

  private static Output run(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = System.out;
    PrintStream err = System.err;
    PrintStream both = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    System.setOut(both);
    System.setErr(both);
    try {
      return new Output(Main.run(args), bytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
