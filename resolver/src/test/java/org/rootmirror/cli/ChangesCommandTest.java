package org.rootmirror.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.sync.changes.ChangeEntry;
import org.rootmirror.sync.changes.ChangeRecorder;
import org.rootmirror.sync.changes.ChangesJson;
import org.rootmirror.sync.changes.ZoneDifference;
import org.rootmirror.sync.store.ChangeLog;
import org.rootmirror.sync.store.ZoneMetadata;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.rootmirror.sync.store.ZoneStore;
import org.rootmirror.sync.testing.EditedRoot;
import picocli.CommandLine;

/** {@code rootmirror changes}: the change log in the state directory, as text or JSON, and its exit codes. */
class ChangesCommandTest {
  private static final Instant AT = Instant.parse("2026-07-31T21:00:00Z");

  @TempDir Path state;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(List.of("--state-dir", state.toString()));
    return cli.execute(all.toArray(String[]::new));
  }

  private List<String> outLines() {
    return out.toString().lines().toList();
  }

  private static ZoneMetadata metadata(long serial, Instant at) {
    return new ZoneMetadata(serial, URI.create("https://test/root.zone"), null, at, "valid", at.plusSeconds(86400), true, null, null);
  }

  /** Records the real zone, then its edited next version, as the sync does when it publishes them. */
  private long[] recordTheRealZoneAndTheEditedOne() throws IOException {
    Zone real = EditedRoot.real();
    Zone next = EditedRoot.next(real);
    ChangeRecorder recorder = new ChangeRecorder(new ZoneStore(state));
    ZoneMetadata first = metadata(real.soa().getSerial(), AT);
    recorder.record(null, null, new ZoneSnapshot(real, first, null));
    recorder.record(first, real, new ZoneSnapshot(next, metadata(next.soa().getSerial(), AT.plusSeconds(3600)), null));
    return new long[] {real.soa().getSerial(), next.soa().getSerial()};
  }

  private void writeLog(ChangeEntry... entries) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (ChangeEntry e : entries) {
      sb.append(ChangesJson.write(e)).append('\n');
    }
    Files.writeString(state.resolve(ChangeLog.FILE), sb);
  }

  private static ChangeEntry unchanged(long serial, long previous) {
    return new ChangeEntry(serial, previous, AT, 1438, ZoneDifference.NONE, null);
  }

  @Test
  void theRealZoneWithOneTldRemovedOneAddedOneDsAndOneGlueChangedShowsExactlyThoseFourLines() throws IOException {
    long[] serials = recordTheRealZoneAndTheEditedOne();
    assertEquals(0, run("changes", "--since", Long.toString(serials[0])), err.toString());
    List<String> lines = outLines();
    assertEquals(5, lines.size(), out.toString());
    assertEquals(serials[1] + " (published 2026-07-31T22:00:00Z, after " + serials[0] + "): 1438 TLDs; 1 added, 1 removed, 2 changed",
        lines.get(0));
    List<String> changes = lines.subList(1, 5);
    assertTrue(changes.get(0).startsWith("  + newtld.  TLD added: NS a.nic.newtld., b.nic.newtld.;"), changes.get(0));
    assertTrue(changes.get(1).startsWith("  - aaa.  TLD removed (had NS a.nic.aaa., "), changes.get(1));
    assertEquals("  ~ de.  DS +12345 13 2 01020304... -26755 8 2 F3413578...", changes.get(2));
    assertEquals("  ~ zm.  glue +pch.nic.zm. A 192.0.2.73 -pch.nic.zm. A 204.61.216.73", changes.get(3));
    assertEquals("", err.toString());
  }

  @Test
  void withoutSinceTheRecordStartsWithTheFirstVersion() throws IOException {
    long[] serials = recordTheRealZoneAndTheEditedOne();
    assertEquals(0, run("changes"), err.toString());
    List<String> lines = outLines();
    assertEquals(6, lines.size(), out.toString());
    assertEquals(serials[0] + " (published 2026-07-31T21:00:00Z): 1438 TLDs; the first version recorded: changes are recorded from the next serial",
        lines.get(0));
  }

  @Test
  void jsonGivesTheLinesAsRecorded() throws IOException {
    long[] serials = recordTheRealZoneAndTheEditedOne();
    assertEquals(0, run("changes", "--json", "--since", Long.toString(serials[0])), err.toString());
    List<String> recorded = Files.readAllLines(state.resolve(ChangeLog.FILE));
    assertEquals(List.of(recorded.get(1)), outLines());
    assertTrue(recorded.get(1).startsWith("{\"serial\":" + serials[1] + ",\"previous\":" + serials[0] + ","), recorded.get(1));
  }

  @Test
  void nothingRecordedExitsOneAndSaysWhen() {
    assertEquals(1, run("changes"));
    assertEquals("", out.toString());
    assertTrue(err.toString().startsWith("rootmirror changes: nothing recorded in " + state.resolve(ChangeLog.FILE)
        + ": a line is added at each new serial the sync publishes"), err.toString());
  }

  @Test
  void nothingAfterTheSerialGivenExitsOne() throws IOException {
    writeLog(ChangeEntry.start(2026073102L, AT, 1438, "first"), unchanged(2026073103L, 2026073102L));
    assertEquals(1, run("changes", "--since", "2026073103"));
    assertEquals("rootmirror changes: nothing recorded after serial 2026073103; the newest recorded is 2026073103\n",
        err.toString().replace("\r", ""));
  }

  @Test
  void sinceComparesSerialsInSerialNumberArithmetic() throws IOException {
    // RFC 1982: after 4294967295 comes 0
    writeLog(ChangeEntry.start(4294967294L, AT, 1438, "first"), unchanged(4294967295L, 4294967294L), unchanged(0, 4294967295L),
        unchanged(1, 0));
    assertEquals(0, run("changes", "--since", "4294967295"), err.toString());
    assertEquals(List.of("0", "1"), outLines().stream().map(l -> l.substring(0, l.indexOf(' '))).toList());
  }

  @Test
  void aSinceThatIsNoSerialIsAUsageError() {
    assertEquals(2, run("changes", "--since", "4294967296"));
    assertTrue(err.toString().startsWith("rootmirror changes: --since: not a zone serial (a whole number from 0 to 4294967295): 4294967296"),
        err.toString());
    assertEquals(2, run("changes", "--since", "yesterday"));
  }

  @Test
  void aDamagedLineIsNamedAndTheOthersAreShown() throws IOException {
    Files.writeString(state.resolve(ChangeLog.FILE), ChangesJson.write(ChangeEntry.start(5, AT, 1438, "first")) + "\n"
        + "{\"serial\":6,\"previous\":5}\n" + ChangesJson.write(unchanged(7, 6)) + "\n");
    assertEquals(0, run("changes"));
    assertEquals(2, outLines().size(), out.toString());
    assertEquals("rootmirror changes: " + state.resolve(ChangeLog.FILE) + " line 2 (serial 6) cannot be read: \"at\" holds null, not a string; "
        + "skipped\n", err.toString().replace("\r", ""));
  }

  @Test
  void aLogThatCannotBeReadExitsTwo() throws IOException {
    Files.createDirectory(state.resolve(ChangeLog.FILE));
    assertEquals(2, run("changes"));
    assertTrue(err.toString().startsWith("rootmirror changes: cannot read " + state.resolve(ChangeLog.FILE)), err.toString());
  }
}
