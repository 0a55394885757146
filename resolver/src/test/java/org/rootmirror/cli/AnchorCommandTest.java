package org.rootmirror.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.dnssec.testing.Fixtures;
import picocli.CommandLine;

class AnchorCommandTest {
  private static final String MAY_2014 = "2014-05-13T00:00:00Z";

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void rootAnchors2014VerifyAtSigningTimeWithExit0AndOneLineNamingSignerAndAnchors() {
    int exit = run("anchor", "verify", "--xml", fixture("root-anchors-2014.xml"), "--p7s", fixture("root-anchors-2014.p7s"), "--time", MAY_2014);

    assertEquals(0, exit, err.toString());
    assertEquals("", err.toString());
    String line = out.toString();
    assertEquals(1, line.lines().count(), line);
    assertTrue(line.contains("signed by O=ICANN,CN=dnssec@iana.org,E=dnssec@iana.org on 2011-06-30T20:04:34Z"), line);
    assertTrue(line.contains(". key tag 19036 algorithm 8 valid from 2010-07-15T00:00:00Z"), line);
  }

  @Test
  void icannBundleWorksAsTheCaFile() {
    int exit = run("anchor", "verify", "--xml", fixture("root-anchors-2014.xml"), "--p7s", fixture("root-anchors-2014.p7s"),
        "--ca", fixture("icannbundle.pem"), "--time", MAY_2014);

    assertEquals(0, exit, err.toString());
  }

  @Test
  void changedXmlIsInvalidWithExit1(@TempDir Path dir) throws IOException {
    Path xml = dir.resolve("root-anchors.xml");
    Files.writeString(xml, Files.readString(Path.of(fixture("root-anchors-2014.xml"))).replace("49AAC11D", "49AAC11E"));

    int exit = run("anchor", "verify", "--xml", xml.toString(), "--p7s", fixture("root-anchors-2014.p7s"), "--time", MAY_2014);

    assertEquals(1, exit);
    assertEquals("", out.toString());
    assertTrue(err.toString().startsWith("invalid: the XML does not match the signature"), err.toString());
    assertEquals(1, err.toString().lines().count(), err.toString());
  }

  @Test
  void expiredSignerIsInvalidWithExit1NamingItsValidity() {
    int exit = run("anchor", "verify", "--xml", fixture("root-anchors-2014.xml"), "--p7s", fixture("root-anchors-2014.p7s"),
        "--time", "2015-01-01T00:00:00Z");

    assertEquals(1, exit);
    assertTrue(err.toString().contains("to 2014-06-28T22:32:16Z, not at 2015-01-01T00:00:00Z (expired)"), err.toString());
  }

  @Test
  void missingXmlFileIsAUsageErrorNamingIt(@TempDir Path dir) {
    String missing = dir.resolve("root-anchors.xml").toString();

    int exit = run("anchor", "verify", "--xml", missing, "--p7s", dir.resolve("root-anchors.p7s").toString());

    assertEquals(2, exit);
    assertEquals("error: --xml " + missing + ": no such file" + System.lineSeparator(), err.toString());
  }

  @Test
  void missingP7sFileIsAUsageErrorNamingIt(@TempDir Path dir) throws IOException {
    Path xml = Files.writeString(dir.resolve("root-anchors.xml"), "<TrustAnchor/>");
    String missing = dir.resolve("root-anchors.p7s").toString();

    int exit = run("anchor", "verify", "--xml", xml.toString(), "--p7s", missing);

    assertEquals(2, exit);
    assertTrue(err.toString().contains("--p7s " + missing + ": no such file"), err.toString());
  }

  @Test
  void caFileWithoutCertificatesIsAUsageErrorNamingIt(@TempDir Path dir) throws IOException {
    Path xml = Files.writeString(dir.resolve("root-anchors.xml"), "<TrustAnchor/>");
    Path p7s = Files.writeString(dir.resolve("root-anchors.p7s"), "x");
    Path ca = Files.writeString(dir.resolve("ca.pem"), "no certificate here\n");

    int exit = run("anchor", "verify", "--xml", xml.toString(), "--p7s", p7s.toString(), "--ca", ca.toString());

    assertEquals(2, exit);
    assertTrue(err.toString().startsWith("error: --ca " + ca + ": "), err.toString());
  }

  @Test
  void missingOptionOrBadTimeIsAUsageError() {
    assertEquals(2, run("anchor", "verify", "--xml", "root-anchors.xml"));
    assertTrue(err.toString().contains("--p7s"), err.toString());
    assertEquals(2, run("anchor", "verify", "--xml", "a.xml", "--p7s", "a.p7s", "--time", "yesterday"));
    assertEquals(2, run("anchor"));
  }

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private static String fixture(String name) {
    return Fixtures.trustAnchor(name).toString();
  }
}
