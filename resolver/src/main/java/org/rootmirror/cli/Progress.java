package org.rootmirror.cli;

import java.io.PrintWriter;

/** Download progress on one terminal line, shown only when a person is watching. */
final class Progress {
  private final PrintWriter out;
  private final boolean enabled;
  private boolean shown;

  private Progress(PrintWriter out, boolean enabled) {
    this.out = out;
    this.enabled = enabled;
  }

  /** Shows progress on {@code out} when the process has a terminal (System.console()). */
  static Progress forTerminal(PrintWriter out) {
    return new Progress(out, interactive());
  }

  /**
   * On JDK 21 a console exists only on a terminal; from JDK 22 it may exist when redirected too,
   * and Console.isTerminal() (new in 22) tells, so it is called when present.
   */
  private static boolean interactive() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  void bytes(long received, long total) {
    if (!enabled) {
      return;
    }
    String text = total > 0
        ? String.format("\rfetching: %,d of %,d bytes (%d%%)", received, total, received * 100 / total)
        : String.format("\rfetching: %,d bytes", received);
    out.print(text);
    out.flush();
    shown = true;
  }

  /** A {@code progress RECEIVED TOTAL} line relayed from the daemon. */
  void line(String line) {
    String[] f = line.split(" ");
    if (f.length == 3) {
      bytes(Long.parseLong(f[1]), Long.parseLong(f[2]));
    }
  }

  void done() {
    if (shown) {
      out.println();
      shown = false;
    }
  }
}
