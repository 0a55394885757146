package org.rootmirror.cli.config;

import java.util.List;

/** The configuration is not valid; {@link #errors()} lists every problem found, file errors in line order. */
public final class ConfigException extends Exception {
  private final List<ConfigError> errors;

  public ConfigException(List<ConfigError> errors) {
    super(errors.size() + (errors.size() == 1 ? " error: " : " errors, the first: ") + errors.get(0));
    this.errors = List.copyOf(errors);
  }

  public List<ConfigError> errors() {
    return errors;
  }
}
