package org.rootmirror.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.cli.config.ConfigKey;
import org.rootmirror.cli.config.Settings;
import picocli.CommandLine;

/** {@code rootmirror config check|show}, and {@code run --config}: the file, then the options over it. */
class ConfigCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private Path config(String text) throws Exception {
    return Files.writeString(dir.resolve("rootmirror.conf"), text);
  }

  /** What {@code run} would use for this command line, with {@code defaultFile} as /etc/rootmirror/rootmirror.conf. */
  private Settings runSettings(Path defaultFile, String... args) {
    CommandLine cli = Main.commandLine();
    String[] line = new String[args.length + 1];
    line[0] = "run";
    System.arraycopy(args, 0, line, 1, args.length);
    RunCommand run = cli.parseArgs(line).subcommand().commandSpec().commandLine().getCommand();
    return run.config.settings(run.given(), defaultFile, new PrintWriter(err, true), "rootmirror run");
  }

  @Test
  void checkOfAValidFilePrintsOneLineAndExitsZero() throws Exception {
    Path file = config("[resolver]\nlisten = 127.0.0.1:5353\n[sync]\nsource = file:/srv/root.zone\n[metrics]\nlisten = off\n");
    assertEquals(0, run("config", "check", file.toString()), err.toString());
    assertEquals(file + ": valid; resolver on 127.0.0.1:5353, mirror on 127.12.12.12:53, 1 source, metrics off\n", out.toString());
    assertEquals("", err.toString());
  }

  @Test
  void checkOfAnInvalidFileListsEveryErrorWithItsLineAndExitsOne() throws Exception {
    Path file = config("[sync]\nrequire-zonemd = perhaps\n[mirror]\nlisten 127.12.12.12:53\nudp-threads = -1\n");
    assertEquals(1, run("config", "check", file.toString()));
    assertEquals(file + ":2: [sync] require-zonemd: wants yes or no, not \"perhaps\"\n"
        + file + ":4: expected key = value, not \"listen 127.12.12.12:53\"\n"
        + file + ":5: [mirror] udp-threads: wants 1 to 1024, not -1\n", err.toString());
    assertEquals(file + ": not valid; 3 errors\n", out.toString(), "the one summary line");
  }

  @Test
  void checkOfAMissingFileIsAnIoErrorExitingTwo() {
    assertEquals(2, run("config", "check", dir.resolve("nosuch.conf").toString()));
    assertTrue(err.toString().contains("no such file: " + dir.resolve("nosuch.conf")), err.toString());
    assertEquals(2, run("config", "check", "a", "b"), "usage error");
  }

  @Test
  void checkAcceptsNoRootAnchorAndSaysWhatItMeans() throws Exception {
    Path file = config("[sync]\nanchors = none\n[resolver]\nlisten = 127.0.0.1:5353\n");
    assertEquals(0, run("config", "check", file.toString()), err.toString());
    assertEquals(file + ": valid; resolver on 127.0.0.1:5353, mirror on 127.12.12.12:53, 6 sources, metrics on 127.0.0.1:9153"
        .replace("6 sources", org.rootmirror.sync.source.DefaultSources.URIS.size() + " sources")
        + "; no root trust anchor: no local root copy, no mirror, validation only below trust-anchor lines\n", out.toString());
  }

  @Test
  void checkReportsABadTrustAnchorWithItsLineAndExitsOne() throws Exception {
    Path file = config("[resolver]\n# an anchor\ntrust-anchor = example.com. IN DS 12345 8 2\n");
    assertEquals(1, run("config", "check", file.toString()));
    assertTrue(err.toString().startsWith(file + ":3: [resolver] trust-anchor: "), err.toString());
    assertTrue(err.toString().endsWith(" in \"example.com. IN DS 12345 8 2\" (wants NAME [TTL] IN DS|DNSKEY ...)\n"), err.toString());
    assertEquals(1, err.toString().lines().count(), "one line: " + err);
  }

  @Test
  void showPrintsTheResolverKeysWithTheirDefaults() throws Exception {
    Path file = config("""
        [resolver]
        trust-anchor = example.com. IN DS 12345 8 2 49AAC11D7B6F6446702E54A1607371607A1A41855200FD2CE1CDDE32F24E8FB5
        forward-zone = corp.example 192.0.2.53 [2001:db8::53]:5353
        harden-glue = no
        """);
    assertEquals(0, run("config", "show", file.toString()), err.toString());
    String shown = out.toString();
    assertTrue(shown.contains("""
        #hints =  (not set)
        trust-anchor = example.com. IN DS 12345 8 2 49AAC11D7B6F6446702E54A1607371607A1A41855200FD2CE1CDDE32F24E8FB5
        # domain-insecure =  (not set)
        qname-minimisation = relaxed  # default
        cache-min-ttl = 0  # default
        cache-max-ttl = 86400  # default
        cache-size = 64m  # default
        forward-zone = corp.example 192.0.2.53 [2001:db8::53]:5353
        do-not-query-localhost = yes  # default
        harden-glue = no
        """.replace("#hints", "# hints")), shown);
  }

  @Test
  void runTakesTheResolverOptions() {
    Settings s = runSettings(Path.of("/nonexistent"), "--anchors", "none", "--trust-anchor", ". IN DS 20326 8 2 "
            + "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D", "--domain-insecure", "corp.example",
        "--qname-minimisation", "off", "--cache-min-ttl", "5", "--cache-max-ttl", "600", "--forward-zone", ". 192.0.2.1 192.0.2.2:5300",
        "--no-do-not-query-localhost", "--no-harden-glue", "--cache-size", "100m", "--max-memory", "1g");
    assertTrue(s.rootAnchorsNone());
    assertEquals(1, s.trustAnchorLines().size());
    assertEquals(java.util.Set.of(org.xbill.DNS.Name.fromConstantString("corp.example.")), s.domainInsecure());
    assertEquals("off", s.qnameMinimisation());
    assertEquals(5, s.cacheMinTtl());
    assertEquals(600, s.cacheMaxTtl());
    assertEquals(List.of(new InetSocketAddress("192.0.2.1", 53), new InetSocketAddress("192.0.2.2", 5300)), s.forwardZones().get(0).servers());
    assertFalse(s.doNotQueryLocalhost());
    assertFalse(s.hardenGlue());
    assertEquals(100L << 20, s.cacheSize());
    assertEquals(1L << 30, s.maxMemory());
  }

  @Test
  void withoutRootAnchorRefreshAndSyncDaemonRefuseAndStatusSaysSo() throws Exception {
    String[] dirs = {"--anchors", "none", "--state-dir", dir.resolve("state").toString(), "--runtime-dir", dir.resolve("run").toString()};
    assertEquals(2, run(concat("refresh", dirs)));
    assertEquals("rootmirror refresh: no root trust anchor ([sync] anchors = none), so the root zone cannot be validated: "
        + "remove that line (for the built-in anchors) or name an anchors file\n", err.toString());
    err.getBuffer().setLength(0);
    assertEquals(2, run(concat("sync-daemon", dirs)));
    assertTrue(err.toString().startsWith("rootmirror sync-daemon: no root trust anchor ([sync] anchors = none)"), err.toString());
    assertFalse(Files.exists(dir.resolve("state")), "nothing was fetched or stored");
    assertEquals(StatusCommand.NO_DAEMON, run(concat("status", dirs)), err.toString());
    assertEquals("no daemon answers on " + dir.resolve("run").resolve("control.sock") + "; no root trust anchor ([sync] anchors = none): no local root copy, no DNSSEC validation "
        + "(no trust-anchor lines); resolving from the root hints. To validate from the root, remove \"anchors = none\" and restart\n",
        out.toString());
  }

  @Test
  void withoutRootAnchorTheSummarySaysWhereResolutionStarts() throws Exception {
    Path file = config("[sync]\nanchors = none\n[resolver]\nroot-server = 192.0.2.1\n");
    assertTrue(SyncOptions.noRootAnchorSummary(runSettings(Path.of("/nonexistent"), "--config", file.toString()))
        .contains("; resolving from the root-server mirrors, then the root hints. "), err.toString());
  }

  private static String[] concat(String first, String... rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  @Test
  void showPrintsTheEffectiveConfigurationWhichReadsBackTheSame() throws Exception {
    Path file = config("[resolver]\nallow = 192.0.2.0/24\nallow = 198.51.100.0/24\n");
    assertEquals(0, run("config", "show", file.toString()), err.toString());
    String shown = out.toString();
    assertTrue(shown.contains("\n[resolver]\nlisten = 127.0.0.1:53  # default\nlisten = [::1]:53  # default\nallow = 192.0.2.0/24\n"
        + "allow = 198.51.100.0/24\n"), shown);
    Path again = Files.writeString(dir.resolve("shown.conf"), shown);
    out.getBuffer().setLength(0);
    assertEquals(0, run("config", "show", again.toString()), err.toString());
    assertEquals(shown.replace(file.toString(), again.toString()).replace("  # default", ""), out.toString().replace("  # default", ""));
  }

  @Test
  void runTakesTheFileAndEachOptionGivenOverridesItsKey() throws Exception {
    Path file = config("""
        [sync]
        state-dir = /srv/state
        runtime-dir = /srv/run
        require-zonemd = yes
        source = file:/srv/a.zone
        source = file:/srv/b.zone
        [mirror]
        listen = 127.12.12.12:5300
        chaos = no
        [resolver]
        listen = 127.0.0.1:5353
        """);
    Settings s = runSettings(Path.of("/nonexistent"), "--config", file.toString(), "--state-dir", "/tmp/state", "--no-require-zonemd",
        "--source", "file:/tmp/c.zone", "--chaos", "--mirror-listen", "127.0.0.2:53", "--upstream-port", "5300");
    assertEquals(Path.of("/tmp/state"), s.stateDir());
    assertEquals(Path.of("/srv/run"), s.runtimeDir());
    assertFalse(s.requireZonemd());
    assertEquals(List.of(java.net.URI.create("file:/tmp/c.zone")), s.sources(), "the option's list replaces the file's");
    assertTrue(s.chaos());
    assertEquals(List.of(new InetSocketAddress("127.0.0.2", 53)), s.mirrorListen());
    assertEquals(List.of(new InetSocketAddress("127.0.0.1", 5353)), s.resolverListen());
    assertEquals(5300, s.upstreamPort());
  }

  @Test
  void runReadsTheDefaultFileOnlyWhenItExists() throws Exception {
    Path file = config("[sync]\nstate-dir = /srv/state\n");
    assertEquals(Path.of("/srv/state"), runSettings(file).stateDir());
    assertEquals(Path.of("/var/lib/rootmirror"), runSettings(dir.resolve("absent.conf")).stateDir());
  }

  @Test
  void runWithAnInvalidFileOrAMissingOneStopsBeforeStartingWithExitTwo() throws Exception {
    Path file = config("[resolver]\nlisten = localhost:53\n");
    assertEquals(2, run("run", "--config", file.toString(), "--state-dir", dir.toString(), "--runtime-dir", dir.toString()));
    assertEquals(file + ":2: [resolver] listen: wants an address literal, not \"localhost\" in \"localhost:53\"\n", err.toString());
    err.getBuffer().setLength(0);
    assertEquals(2, run("run", "--config", dir.resolve("absent.conf").toString()));
    assertEquals("rootmirror run: configuration file not found: " + dir.resolve("absent.conf") + "\n", err.toString());
  }

  @Test
  void badOptionValuesAreReportedByOptionName() {
    assertNull(runSettings(Path.of("/nonexistent"), "--listen", "127.0.0.1", "--udp-threads", "none"));
    assertEquals("rootmirror run: --udp-threads: wants a whole number, not \"none\"\n"
        + "rootmirror run: --listen: wants ADDR:PORT, not \"127.0.0.1\"\n", err.toString());
  }

  @Test
  void everyKeyHasTheOptionOfRunItIsDocumentedWith() {
    CommandLine.Model.CommandSpec run = Main.commandLine().getSubcommands().get("run").getCommandSpec();
    for (ConfigKey key : ConfigKey.values()) {
      String option = key.option().replace("--[no-]", "--");
      assertTrue(run.findOption(option) != null, key.qualifiedName() + " has no option " + option);
      if (!key.option().equals("--mirror-listen") && !key.option().equals("--metrics")) {
        assertTrue(option.equals("--" + key.key()), key.qualifiedName() + " and " + option + " differ in name");
      }
    }
  }

  @Test
  void statusFindsTheRuntimeDirectoryInTheFile() throws Exception {
    Path file = config("[sync]\nstate-dir = " + dir.resolve("state") + "\nruntime-dir = " + dir.resolve("run") + "\n");
    assertEquals(StatusCommand.NO_DAEMON, run("status", "--config", file.toString()), err.toString());
    assertTrue(out.toString().contains("state directory " + dir.resolve("state")), out.toString());
  }
}
