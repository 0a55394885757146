package org.rootmirror.resolver.deckard;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One Deckard scenario file (doc/scenario_guide.rst): the CONFIG block as key/value pairs, the
 * RANGEs that stand for the authoritative servers, and the STEPs to play. Parsed as Deckard's own
 * reader does: ';' starts a comment outside quotes, tokens are separated by blanks, each record
 * is one line.
 */
record Scenario(String name, List<Config> config, List<Range> ranges, List<Step> steps) {

  /** One {@code key: value} line of the CONFIG block, quotes and '#' comments removed. */
  record Config(String key, String value) {}

  /** Answers for queries sent to {@code addresses} (any address when empty) during steps from..to. */
  record Range(int from, int to, Set<InetAddress> addresses, List<Entry> entries) {
    boolean eligible(int step, InetAddress address) {
      return from <= step && step <= to && (address == null || addresses.isEmpty() || addresses.contains(address));
    }
  }

  /** One step: QUERY, CHECK_ANSWER, TIME_PASSES (by {@code elapse} seconds), REPLY, CHECK_OUT_QUERY. */
  record Step(int id, String type, long elapse, Entry entry, int line) {}

  static Scenario read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    return new Parser(file.getFileName().toString(), lines).parse();
  }

  /** The values of every CONFIG line with this key, in file order. */
  List<String> values(String key) {
    return config.stream().filter(c -> c.key().equals(key)).map(Config::value).toList();
  }

  String value(String key) {
    List<String> all = values(key);
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  private static final class Parser {
    private final String name;
    private final List<String> lines;
    private int at;

    Parser(String name, List<String> lines) {
      this.name = name;
      this.lines = lines;
    }

    Scenario parse() {
      List<Config> config = new ArrayList<>();
      for (; at < lines.size(); at++) {
        String line = lines.get(at).strip();
        if (line.equals("CONFIG_END")) {
          at++;
          break;
        }
        if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
          continue;
        }
        int hash = line.indexOf('#');
        if (hash >= 0) {
          line = line.substring(0, hash);
        }
        int colon = line.indexOf(':');
        if (colon < 0) {
          throw error("a CONFIG line without ':'");
        }
        String value = line.substring(colon + 1).strip();
        int semicolon = value.indexOf(';');
        if (semicolon >= 0 && !value.startsWith("\"")) {
          value = value.substring(0, semicolon).strip();
        }
        config.add(new Config(line.substring(0, colon).strip(), unquote(value)));
      }
      List<Range> ranges = new ArrayList<>();
      List<Step> steps = new ArrayList<>();
      List<String> tokens;
      while ((tokens = next()) != null) {
        switch (tokens.get(0)) {
          case "SCENARIO_BEGIN" -> {}
          case "SCENARIO_END" -> {
            return new Scenario(name, config, ranges, steps);
          }
          case "RANGE_BEGIN" -> ranges.add(range(tokens));
          case "STEP" -> steps.add(step(tokens));
          default -> throw error("unexpected " + tokens.get(0));
        }
      }
      throw error("no SCENARIO_END");
    }

    private Range range(List<String> head) {
      int from = Integer.parseInt(head.get(1));
      int to = Integer.parseInt(head.get(2));
      Set<InetAddress> addresses = new LinkedHashSet<>();
      if (head.size() > 3) {
        addresses.add(Entry.address(head.get(3))); // RANGE_BEGIN from to [address]
      }
      List<Entry> entries = new ArrayList<>();
      List<String> tokens;
      while ((tokens = next()) != null) {
        switch (tokens.get(0)) {
          case "ADDRESS" -> addresses.add(Entry.address(tokens.get(1)));
          case "ENTRY_BEGIN" -> entries.add(entry());
          case "RANGE_END" -> {
            return new Range(from, to, addresses, entries);
          }
          default -> throw error("unexpected " + tokens.get(0) + " in a RANGE");
        }
      }
      throw error("no RANGE_END");
    }

    private Step step(List<String> head) {
      int line = at;
      int id = Integer.parseInt(head.get(1));
      String type = head.get(2);
      long elapse = 0;
      if (type.equals("TIME_PASSES")) {
        if (head.size() < 5 || !head.get(3).equals("ELAPSE")) {
          throw error("TIME_PASSES without ELAPSE seconds");
        }
        elapse = Long.parseLong(head.get(4));
      }
      Entry entry = null;
      if (!type.equals("TIME_PASSES")) {
        List<String> tokens = peek();
        if (tokens != null && tokens.get(0).equals("ENTRY_BEGIN")) {
          next();
          entry = entry();
        }
      }
      return new Step(id, type, elapse, entry, line);
    }

    private Entry entry() {
      Entry.Builder entry = new Entry.Builder();
      String section = null;
      List<String> tokens;
      while ((tokens = next()) != null) {
        String op = tokens.get(0);
        switch (op) {
          case "ENTRY_END" -> {
            return entry.build();
          }
          case "MATCH" -> entry.match(tokens.subList(1, tokens.size()));
          case "ADJUST" -> entry.adjust(tokens.subList(1, tokens.size()));
          // FLAGS: an older spelling of a query's REPLY line (its flags) that some files use
          case "REPLY", "FLAGS" -> entry.reply(tokens.subList(1, tokens.size()));
          case "SECTION" -> section = tokens.get(1).toUpperCase();
          case "RAW" -> {
            List<String> data = next();
            entry.raw(data == null ? "" : String.join("", data));
          }
          case "MANDATORY", "TSIG", "EDNS" -> {}
          default -> {
            if (section == null) {
              throw error("a record outside a SECTION: " + String.join(" ", tokens));
            }
            try {
              entry.record(section, tokens);
            } catch (RuntimeException e) {
              throw error(e.getMessage());
            }
          }
        }
      }
      throw error("no ENTRY_END");
    }

    private List<String> peek() {
      int saved = at;
      List<String> tokens = next();
      at = saved;
      return tokens;
    }

    /** The next non-empty line as tokens, comments removed (outside quotes, as Deckard's get_next). */
    private List<String> next() {
      while (at < lines.size()) {
        String line = stripComment(lines.get(at++)).strip();
        if (!line.isEmpty()) {
          return List.of(line.split("\\s+"));
        }
      }
      return null;
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException(name + ":" + at + ": " + what);
    }
  }

  static String stripComment(String line) {
    boolean quoted = false;
    boolean escaped = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\') {
        escaped = !escaped;
        continue;
      }
      if (!escaped && c == '"') {
        quoted = !quoted;
      }
      if (c == ';' && !quoted) {
        return line.substring(0, i);
      }
      escaped = false;
    }
    return line;
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }
}
