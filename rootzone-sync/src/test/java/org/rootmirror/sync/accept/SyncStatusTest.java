package org.rootmirror.sync.accept;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The last error as {@code status} shows it: one short line per source. */
class SyncStatusTest {
  @Test
  void aLongReasonIsCutAtAWordToOneStatusLine() {
    String reason = "https://www.internic.net/domain/root.zone: invalid: " + "signature of . DNSKEY does not verify with key 20326; ".repeat(5);
    String line = SyncStatus.shorten(reason);
    assertTrue(line.length() <= SyncStatus.LINE, line.length() + ": " + line);
    assertTrue(line.endsWith("..."), line);
    assertTrue(line.startsWith("https://www.internic.net/domain/root.zone: invalid: signature"), line);
  }

  @Test
  void onlyTheFirstLineOfAReportIsKept() {
    assertEquals("file:/srv/root.zone: unparsable: line 12", SyncStatus.shorten("file:/srv/root.zone: unparsable: line 12\nat record 7\n"));
  }
}
