package org.rootmirror.sync.control;

import java.util.List;
import java.util.Map;

/**
 * Writes the JSON that {@code --json} outputs print (RFC 8259): objects from maps kept in their
 * order, lists, strings, numbers, booleans and null; anything else as its string.
 */
public final class Json {
  private Json() {}

  /** {@code fields} as one JSON object on one line. */
  public static String object(Map<String, ?> fields) {
    StringBuilder sb = new StringBuilder();
    value(sb, fields);
    return sb.toString();
  }

  private static void value(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Number || v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof Map<?, ?> map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        sb.append(first ? "" : ",").append('"').append(escape(e.getKey().toString())).append("\":");
        value(sb, e.getValue());
        first = false;
      }
      sb.append('}');
    } else if (v instanceof List<?> list) {
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        sb.append(i == 0 ? "" : ",");
        value(sb, list.get(i));
      }
      sb.append(']');
    } else {
      sb.append('"').append(escape(v.toString())).append('"');
    }
  }

  /** RFC 8259 section 7 string escaping. */
  private static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }
}
