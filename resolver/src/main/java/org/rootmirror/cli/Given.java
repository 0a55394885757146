package org.rootmirror.cli;

import java.util.List;
import java.util.Map;
import org.rootmirror.cli.config.ConfigKey;

/** Collects the options given on a command line by the configuration key they override; null is not given. */
final class Given {
  private Given() {}

  static void put(Map<ConfigKey, List<String>> given, ConfigKey key, String value) {
    if (value != null) {
      given.put(key, List.of(value));
    }
  }

  static void put(Map<ConfigKey, List<String>> given, ConfigKey key, List<String> values) {
    if (values != null && !values.isEmpty()) {
      given.put(key, List.copyOf(values));
    }
  }

  /** A {@code --[no-]x} flag: yes or no. */
  static void put(Map<ConfigKey, List<String>> given, ConfigKey key, Boolean value) {
    if (value != null) {
      given.put(key, List.of(value ? "yes" : "no"));
    }
  }
}
