package org.rootmirror.sync.control;

import java.net.URI;
import java.util.Locale;

/**
 * A control request, one line: {@code refresh [force] [source=URI]}, {@code status} or
 * {@code status json}.
 */
public record ControlRequest(Command command, boolean force, URI source, boolean json) {
  /** What the client asks. */
  public enum Command {
    REFRESH,
    STATUS
  }

  public static ControlRequest refresh(boolean force, URI source) {
    return new ControlRequest(Command.REFRESH, force, source, false);
  }

  public static ControlRequest status(boolean json) {
    return new ControlRequest(Command.STATUS, false, null, json);
  }

  /** The request as sent on the wire. */
  public String line() {
    return switch (command) {
      case REFRESH -> "refresh" + (force ? " force" : "") + (source != null ? " source=" + source : "");
      case STATUS -> "status" + (json ? " json" : "");
    };
  }

  /** @throws IllegalArgumentException for an unknown command or argument */
  public static ControlRequest parse(String line) {
    String[] words = line.strip().split("\\s+");
    Command command;
    try {
      command = Command.valueOf(words[0].toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown command '" + words[0] + "'");
    }
    boolean force = false;
    boolean json = false;
    URI source = null;
    for (int i = 1; i < words.length; i++) {
      String w = words[i];
      if (command == Command.REFRESH && w.equals("force")) {
        force = true;
      } else if (command == Command.REFRESH && w.startsWith("source=")) {
        source = URI.create(w.substring("source=".length()));
      } else if (command == Command.STATUS && w.equals("json")) {
        json = true;
      } else {
        throw new IllegalArgumentException("unknown argument '" + w + "' to " + words[0]);
      }
    }
    return new ControlRequest(command, force, source, json);
  }
}
