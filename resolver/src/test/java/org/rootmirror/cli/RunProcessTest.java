package org.rootmirror.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.metrics.Exposition;
import org.rootmirror.metrics.MetricsServer;
import org.rootmirror.resolver.testing.MiniInternet;
import org.rootmirror.sync.SyncService;
import org.rootmirror.sync.server.interop.ToolAnswer;
import org.rootmirror.sync.server.interop.Tools;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import picocli.CommandLine;

/**
 * {@code rootmirror run} as a real process on the mini-internet: it syncs the root from a file,
 * resolves through its copy with validation, answers a junk TLD without sending a packet, answers
 * {@code status}, shows it all in its metrics, and stops on SIGTERM; configured by options or by its
 * configuration file.
 */
class RunProcessTest {
  private static final Pattern RESOLVER = Pattern.compile("resolver on ([0-9.]+):(\\d+)");
  private static final Pattern METRICS = Pattern.compile("metrics (off|on (http://\\S+))");

  @TempDir Path dir;

  @Test
  void runSyncsServesAndResolvesThenStopsOnSigterm() throws Exception {
    try (MiniInternet net = MiniInternet.builder().slowDelay(Duration.ofMillis(200)).start()) {
      Path runtime = dir.resolve("run");
      Process daemon = start(Map.of(), "run", "--state-dir", dir.resolve("state").toString(), "--runtime-dir", runtime.toString(),
          "--source", zone(net).toUri().toString(), "--anchors", anchors(net).toString(),
          "--listen", "127.0.0.1:0", "--mirror-listen", "127.0.0.1:0", "--metrics", "127.0.0.1:0",
          "--hints", hints(net).toString(), "--upstream-port", String.valueOf(net.port()),
          "--no-do-not-query-localhost"); // the mini-internet's authorities are on loopback
      resolvesFromTheCopyAndStopsOnSigterm(net, daemon, runtime, "--runtime-dir", runtime.toString());
      assertTrue(log().contains("metrics on http://127.0.0.1:"), log());
    }
  }

  /** The same service from a configuration file, with the journal's priorities on its log lines. */
  @Test
  void runFromAConfigurationFileLogsForTheJournal() throws Exception {
    try (MiniInternet net = MiniInternet.builder().slowDelay(Duration.ofMillis(200)).start()) {
      Path runtime = dir.resolve("run");
      Path config = Files.writeString(dir.resolve("test.conf"), """
          [sync]
          state-dir = %s
          runtime-dir = %s
          source = %s
          anchors = %s
          [mirror]
          listen = 127.0.0.1:0
          [resolver]
          listen = 127.0.0.1:0
          hints = %s
          # the mini-internet's authorities are on loopback
          do-not-query-localhost = no
          [metrics]
          listen = off
          """.formatted(dir.resolve("state"), runtime, zone(net).toUri(), anchors(net), hints(net)));
      // systemd names the journal's stream in JOURNAL_STREAM; here it is the log file
      Path log = Files.createFile(dir.resolve("daemon.log"));
      String stream = Files.getAttribute(log, "unix:dev") + ":" + Files.getAttribute(log, "unix:ino");
      Process daemon = start(Map.of("JOURNAL_STREAM", stream), "run", "--config", config.toString(),
          "--upstream-port", String.valueOf(net.port()));
      resolvesFromTheCopyAndStopsOnSigterm(net, daemon, runtime, "--config", config.toString());
      List<String> logged = log().lines().filter(l -> l.matches("(<\\d>)?(ERROR|WARN|INFO|DEBUG) .*")).toList();
      assertFalse(logged.isEmpty(), log());
      assertTrue(logged.stream().allMatch(l -> l.matches("<[3467]>.*")), "every log line carries its priority:\n" + log());
      assertTrue(logged.stream().anyMatch(l -> l.startsWith("<6>INFO ")), log());
    }
  }

