package org.rootmirror.cli.config;

/**
 * One problem with the configuration: {@code FILE:LINE: message} for the file, the option name
 * in the message for the command line ({@code file} null, {@code line} 0).
 */
public record ConfigError(String file, int line, String message) {
  @Override
  public String toString() {
    return file == null ? message : file + ":" + line + ": " + message;
  }
}
