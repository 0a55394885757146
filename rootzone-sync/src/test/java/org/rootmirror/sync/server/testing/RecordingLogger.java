package org.rootmirror.sync.server.testing;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * An slf4j logger that keeps every line logged to it, formatted, with its level and exception:
 * for tests of what the servers log. Enabled from {@code lowest} up.
 */
public final class RecordingLogger extends LegacyAbstractLogger {
  /** One logged line. */
  public record Line(Level level, String text, Throwable thrown) {}

  private final Level lowest;
  private final List<Line> lines = new ArrayList<>();

  public RecordingLogger(Level lowest) {
    this.name = "recording";
    this.lowest = lowest;
  }

  /** Every line so far, in order. */
  public synchronized List<Line> lines() {
    return List.copyOf(lines);
  }

  /** The lines at {@code level}, as text. */
  public synchronized List<String> texts(Level level) {
    return lines.stream().filter(l -> l.level() == level).map(Line::text).toList();
  }

  private boolean enabled(Level level) {
    return level.toInt() >= lowest.toInt();
  }

  @Override
  public boolean isTraceEnabled() {
    return enabled(Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return enabled(Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return enabled(Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return enabled(Level.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return enabled(Level.ERROR);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected synchronized void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
      Throwable throwable) {
    lines.add(new Line(level, MessageFormatter.basicArrayFormat(pattern, arguments), throwable));
  }
}
