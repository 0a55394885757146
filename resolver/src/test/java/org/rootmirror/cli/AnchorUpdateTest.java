package org.rootmirror.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.dnssec.testing.AnchorPki;
import org.rootmirror.dnssec.testing.Fixtures;
import org.rootmirror.sync.store.ManagedKeysStore;
import org.rootmirror.sync.testing.TestPki;
import picocli.CommandLine;

/**
 * {@code rootmirror anchor update} against the JDK's HttpsServer on 127.0.0.1 (an ephemeral port,
 * a certificate from a test CA that the command is made to trust through its package-private
 * {@code tls} field), serving IANA's root-anchors files of 2014; and offline, with --xml and --p7s.
 */
class AnchorUpdateTest {
  /** A day on which IANA's 2014 signer certificate, its CA and the ICANN Root CA were all valid. */
  private static final String MAY_2014 = "2014-05-13T00:00:00Z";
  private static final String XML_PATH = "/root-anchors/root-anchors.xml";
  private static final String P7S_PATH = "/root-anchors/root-anchors.p7s";
  private static final String KSK_2010 = "key 19036  algorithm 8  valid from 2010-07-15T00:00:00Z";

  private static TestPki pki;
  private static SSLContext trustingTestCa;

  @TempDir Path dir;
  private Path config;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final List<String> requested = new CopyOnWriteArrayList<>();
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private HttpsServer server;

  @BeforeAll
  static void createPki() throws Exception {
    pki = TestPki.create();
    trustingTestCa = pki.client();
  }

  @BeforeEach
  void emptyConfiguration() throws IOException {
    // so that no /etc/rootmirror/rootmirror.conf of the machine running the tests is read
    config = Files.writeString(dir.resolve("rootmirror.conf"), "");
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
    executor.shutdownNow();
  }

  @Test
  void fetchedAnchorsValidAtTheirTimeAreInstalledAndAnchorStatusShowsThem() throws Exception {
    URI url = serve(fixture("root-anchors-2014.xml"), fixture("root-anchors-2014.p7s"));

    int exit = update("--url", url.toString(), "--time", MAY_2014);

    assertEquals(0, exit, err.toString());
    assertEquals("", err.toString());
    assertEquals(List.of(XML_PATH, P7S_PATH), requested);
    List<String> lines = out.toString().lines().toList();
    assertEquals(3, lines.size(), out.toString());
    assertEquals("installed 1 root trust anchor in " + trackedFile() + " from " + url
        + ", signed by O=ICANN,CN=dnssec@iana.org,E=dnssec@iana.org on 2011-06-30T20:04:34Z:", lines.get(0));
    assertEquals("  " + KSK_2010, lines.get(1));
    assertEquals("the running daemon uses them from its next sync; `rootmirror anchor status` shows them", lines.get(2));

    StringWriter status = new StringWriter();
    assertEquals(0, cli(status, new StringWriter()).execute(
        "anchor", "status", "--config", config.toString(), "--state-dir", stateDir().toString()));
    assertTrue(status.toString().contains("key 19036  algorithm 8  seed (DS)"), status.toString());
    assertFalse(status.toString().contains("20326"), "the built-in anchors were replaced: " + status);
  }

  @Test
  void xmlWithOneChangedByteIsRefusedWithExit1AndNothingIsInstalled() throws Exception {
    byte[] xml = Files.readString(Path.of(fixture("root-anchors-2014.xml")), StandardCharsets.UTF_8)
        .replace("49AAC11D", "49AAC11E").getBytes(StandardCharsets.UTF_8);
    URI url = serve(xml, Files.readAllBytes(Path.of(fixture("root-anchors-2014.p7s"))));

    int exit = update("--url", url.toString(), "--time", MAY_2014);

    assertEquals(1, exit);
    assertEquals("", out.toString());
    assertOneLine("rootmirror anchor update: " + url + ": signature invalid: the XML does not match the signature");
    assertTrue(err.toString().strip().endsWith("; nothing installed"), err.toString());
    assertFalse(Files.exists(trackedFile()));
  }