  private Process start(Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("daemon.log").toFile());
    builder.environment().remove("JOURNAL_STREAM");
    builder.environment().putAll(env);
    return builder.start();
  }

  private Path zone(MiniInternet net) throws IOException {
    return Files.writeString(dir.resolve("root.zone"),
        net.rootZone().records().stream().map(Record::toString).collect(Collectors.joining("\n", "", "\n")));
  }

  private Path anchors(MiniInternet net) throws IOException {
    return Files.writeString(dir.resolve("anchors.ds"), net.trustAnchors().all().get(0).record() + "\n");
  }

  private Path hints(MiniInternet net) throws IOException {
    return Files.writeString(dir.resolve("named.root"), net.rootHintsText());
  }

  /** @param where the options that lead {@code status} to the daemon's runtime directory */
  private void resolvesFromTheCopyAndStopsOnSigterm(MiniInternet net, Process daemon, Path runtime, String... where) throws Exception {
    try {
      InetSocketAddress resolver = awaitResolver(daemon);
      SimpleResolver client = new SimpleResolver(resolver);
      client.setTimeout(Duration.ofSeconds(10));
      client.setEDNS(0, 1232, ExtendedFlags.DO, List.of());

      // the zone is synced and published shortly after start: junk TLDs then need no packet
      awaitServing(where);
      net.clearLog();
      Message junk = client.send(query("www.nosuchtld.", Type.A));
      assertEquals(Rcode.NXDOMAIN, junk.getRcode(), log());
      assertTrue(junk.getHeader().getFlag(Flags.AD), junk.toString());
      for (var root : net.rootServers()) {
        assertEquals(List.of(), net.queriesTo(root), "no root server asked: the local copy answered");
      }

      // with metrics on, the endpoint shows the zone served and the root packets the copy saved
      Matcher metrics = METRICS.matcher(log());
      assertTrue(metrics.find(), "the start line says where metrics are: " + log());
      if (metrics.group(2) != null) {
        Exposition scraped = Exposition.parse(scrape(URI.create(metrics.group(2))));
        assertEquals(net.rootZone().soa().getSerial(), scraped.value("rootmirror_zone_serial"));
        assertEquals(1, scraped.value("rootmirror_zone_serving"));
        assertTrue(scraped.value("rootmirror_resolver_root_queries_avoided_total") > 0, scraped.samples().toString());
        assertEquals(1, scraped.value("rootmirror_resolver_responses_total", "rcode", "NXDOMAIN"));
        assertEquals(1, scraped.value("rootmirror_sync_total", "source", dir.resolve("root.zone").toUri().toString(), "result", "updated"));
      }

      Message secure = client.send(query("host.sec.test.", Type.A));
      assertEquals(Rcode.NOERROR, secure.getRcode(), secure + log());
      assertTrue(secure.getHeader().getFlag(Flags.AD), secure.toString());

      // dig, as an operator would (ClientToolsTest covers the resolver with dig in depth)
      Optional<Path> dig = Tools.find("dig");
      if (dig.isPresent()) {
        ToolAnswer a = ToolAnswer.parse(Tools.run(Duration.ofSeconds(20), dig.get().toString(), "@" + resolver.getAddress().getHostAddress(),
            "-p", String.valueOf(resolver.getPort()), "+dnssec", "+tries=1", "mail.sec.test.", "AAAA"));
        assertEquals("NOERROR", a.status(), a.toString());
        assertTrue(a.flags().contains("ad"), a.toString());
      } else {
        System.err.println("RunProcessTest: dig not installed (Debian bind9-dnsutils): resolving with dnsjava only");
      }

      StringWriter out = new StringWriter();
      assertEquals(0, cli(out, concat("status", where)), out.toString());
      assertTrue(out.toString().contains(String.valueOf(net.rootZone().soa().getSerial())), out.toString());
      out = new StringWriter();
      assertEquals(0, cli(out, concat("refresh", where)), "refresh through the running service: " + out + log());
      assertTrue(out.toString().contains(String.valueOf(net.rootZone().soa().getSerial())), out.toString());

      daemon.destroy(); // SIGTERM
      assertTrue(daemon.waitFor(20, TimeUnit.SECONDS), "run did not stop on SIGTERM");
      assertEquals(143, daemon.exitValue(), log());
      assertFalse(Files.exists(runtime.resolve(SyncService.SOCKET)), "the control socket is removed");
    } finally {
      daemon.destroyForcibly();
    }
  }

  private static String[] concat(String first, String... rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  @Test
  void runWithMetricsOffOpensNoMetricsListener() throws Exception {
    // the default port must be free for its staying closed to mean anything
    assumeTrue(closed(MetricsServer.DEFAULT_PORT), "something else listens on the default metrics port");
    Path runtime = dir.resolve("run");
    Process daemon = start(Map.of(), "run", "--state-dir", dir.resolve("state").toString(), "--runtime-dir", runtime.toString(),
        "--source", dir.resolve("no.zone").toUri().toString(), "--listen", "127.0.0.1:0", "--mirror-listen", "127.0.0.1:0",
        "--metrics", "off");
    try {
      awaitResolver(daemon);
      Matcher metrics = METRICS.matcher(log());
      assertTrue(metrics.find(), log());
      assertEquals("off", metrics.group(1));
      assertTrue(closed(MetricsServer.DEFAULT_PORT), "nothing listens on the default metrics port");

      // the first sync fails (no such file): a warning says what it means and what to check
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!log().contains("no root zone is served") && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      String warning = log().lines().filter(l -> l.contains("no root zone is served")).findFirst().orElse(log());
      assertTrue(warning.matches("(\\d{4}-\\d\\d-\\d\\d [0-9:.+]+ )?WARN .*"), warning); // a timestamp first, off the journal
      assertTrue(warning.contains("the resolver uses the public root servers meanwhile; check the network and the sources (--source), "
          + "or download root.zone and give it with --source file:"), warning);
      StringWriter out = new StringWriter();
      assertEquals(1, cli(out, "status", "--runtime-dir", runtime.toString()), out.toString());
      assertTrue(out.toString().contains("no root zone is served; the resolver uses the public root servers meanwhile"), out.toString());
      daemon.destroy();
      assertTrue(daemon.waitFor(20, TimeUnit.SECONDS), "run did not stop on SIGTERM");
    } finally {
      daemon.destroyForcibly();
    }
  }

  /**
   * With {@code anchors = none} nothing can validate a root zone: no sync, no mirror, one warning
   * that says so, and the control socket answers status (and refuses refresh) plainly. No
   * question is sent: the resolver would start at the public root servers.
   */
  @Test
  void runWithoutRootAnchorStartsNeitherSyncNorMirrorAndSaysSo() throws Exception {
    Path runtime = dir.resolve("run");
    Path config = Files.writeString(dir.resolve("none.conf"), """
        [sync]
        state-dir = %s
        runtime-dir = %s
        source = %s
        anchors = none
        [mirror]
        listen = 127.0.0.1:0
        [resolver]
        listen = 127.0.0.1:0
        trust-anchor = example.com. IN DS 12345 8 2 49AAC11D7B6F6446702E54A1607371607A1A41855200FD2CE1CDDE32F24E8FB5
        [metrics]
        listen = off
        """.formatted(dir.resolve("state"), runtime, dir.resolve("root.zone").toUri()));
    Process daemon = start(Map.of(), "run", "--config", config.toString());
    try {
      awaitResolver(daemon);
      List<String> warnings = log().lines().filter(l -> l.contains("no root trust anchor ([sync] anchors = none)")).toList();
      assertEquals(1, warnings.size(), log());
      // not the journal: each line starts with the time
      assertTrue(warnings.get(0).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d{4} WARN .*"), log());
      assertTrue(warnings.get(0).contains("no local root copy, DNSSEC validation only below the trust-anchor line; resolving from the root hints"),
          log());
      assertTrue(log().contains(", mirror off (no root trust anchor), control socket " + runtime.resolve(SyncService.SOCKET)), log());

      // the daemon's control socket answers, and it is not the sync's: there is none
      StringWriter out = new StringWriter();
      assertEquals(1, cli(out, "status", "--config", config.toString()), "no root zone is served: " + out);
      assertTrue(out.toString().startsWith("no root trust anchor ([sync] anchors = none): no local root copy"), out.toString());
      assertFalse(out.toString().contains("no daemon running"), out.toString());
      out = new StringWriter();
      assertEquals(1, cli(out, "status", "--json", "--config", config.toString()), out.toString());
      assertTrue(out.toString().startsWith("{\"serving\":false,"), out.toString());
      assertTrue(out.toString().contains("\"root_trust_anchor\":\"none\""), out.toString());
      out = new StringWriter();
      assertEquals(2, cli(out, "refresh", "--config", config.toString()), out.toString());
      assertTrue(out.toString().contains("there is no local root copy to refresh"), out.toString());
      assertFalse(Files.exists(dir.resolve("state")), "nothing was synced into the state directory");

      daemon.destroy(); // SIGTERM
      assertTrue(daemon.waitFor(20, TimeUnit.SECONDS), "run did not stop on SIGTERM");
      assertEquals(143, daemon.exitValue(), log());
      assertFalse(Files.exists(runtime.resolve(SyncService.SOCKET)), "the control socket is removed");
    } finally {
      daemon.destroyForcibly();
    }
  }

  private static boolean closed(int port) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private static String scrape(URI uri) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return response.body();
  }

  private InetSocketAddress awaitResolver(Process daemon) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (daemon.isAlive() && System.nanoTime() < deadline) {
      Matcher m = RESOLVER.matcher(log());
      if (m.find()) {
        return new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the resolver did not start; log:\n" + log());
  }

  private void awaitServing(String... where) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    StringWriter out = new StringWriter();
    while (System.nanoTime() < deadline) {
      out = new StringWriter();
      if (cli(out, concat("status", concat("--json", where))) == 0 && out.toString().startsWith("{\"serving\":true")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the root zone was not published: " + out + "\n" + log());
  }

  private static Message query(String name, int type) {
    return Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, DClass.IN));
  }

  private static int cli(StringWriter out, String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    return cli.execute(args);
  }

  private String log() throws IOException {
    Path log = dir.resolve("daemon.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }
}
