package org.rootmirror.cli.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A configuration file, parsed: INI-style {@code [section]} lines, {@code key = value} lines,
 * {@code #} comments (at the start of a line or after a blank), blank lines; a repeatable key
 * adds one value per line. Syntax errors (no {@code =}, unknown section or key, a key outside a
 * section, an empty value, a second value for a key that does not repeat) are collected with their
 * line, not thrown; the values themselves are checked by {@link Settings}.
 */
public record ConfigFile(String name, List<Entry> entries, List<ConfigError> errors) {
  /** One {@code key = value} line. */
  public record Entry(ConfigKey key, String value, int line) {}

  public ConfigFile {
    entries = List.copyOf(entries);
    errors = List.copyOf(errors);
  }

  /** No file: every key at its default. */
  public static ConfigFile none() {
    return new ConfigFile(null, List.of(), List.of());
  }

  public static ConfigFile read(Path file) throws IOException {
    return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
  }

  /** @param name how errors name the file */
  public static ConfigFile parse(String name, String text) {
    List<Entry> entries = new ArrayList<>();
    List<ConfigError> errors = new ArrayList<>();
    Map<ConfigKey, Integer> firstLine = new EnumMap<>(ConfigKey.class);
    String section = null;
    boolean skipKeys = false; // under a section already reported as wrong
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int line = i + 1;
      String content = stripComment(lines[i]).strip();
      if (content.isEmpty()) {
        continue;
      }
      if (content.startsWith("[")) {
        if (!content.endsWith("]")) {
          errors.add(new ConfigError(name, line, "a section header wants a closing ]: " + content));
          section = null;
          skipKeys = true; // one error for the header, none for each key under it
          continue;
        }
        section = content.substring(1, content.length() - 1).strip();
        skipKeys = !ConfigKey.SECTIONS.contains(section);
        if (skipKeys) {
          errors.add(new ConfigError(name, line, "unknown section [" + section + "] (known: " + String.join(", ", ConfigKey.SECTIONS) + ")"));
        }
        continue;
      }
      int equals = content.indexOf('=');
      if (equals < 0) {
        errors.add(new ConfigError(name, line, "expected key = value, not \"" + content + "\""));
        continue;
      }
      String key = content.substring(0, equals).strip();
      String value = content.substring(equals + 1).strip();
      if (skipKeys) {
        continue;
      }
      if (section == null) {
        errors.add(new ConfigError(name, line, "\"" + key + "\" is outside a section; put it under " + sectionList()));
        continue;
      }
      Optional<ConfigKey> known = ConfigKey.find(section, key);
      if (known.isEmpty()) {
        errors.add(new ConfigError(name, line, "unknown key \"" + key + "\" in [" + section + "] (known: " + keysOf(section) + ")"));
        continue;
      }
      ConfigKey k = known.get();
      if (value.isEmpty()) {
        errors.add(new ConfigError(name, line, k.key() + " has no value (comment the line out for the default)"));
        continue;
      }
      Integer earlier = firstLine.putIfAbsent(k, line);
      if (earlier != null && !k.repeatable()) {
        errors.add(new ConfigError(name, line, k.key() + " is already set on line " + earlier + " and takes one value"));
        continue;
      }
      entries.add(new Entry(k, value, line));
    }
    return new ConfigFile(name, entries, errors);
  }

  /** The values the file gives {@code key}, in order; empty when it gives none. */
  public List<Entry> entries(ConfigKey key) {
    return entries.stream().filter(e -> e.key() == key).toList();
  }

  /** A {@code #} starts a comment at the start of the line or after a blank, so that "a#b" stays a value. */
  private static String stripComment(String line) {
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  /** "[sync], [mirror], ... or [metrics]". */
  private static String sectionList() {
    List<String> headers = ConfigKey.SECTIONS.stream().map(s -> "[" + s + "]").toList();
    return String.join(", ", headers.subList(0, headers.size() - 1)) + " or " + headers.get(headers.size() - 1);
  }

  private static String keysOf(String section) {
    return String.join(", ", java.util.Arrays.stream(ConfigKey.values())
        .filter(k -> k.section().equals(section) && !k.hidden()).map(ConfigKey::key).toList());
  }
}