  @Test
  void signatureCheckedAgainstAnotherCaIsRefusedWithExit1() throws Exception {
    URI url = serve(fixture("root-anchors-2014.xml"), fixture("root-anchors-2014.p7s"));
    Path otherCa = Files.writeString(dir.resolve("other-ca.pem"), pki.caPem());

    int exit = update("--url", url.toString(), "--time", MAY_2014, "--ca", otherCa.toString());

    assertEquals(1, exit);
    assertOneLine("rootmirror anchor update: " + url + ": signature invalid: the signer certificate does not chain to the trusted CA");
    assertFalse(Files.exists(trackedFile()));
  }

  @Test
  void offlineFilesAreInstalledWithoutAnyServer() {
    int exit = update("--xml", fixture("root-anchors-2014.xml"), "--p7s", fixture("root-anchors-2014.p7s"), "--time", MAY_2014);

    assertEquals(0, exit, err.toString());
    assertTrue(out.toString().contains(" from " + fixture("root-anchors-2014.xml") + ", signed by "), out.toString());
    assertTrue(out.toString().contains("\n  " + KSK_2010 + "\n"), out.toString());
    assertTrue(Files.exists(trackedFile()));
  }

  @Test
  void installReplacesAnEarlierStateWhole() throws Exception {
    Files.createDirectories(stateDir());
    Files.writeString(trackedFile(), "; an earlier state\n");

    assertEquals(0, update("--xml", fixture("root-anchors-2014.xml"), "--p7s", fixture("root-anchors-2014.p7s"), "--time", MAY_2014),
        err.toString());

    String state = Files.readString(trackedFile());
    assertFalse(state.contains("an earlier state"), state);
    assertTrue(state.contains("19036"), state);
  }

  @Test
  void onlyTheAnchorsValidAtTheTimeAreInstalledAndTheOthersAreNamed() throws Exception {
    AnchorPki.Issued root = AnchorPki.root("CN=Test Root CA");
    Signed signed = sign(root, keyDigest("K2010", 19036, "2010-07-15T00:00:00+00:00", "2019-01-11T00:00:00+00:00")
        + keyDigest("K2017", 20326, "2017-02-02T00:00:00+00:00", null)
        + keyDigest("K2030", 11111, "2030-01-01T00:00:00+00:00", null));

    int exit = update("--xml", signed.xml().toString(), "--p7s", signed.p7s().toString(), "--ca", signed.ca().toString(),
        "--time", "2025-01-01T00:00:00Z");

    assertEquals(0, exit, err.toString());
    String text = out.toString();
    assertTrue(text.startsWith("installed 1 root trust anchor in "), text);
    assertTrue(text.contains("\n  key 20326  algorithm 8  valid from 2017-02-02T00:00:00Z\n"), text);
    assertTrue(text.contains("  not installed: . key tag 19036 algorithm 8 valid from 2010-07-15T00:00:00Z until 2019-01-11T00:00:00Z (expired)"), text);
    assertTrue(text.contains("  not installed: . key tag 11111 algorithm 8 valid from 2030-01-01T00:00:00Z (not yet valid)"), text);
    String state = Files.readString(trackedFile());
    assertTrue(state.contains("20326") && !state.contains("19036") && !state.contains("11111"), state);
  }

  @Test
  void noAnchorValidAtTheTimeIsRefusedWithExit1RatherThanInstallingAnEmptySet() throws Exception {
    AnchorPki.Issued root = AnchorPki.root("CN=Test Root CA");
    Signed signed = sign(root, keyDigest("K2010", 19036, "2010-07-15T00:00:00+00:00", "2019-01-11T00:00:00+00:00"));

    int exit = update("--xml", signed.xml().toString(), "--p7s", signed.p7s().toString(), "--ca", signed.ca().toString(),
        "--time", "2025-01-01T00:00:00Z");

    assertEquals(1, exit);
    assertOneLine("rootmirror anchor update: " + signed.xml() + ": no root anchor valid at 2025-01-01T00:00:00Z"
        + " (. key tag 19036 algorithm 8 valid from 2010-07-15T00:00:00Z until 2019-01-11T00:00:00Z); nothing installed");
    assertFalse(Files.exists(trackedFile()));
  }

