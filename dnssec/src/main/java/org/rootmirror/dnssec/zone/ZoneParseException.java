package org.rootmirror.dnssec.zone;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A zone file that could not be parsed, with the line where parsing stopped. */
public final class ZoneParseException extends IOException {
  // dnsjava's tokenizer reports "<file>:<line>: <message>"
  private static final Pattern LOCATED = Pattern.compile("^(?:.*?):(\\d+): (.*)$", Pattern.DOTALL);

  private final String source;
  private final int line;

  public ZoneParseException(String source, int line, String reason, Throwable cause) {
    super(source + ":" + (line > 0 ? line + ": " : " ") + reason, cause);
    this.source = source;
    this.line = line;
  }

  static ZoneParseException from(String source, IOException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Matcher m = LOCATED.matcher(message);
    if (m.matches()) {
      return new ZoneParseException(source, Integer.parseInt(m.group(1)), m.group(2), e);
    }
    return new ZoneParseException(source, 0, message, e);
  }

  /** The file or stream that was being read. */
  public String source() {
    return source;
  }

  /** The 1-based line number, or 0 when unknown. */
  public int line() {
    return line;
  }
}
