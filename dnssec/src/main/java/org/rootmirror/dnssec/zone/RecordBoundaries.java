package org.rootmirror.dnssec.zone;

/**
 * Finds places where master-file text can be cut so that each piece parses alone exactly as it
 * would in place: the start of a line that names its owner (not a continuation, not inside
 * parentheses or quotes). Directives ($ORIGIN, $TTL, ...) carry state across lines, so text with
 * any of them is not cut at all.
 */
final class RecordBoundaries {
  private RecordBoundaries() {}

  /**
   * Offsets {@code 0 = c[0] < c[1] < ... < c[k] = text.length} of up to {@code parts} pieces, or
   * null when the text cannot be cut.
   */
  static int[] split(byte[] text, int parts) {
    int[] cuts = new int[parts + 1];
    int found = 1;
    int depth = 0;
    boolean quoted = false;
    boolean comment = false;
    boolean lineStart = true;
    for (int i = 0; i < text.length; i++) {
      byte b = text[i];
      if (lineStart) {
        lineStart = false;
        if (depth == 0 && !quoted) {
          if (b == '$') {
            return null;
          }
          boolean ownerNamed = b != ' ' && b != '\t' && b != ';' && b != '\n' && b != '\r';
          if (ownerNamed && found < parts && i >= (long) text.length * found / parts) {
            cuts[found++] = i;
          }
        }
      }
      if (comment) {
        if (b == '\n') {
          comment = false;
          lineStart = true;
        }
      } else if (quoted) {
        if (b == '\\') {
          i++;
        } else if (b == '"') {
          quoted = false;
        } else if (b == '\n') {
          lineStart = true;
        }
      } else {
        switch (b) {
          case '"' -> quoted = true;
          case ';' -> comment = true;
          case '(' -> depth++;
          case ')' -> depth--;
          case '\\' -> i++;
          case '\n' -> lineStart = true;
          default -> { }
        }
      }
    }
    if (found == 1) {
      return null;
    }
    int[] result = java.util.Arrays.copyOf(cuts, found + 1);
    result[found] = text.length;
    return result;
  }
}
