package org.rootmirror.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.dnssec.testing.Fixtures;
import picocli.CommandLine;

/** {@code rootmirror verify}: exit codes and what it prints, on the real root zones. */
class VerifyCommandTest {
  @TempDir Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void validRootZoneExitsZeroWithOneSummaryLine() {
    Path zone = Fixtures.rootZone(Fixtures.ZONE_2026);
    int code = run("verify", zone.toString(), "--time", "2026-08-01T00:00:00Z", "--require-zonemd");
    assertEquals(0, code, out + "" + err);
    List<String> lines = out.toString().lines().toList();
    assertEquals(1, lines.size(), out.toString());
    assertTrue(lines.get(0).startsWith("valid: . serial 2026073102"), lines.get(0));
    assertTrue(lines.get(0).contains("ZONEMD verified (SIMPLE SHA-384)"), lines.get(0));
  }

  @Test
  void expiredRootZoneExitsOneAndVerboseListsEachProblem() {
    Path zone = Fixtures.rootZone(Fixtures.ZONE_2026);
    int code = run("verify", zone.toString(), "--time", "2026-09-01", "-v");
    assertEquals(1, code);
    List<String> lines = out.toString().lines().toList();
    assertTrue(lines.get(0).startsWith("invalid: . serial 2026073102"), lines.get(0));
    assertTrue(lines.size() > 1000, "one line per problem");
    assertTrue(lines.stream().anyMatch(l -> l.equals(
        "  error: com. DS key 57780: expired (at 2026-08-13T20:00:00Z, validating at 2026-09-01T00:00:00Z)")),
        lines.get(1));
  }

  @Test
  void oldZoneWithTheMatchingAnchorsXmlIsValid() {
    int code = run("verify", Fixtures.rootZone(Fixtures.ZONE_2014).toString(),
        "--anchors", Fixtures.trustAnchor("root-anchors-2014.xml").toString(), "--time", "2014-06-26T00:00:00Z");
    assertEquals(0, code, out + "" + err);
  }

  @Test
  void zoneWithoutZonemdFailsWhenZonemdIsRequired() {
    int code = run("verify", Fixtures.rootZone(Fixtures.ZONE_2019).toString(), "--time", "2019-12-14T00:00:00Z",
        "--anchors", Fixtures.trustAnchor("root.key").toString(), "--require-zonemd");
    assertEquals(1, code);
    assertTrue(out.toString().contains("zonemd-missing"), out.toString());
  }

  @Test
  void unparsableZoneExitsOneNamingTheLine() throws IOException {
    Path zone = tmp.resolve("broken.zone");
    Files.writeString(zone, ". 86400 IN SOA a. b. 1 2 3 4 5\n. 86400 IN NS a.\na. 86400 IN A 192.0.2.256\n");
    assertEquals(1, run("verify", zone.toString()));
    assertTrue(out.toString().startsWith("invalid: " + zone + ":3: "), out.toString());
  }

  @Test
  void missingFileExitsTwoNamingTheFile() {
    Path missing = tmp.resolve("no-such.zone");
    assertEquals(2, run("verify", missing.toString()));
    assertTrue(err.toString().contains("file not found: " + missing), err.toString());
  }

  @Test
  void badTimeIsAUsageError() {
    assertEquals(2, run("verify", "x.zone", "--time", "yesterday"));
    assertTrue(err.toString().contains("'yesterday' is not an ISO-8601 time"), err.toString());
  }

  @Test
  void anchorFileThatIsNotAnAnchorIsAnError() throws IOException {
    Path anchors = tmp.resolve("anchors");
    Files.writeString(anchors, ". 3600 IN A 192.0.2.1\n");
    assertEquals(2, run("verify", "x.zone", "--anchors", anchors.toString()));
    assertTrue(err.toString().contains("only IN DS and DNSKEY records can be trust anchors"), err.toString());
  }

  @Test
  void helpListsTheCommands() {
    assertEquals(0, run("--help"));
    assertTrue(out.toString().contains("verify"), out.toString());
    assertTrue(out.toString().contains("anchor"), out.toString());
  }
}
