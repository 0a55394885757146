package org.rootmirror.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.simple.SimpleLogger;
import org.slf4j.simple.SimpleLoggerFactory;
import org.slf4j.simple.SimpleServiceProvider;

/**
 * Log lines the systemd journal files at their level: when stderr is the journal's stream, each
 * line starts with the syslog priority of sd-daemon(3) ({@code <3>} error, {@code <4>} warning,
 * {@code <6>} info, {@code <7>} debug), which journald strips and records, and no timestamp (the
 * journal adds its own). Otherwise slf4j-simple logs as configured in simplelogger.properties,
 * each line starting with the time.
 */
public final class JournalLogging extends SimpleServiceProvider {
  private static final String SHOW_DATE_TIME = "org.slf4j.simpleLogger.showDateTime";
  private ILoggerFactory factory;

  /** Called by slf4j, which instantiates the provider named in {@code slf4j.provider}. */
  public JournalLogging() {}

  /**
   * Makes slf4j use this provider when {@code JOURNAL_STREAM} names this process's stderr. Must run
   * before the first logger is made.
   */
  static void useWhenStderrIsTheJournal() {
    if (System.getProperty("slf4j.provider") == null && stderrIsTheJournal(System.getenv("JOURNAL_STREAM"), Path.of("/proc/self/fd/2"))) {
      System.setProperty("slf4j.provider", JournalLogging.class.getName());
      System.setProperty(SHOW_DATE_TIME, "false"); // system properties win over simplelogger.properties
      // slf4j announces an explicitly chosen provider at its INFO level, once per start
      System.setProperty("slf4j.internal.verbosity", System.getProperty("slf4j.internal.verbosity", "WARN"));
    }
  }

  /**
   * systemd.exec(5): JOURNAL_STREAM is "DEVICE:INODE" of the stream connected to the journal; it
   * is inherited by children whose stderr may go elsewhere, so it counts only when it matches
   * {@code stderr}'s device and inode.
   */
  static boolean stderrIsTheJournal(String journalStream, Path stderr) {
    if (journalStream == null) {
      return false;
    }
    String[] parts = journalStream.strip().split(":");
    if (parts.length != 2) {
      return false;
    }
    try {
      long dev = Long.parseUnsignedLong(parts[0]);
      long ino = Long.parseUnsignedLong(parts[1]);
      return ((Number) Files.getAttribute(stderr, "unix:dev")).longValue() == dev
          && ((Number) Files.getAttribute(stderr, "unix:ino")).longValue() == ino;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false; // not Linux, or no such stream: plain lines
    }
  }

  @Override
  public void initialize() {
    super.initialize();
    factory = new SimpleLoggerFactory() {
      @Override
      protected Logger createLogger(String name) {
        return new JournalLogger(name);
      }
    };
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return factory;
  }

  /** slf4j-simple's logger with the priority in front of the level, which starts each line (no time, no thread name). */
  static final class JournalLogger extends SimpleLogger {
    JournalLogger(String name) {
      super(name);
    }

    @Override
    protected String renderLevel(int level) {
      String priority = level >= LOG_LEVEL_ERROR ? "<3>" : level >= LOG_LEVEL_WARN ? "<4>" : level >= LOG_LEVEL_INFO ? "<6>" : "<7>";
      return priority + super.renderLevel(level);
    }
  }
}
