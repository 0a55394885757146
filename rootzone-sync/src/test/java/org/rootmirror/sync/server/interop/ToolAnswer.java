package org.rootmirror.sync.server.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A response as {@code dig} or {@code kdig} prints it: the status, the header flags, and per
 * section the records, each reduced to its owner and type ({@code "com. NS"}), signatures to the
 * type they cover ({@code "com. RRSIG DS"}), lower case. Both tools print {@code status: X} and
 * {@code flags: ...;} in the header and {@code ;; NAME SECTION:} before each section.
 */
public record ToolAnswer(String status, Set<String> flags, Map<String, Set<String>> sections, String output) {
  private static final Pattern STATUS = Pattern.compile("status: ([A-Z]+)");
  private static final Pattern FLAGS = Pattern.compile("(?i);; flags:([a-z ]*);");
  private static final Pattern SECTION = Pattern.compile(";; ([A-Z]+) SECTION:");

  public static ToolAnswer parse(String output) {
    Matcher status = STATUS.matcher(output);
    Matcher flags = FLAGS.matcher(output);
    if (!status.find() || !flags.find()) {
      throw new AssertionError("no response header in:\n" + output);
    }
    Set<String> flagSet = new TreeSet<>(List.of(flags.group(1).trim().split(" +")));
    Map<String, Set<String>> sections = new TreeMap<>();
    Set<String> current = null;
    for (String line : output.split("\n")) {
      Matcher section = SECTION.matcher(line);
      if (section.find()) {
        current = sections.computeIfAbsent(section.group(1), s -> new TreeSet<>());
      } else if (line.isBlank() || line.startsWith(";")) {
        if (line.isBlank()) {
          current = null;
        }
      } else if (current != null) {
        current.add(ownerAndType(line));
      }
    }
    return new ToolAnswer(status.group(1), flagSet, sections, output);
  }

  /** The records of {@code section} ("ANSWER", "AUTHORITY", "ADDITIONAL"), none when it is absent. */
  public Set<String> section(String section) {
    return sections.getOrDefault(section, Set.of());
  }

  /** Whether {@code section} holds a record of {@code type} ({@code "NS"}, {@code "RRSIG DS"}) whose owner matches {@code ownerRegex}. */
  public boolean has(String section, String ownerRegex, String type) {
    Pattern p = Pattern.compile(ownerRegex + " " + Pattern.quote(type.toLowerCase(Locale.ROOT)));
    return section(section).stream().anyMatch(r -> p.matcher(r).matches());
  }

  private static String ownerAndType(String line) {
    // owner TTL class type rdata...
    String[] f = line.trim().split("\\s+");
    List<String> fields = new ArrayList<>(List.of(f));
    String type = fields.size() > 3 ? fields.get(3) : "?";
    String covered = type.equalsIgnoreCase("RRSIG") && fields.size() > 4 ? " " + fields.get(4) : "";
    return (fields.get(0) + " " + type + covered).toLowerCase(Locale.ROOT);
  }
}