  @Test
  void serverAnswering404IsExit2WithOneLineNamingTheStatus() throws Exception {
    URI url = serve((byte[]) null, null);

    int exit = update("--url", url.toString(), "--time", MAY_2014);

    assertEquals(2, exit);
    assertOneLine("rootmirror anchor update: HTTP 404 from " + url + "; nothing installed");
    assertFalse(Files.exists(trackedFile()));
  }

  @Test
  void oversizedBodyIsExit2WithOneLine() throws Exception {
    URI url = serve(new byte[AnchorDownload.MAX_BYTES + 1], new byte[0]);

    int exit = update("--url", url.toString(), "--time", MAY_2014);

    assertEquals(2, exit);
    assertOneLine("rootmirror anchor update: " + url + ": more than 65536 bytes, which no root-anchors file is; nothing installed");
    assertEquals(List.of(XML_PATH), requested, "the signature is not fetched after a failed XML");
  }

  @Test
  void serverWhoseCertificateTheJdkDoesNotTrustIsExit2() throws Exception {
    URI url = serve(fixture("root-anchors-2014.xml"), fixture("root-anchors-2014.p7s"));

    int exit = update((SSLContext) null, "--url", url.toString(), "--time", MAY_2014);

    assertEquals(2, exit);
    assertOneLine("rootmirror anchor update: " + url + ": ");
    assertTrue(err.toString().contains("PKIX"), err.toString());
    assertFalse(Files.exists(trackedFile()));
  }

