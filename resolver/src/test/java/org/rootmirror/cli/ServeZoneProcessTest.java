package org.rootmirror.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.testing.Fixtures;

/**
 * {@code rootmirror serve-zone} as a real process, queried by Debian's {@code dig} and
 * {@code kdig}: referrals, name errors with their NSEC proof, TCP, and a clean stop on SIGTERM.
 */
class ServeZoneProcessTest {
  private static final Pattern SERVING = Pattern.compile("serving serial (\\d+) on 127\\.0\\.0\\.1:(\\d+)$", Pattern.MULTILINE);

  private static Process serveZone(String... extra) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve-zone",
        Fixtures.rootZone(Fixtures.ZONE_2026).toString(), "--listen", "127.0.0.1:0"));
    command.addAll(List.of(extra));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /** Reads the server's output until it says where it serves; returns the port. */
  private static int awaitServing(Process p, StringBuilder log) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null; ) {
      log.append(line).append('\n');
      Matcher m = SERVING.matcher(line);
      if (m.find()) {
        assertEquals("2026073102", m.group(1));
        Thread.ofVirtual().start(() -> out.lines().forEach(l -> { })); // keep draining
        return Integer.parseInt(m.group(2));
      }
    }
    throw new AssertionError("serve-zone stopped before serving:\n" + log);
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(20, TimeUnit.SECONDS), String.join(" ", command));
    return out;
  }

  private static boolean installed(String tool) {
    return Files.isExecutable(Path.of("/usr/bin", tool));
  }

  @Test
  void digAndKdigGetReferralsAndSignedNameErrorsOverUdpAndTcp() throws Exception {
    assumeTrue(installed("dig") && installed("kdig"), "dig and kdig (Debian dnsutils, knot-dnsutils) are not installed");
    Process server = serveZone("--time", "2026-08-01T00:00:00Z");
    StringBuilder log = new StringBuilder();
    try {
      String port = String.valueOf(awaitServing(server, log));

      String referral = run("dig", "@127.0.0.1", "-p", port, "www.example.com", "A", "+dnssec", "+norec");
      assertTrue(referral.contains("status: NOERROR"), referral);
      assertTrue(referral.contains(";; flags: qr;"), "a referral is not authoritative: " + referral);
      assertTrue(referral.matches("(?s).*com\\.\\s+172800\\s+IN\\s+NS\\s+a\\.gtld-servers\\.net\\..*"), referral);
      assertTrue(referral.matches("(?s).*com\\.\\s+86400\\s+IN\\s+DS\\s+19718 13 2 .*"), referral);
      assertTrue(referral.matches("(?s).*a\\.gtld-servers\\.net\\.\\s+172800\\s+IN\\s+A\\s+192\\.5\\.6\\.30.*"), "glue: " + referral);

      String nxdomain = run("dig", "@127.0.0.1", "-p", port, "printer.local", "A", "+dnssec", "+norec", "+tcp");
      assertTrue(nxdomain.contains("status: NXDOMAIN"), nxdomain);
      assertTrue(nxdomain.contains(";; flags: qr aa;"), nxdomain);
      assertTrue(nxdomain.matches("(?s).*loans\\.\\s+86400\\s+IN\\s+NSEC\\s+locker\\. .*"), "NSEC covering local.: " + nxdomain);

      String kdig = run("kdig", "@127.0.0.1", "-p", port, "+dnssec", "+norec", "+noidn", "NoSuch.BOGUS-TLD.", "AAAA");
      assertTrue(kdig.contains("status: NXDOMAIN"), kdig);
      assertTrue(kdig.contains("NoSuch.BOGUS-TLD."), "the question's case is kept: " + kdig);

      server.destroy();
      assertTrue(server.waitFor(20, TimeUnit.SECONDS), "no stop on SIGTERM");
      assertEquals(143, server.exitValue());
    } finally {
      server.destroyForcibly();
    }
  }

  @Test
  void expiredZoneIsNotServedAndExitsOne() throws Exception {
    Process server = serveZone("--time", "2026-09-01T00:00:00Z");
    String out = new String(server.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(server.waitFor(30, TimeUnit.SECONDS));
    assertEquals(1, server.exitValue(), out);
    assertTrue(out.startsWith("invalid: . serial 2026073102"), out);
    assertTrue(!out.contains("serving serial"), out);
  }
}
