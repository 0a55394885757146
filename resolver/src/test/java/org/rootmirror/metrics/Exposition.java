package org.rootmirror.metrics;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4, for tests: every line is {@code # HELP},
 * {@code # TYPE} or a sample {@code name{labels} value}; every sample belongs to a metric whose
 * HELP and TYPE came before it; a name has one TYPE. Samples are keyed with labels sorted by
 * name, so lookups do not depend on the order the writer chose.
 */
public final class Exposition {
  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
  private static final Pattern SAMPLE = Pattern.compile(
      "(" + NAME + ")(?:\\{(" + LABEL + "(?:," + LABEL + ")*,?)?\\})? (\\S+)(?: -?[0-9]+)?");
  private static final Pattern ONE_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
  private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");

  private final Map<String, Double> samples;
  private final Map<String, String> types;

  private Exposition(Map<String, Double> samples, Map<String, String> types) {
    this.samples = samples;
    this.types = types;
  }

  /** Reads {@code text}, failing with the line on anything outside the format. */
  public static Exposition parse(String text) {
    Map<String, Double> samples = new LinkedHashMap<>();
    Map<String, String> types = new LinkedHashMap<>();
    Set<String> helped = new HashSet<>();
    int number = 0;
    for (String line : text.split("\n", -1)) {
      number++;
      if (line.isEmpty()) {
        continue;
      }
      Matcher m;
      if ((m = HELP.matcher(line)).matches()) {
        if (!helped.add(m.group(1))) {
          throw new AssertionError("line " + number + ": second HELP for " + m.group(1));
        }
      } else if ((m = TYPE.matcher(line)).matches()) {
        if (types.put(m.group(1), m.group(2)) != null) {
          throw new AssertionError("line " + number + ": second TYPE for " + m.group(1));
        }
      } else if ((m = SAMPLE.matcher(line)).matches()) {
        String name = m.group(1);
        if (!types.containsKey(name) || !helped.contains(name)) {
          throw new AssertionError("line " + number + ": sample before the HELP and TYPE of " + name + ": " + line);
        }
        double value = switch (m.group(3)) {
          case "+Inf" -> Double.POSITIVE_INFINITY;
          case "-Inf" -> Double.NEGATIVE_INFINITY;
          case "NaN" -> Double.NaN;
          default -> Double.parseDouble(m.group(3));
        };
        if (samples.put(key(name, labels(m.group(2))), value) != null) {
          throw new AssertionError("line " + number + ": repeated sample " + line);
        }
      } else {
        throw new AssertionError("line " + number + " is not in the text format: \"" + line + "\"");
      }
    }
    return new Exposition(samples, types);
  }

  private static Map<String, String> labels(String text) {
    Map<String, String> labels = new TreeMap<>();
    if (text != null) {
      Matcher m = ONE_LABEL.matcher(text);
      while (m.find()) {
        labels.put(m.group(1), m.group(2));
      }
    }
    return labels;
  }

  private static String key(String name, Map<String, String> labels) {
    StringBuilder sb = new StringBuilder(name);
    if (!labels.isEmpty()) {
      sb.append('{');
      labels.forEach((k, v) -> sb.append(k).append("=\"").append(v).append("\","));
      sb.setLength(sb.length() - 1);
      sb.append('}');
    }
    return sb.toString();
  }

  /** The TYPE given for {@code name}, or null. */
  public String type(String name) {
    return types.get(name);
  }

  /** Whether a sample of {@code name} (with any labels) is present. */
  public boolean has(String name) {
    return samples.keySet().stream().anyMatch(k -> k.equals(name) || k.startsWith(name + "{"));
  }

  /** The value of {@code name} with the label pairs given as {@code "label", "value", ...}; fails when absent. */
  public double value(String name, String... labelPairs) {
    Map<String, String> labels = new TreeMap<>();
    for (int i = 0; i < labelPairs.length; i += 2) {
      labels.put(labelPairs[i], labelPairs[i + 1]);
    }
    String key = key(name, labels);
    Double v = samples.get(key);
    if (v == null) {
      throw new AssertionError("no sample " + key + " in " + samples.keySet());
    }
    return v;
  }

  /** Every sample, keyed {@code name{label="value",...}} with labels sorted. */
  public Map<String, Double> samples() {
    return Map.copyOf(samples);
  }
}
