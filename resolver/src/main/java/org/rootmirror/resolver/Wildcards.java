package org.rootmirror.resolver;

import java.util.List;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/** Recognises RRsets that an authority expanded from a wildcard, by their signatures. */
public final class Wildcards {
  private Wildcards() {}

  /**
   * Whether {@code set} was expanded from a wildcard: its RRSIG's labels field counts fewer labels
   * than the owner has (RFC 4035 section 5.3.4; a leading "*" label and the root are not counted).
   */
  public static boolean expanded(RRset set) {
    int labels = set.getName().labels() - 1 - (set.getName().isWild() ? 1 : 0);
    for (RRSIGRecord sig : set.sigs()) {
      if (sig.getLabels() < labels) {
        return true;
      }
    }
    return false;
  }

  /** Whether any of {@code sets} was expanded from a wildcard. */
  public static boolean anyExpanded(List<RRset> sets) {
    return sets.stream().anyMatch(Wildcards::expanded);
  }
}