  @Test
  void nothingListeningIsExit2SayingItCannotConnect() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort(); // closed again: nothing listens there (a tiny race with other processes, harmless)
    }
    String url = "https://127.0.0.1:" + port + XML_PATH;

    assertEquals(2, update("--url", url));

    assertOneLine("rootmirror anchor update: " + url + ": cannot connect to 127.0.0.1:" + port + " (connection refused); nothing installed");
  }

  @Test
  void usageErrorsAreExit2WithOneLineEach() {
    assertEquals(2, update("--xml", "root-anchors.xml"));
    assertEquals(2, update("--xml", "a.xml", "--p7s", "a.p7s", "--url", "https://example.org/a.xml"));
    assertEquals(2, update("--url", "http://data.iana.org/root-anchors/root-anchors.xml"));
    assertEquals(2, update("--xml", dir.resolve("absent.xml").toString(), "--p7s", dir.resolve("absent.p7s").toString()));

    List<String> lines = err.toString().lines().toList();
    assertEquals(4, lines.size(), err.toString());
    assertTrue(lines.stream().allMatch(l -> l.startsWith("rootmirror anchor update: ")), err.toString());
    assertTrue(lines.get(0).contains("--xml and --p7s go together"), lines.get(0));
    assertTrue(lines.get(1).contains("--url fetches the files that --xml and --p7s name"), lines.get(1));
    assertTrue(lines.get(2).contains("plain http is refused"), lines.get(2));
    assertTrue(lines.get(3).endsWith("absent.xml: no such file"), lines.get(3));
    assertFalse(Files.exists(trackedFile()));
  }

  @Test
  void signatureFileIsBesideTheXml() {
    assertEquals(URI.create("https://data.iana.org/root-anchors/root-anchors.p7s"), AnchorDownload.signatureOf(AnchorDownload.IANA_XML));
    assertEquals(URI.create("https://127.0.0.1:8443/anchors.p7s"), AnchorDownload.signatureOf(URI.create("https://127.0.0.1:8443/anchors")));
  }

  // --- helpers

  private int update(String... args) {
    return update(trustingTestCa, args);
  }

  /** Runs {@code anchor update ARGS} with the state in {@code dir}, trusting {@code tls} for HTTPS (null: the JDK's CAs). */
  private int update(SSLContext tls, String... args) {
    CommandLine cli = cli(out, err);
    cli.getSubcommands().get("anchor").getSubcommands().get("update").<AnchorUpdate>getCommand().tls = tls;
    List<String> all = new ArrayList<>(List.of("anchor", "update", "--config", config.toString(),
        "--state-dir", stateDir().toString()));
    all.addAll(List.of(args));
    return cli.execute(all.toArray(String[]::new));
  }

  private static CommandLine cli(StringWriter out, StringWriter err) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli;
  }

  private Path stateDir() {
    return dir.resolve("state");
  }

  private Path trackedFile() {
    return new ManagedKeysStore(stateDir()).file();
  }

  private void assertOneLine(String start) {
    String text = err.toString();
    assertEquals(1, text.lines().count(), text);
    assertTrue(text.startsWith(start), text);
  }

  private URI serve(String xmlFixture, String p7sFixture) throws IOException {
    return serve(Files.readAllBytes(Path.of(xmlFixture)), Files.readAllBytes(Path.of(p7sFixture)));
  }

  /** Serves {@code xml} and {@code p7s} at IANA's paths; a null is a 404, as is any other path. */
  private URI serve(byte[] xml, byte[] p7s) throws IOException {
    if (xml != null) {
      files.put(XML_PATH, xml);
    }
    if (p7s != null) {
      files.put(P7S_PATH, p7s);
    }
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    try {
      server.setHttpsConfigurator(new HttpsConfigurator(pki.server("127.0.0.1")));
    } catch (Exception e) {
      throw new IOException(e);
    }
    server.setExecutor(executor);
    server.createContext("/", exchange -> {
      requested.add(exchange.getRequestURI().getPath());
      byte[] body = files.get(exchange.getRequestURI().getPath());
      // chunked (0), so that the size is not announced and only the streaming bound can stop an oversized body
      respond(exchange, body == null ? 404 : 200, body == null ? new byte[0] : body, body == null ? -1 : 0);
    });
    server.start();
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + XML_PATH);
  }

  private static void respond(HttpExchange exchange, int status, byte[] body, long length) throws IOException {
    exchange.sendResponseHeaders(status, length);
    try (OutputStream o = exchange.getResponseBody()) {
      o.write(body);
    }
  }

  /** A root-anchors.xml, its signature by a dnssec@iana.org certificate from {@code root}, and that CA's PEM, in {@code dir}. */
  private Signed sign(AnchorPki.Issued root, String keyDigests) throws Exception {
    AnchorPki.Issued signer = AnchorPki.signer("O=ICANN,CN=dnssec@iana.org,E=dnssec@iana.org", root, KeyUsage.digitalSignature, null);
    byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TrustAnchor id=\"test\" source=\"test\">\n<Zone>.</Zone>\n"
        + keyDigests + "</TrustAnchor>\n").getBytes(StandardCharsets.UTF_8);
    Path xmlFile = Files.write(dir.resolve("root-anchors.xml"), xml);
    Path p7sFile = Files.write(dir.resolve("root-anchors.p7s"), AnchorPki.sign(xml, signer, List.of(signer.cert())));
    Path ca = Files.write(dir.resolve("ca.pem"), AnchorPki.pem(root.cert()));
    return new Signed(xmlFile, p7sFile, ca);
  }

  private record Signed(Path xml, Path p7s, Path ca) {}

  private static String keyDigest(String id, int keyTag, String from, String until) {
    return "<KeyDigest id=\"" + id + "\" validFrom=\"" + from + "\"" + (until == null ? "" : " validUntil=\"" + until + "\"") + ">\n"
        + "<KeyTag>" + keyTag + "</KeyTag>\n<Algorithm>8</Algorithm>\n<DigestType>2</DigestType>\n"
        + "<Digest>" + "49AAC11D7B6F6446702E54A1607371607A1A41855200FD2CE1CDDE32F24E8FB5" + "</Digest>\n</KeyDigest>\n";
  }

  private static String fixture(String name) {
    return Fixtures.trustAnchor(name).toString();
  }
}
