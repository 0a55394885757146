package org.rootmirror.resolver.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.resolver.testing.LoopbackResolver;
import org.rootmirror.resolver.testing.MiniInternet;
import org.rootmirror.sync.server.interop.ToolAnswer;
import org.rootmirror.sync.server.interop.Tools;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.utils.base16;

/**
 * Debian's DNS clients query rootmirror's resolver (on 127.0.0.1, an ephemeral port) resolving
 * through the {@link MiniInternet}: {@code dig} and {@code kdig} read its flags, RCODEs and
 * Extended DNS Errors, and {@code delv} validates its answers itself from the mini-internet's root
 * KSK, so that the signatures rootmirror passes on are checked by another implementation. A tool
 * that is not installed is skipped, saying so.
 */
@Timeout(60)
class ClientToolsTest {
  private static final Duration CLIENT_LIMIT = Duration.ofSeconds(20);
  /** Under no TLD of the mini-internet's root. */
  private static final String JUNK = "www.example.nosuchtld.";

  @TempDir
  static Path dir;

  private static MiniInternet net;
  private static LoopbackResolver resolver;

  @BeforeAll
  static void start() throws IOException {
    net = MiniInternet.builder().slowDelay(Duration.ofMillis(300)).start();
    resolver = LoopbackResolver.start(net);
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      resolver.close();
    } finally {
      net.close();
    }
  }

  @Test
  void digSeesTheAdFlagOnASecureAnswer() throws Exception {
    ToolAnswer a = dig("host.sec.test.", "A");
    assertEquals("NOERROR", a.status(), a.output());
    assertTrue(a.flags().containsAll(List.of("qr", "rd", "ra", "ad")), a.output());
    assertTrue(a.has("ANSWER", "host\\.sec\\.test\\.", "A"), a.output());
    assertTrue(a.has("ANSWER", "host\\.sec\\.test\\.", "RRSIG A"), a.output());
  }

  @Test
  void digSeesServfailWithTheDnssecBogusExtendedError() throws Exception {
    ToolAnswer a = dig("www.bogus.test.", "A");
    assertEquals("SERVFAIL", a.status(), a.output());
    assertTrue(a.output().contains("EDE: 6 (DNSSEC Bogus)"), a.output());
    assertTrue(a.section("ANSWER").isEmpty(), a.output());
  }

  @Test
  void digSeesAValidatedNameErrorForAJunkTld() throws Exception {
    ToolAnswer a = dig(JUNK, "A");
    assertEquals("NXDOMAIN", a.status(), a.output());
    assertTrue(a.flags().contains("ad"), a.output());
    assertTrue(a.has("AUTHORITY", "\\.", "SOA"), a.output());
    assertTrue(a.has("AUTHORITY", "[a-z0-9.-]+", "NSEC"), a.output());
  }

  @Test
  void kdigSeesSecureAnswersOverUdpAndTcp() throws Exception {
    ToolAnswer udp = kdig("mail.sec.test.", "AAAA");
    assertEquals("NOERROR", udp.status(), udp.output());
    assertTrue(udp.flags().contains("ad"), udp.output());
    assertTrue(udp.has("ANSWER", "mail\\.sec\\.test\\.", "AAAA"), udp.output());

    // 8 strings of 200 bytes: more than a UDP answer holds, whole over TCP
    ToolAnswer tcp = kdig("big.sec.test.", "TXT", "+tcp");
    assertEquals("NOERROR", tcp.status(), tcp.output());
    assertTrue(tcp.flags().contains("ad"), tcp.output());
    assertFalse(tcp.flags().contains("tc"), tcp.output());
    assertEquals(8, tcp.output().lines().filter(l -> l.startsWith("big.sec.test.") && l.contains("\tTXT\t")).count(), tcp.output());
  }

  @Test
  void kdigSeesAnInsecureAnswerANameErrorAndABogusName() throws Exception {
    ToolAnswer insecure = kdig("www.unsigned.test.", "A", "+tcp");
    assertEquals("NOERROR", insecure.status(), insecure.output());
    assertFalse(insecure.flags().contains("ad"), insecure.output());
    assertTrue(insecure.has("ANSWER", "www\\.unsigned\\.test\\.", "A"), insecure.output());

    ToolAnswer nameError = kdig(JUNK, "AAAA", "+tcp");
    assertEquals("NXDOMAIN", nameError.status(), nameError.output());
    assertTrue(nameError.flags().contains("ad"), nameError.output());

    ToolAnswer bogus = kdig("www.bogus.test.", "A");
    assertEquals("SERVFAIL", bogus.status(), bogus.output());
    assertTrue(bogus.output().contains("EDE: 6 (DNSSEC Bogus)"), bogus.output());
  }

  @Test
  void delvFullyValidatesASecureAnswerAndAChainAcrossThreeZones() throws Exception {
    String answer = delv("host.sec.test.", "A");
    assertTrue(answer.contains("; fully validated"), answer);
    assertTrue(answer.contains("192.0.2.20"), answer);

    String chain = delv("www.sec.test.", "A");
    assertTrue(chain.contains("; fully validated"), chain);
    assertTrue(chain.contains("192.0.2.51"), chain);
  }

  @Test
  void delvFullyValidatesNameErrorsWithNsecAndNsec3() throws Exception {
    // delv 9.18 prints the proof under ";; resolution failed: ncache nxdomain" and "; negative response, fully validated"
    String nsec = delv(JUNK, "A");
    assertTrue(nsec.contains("; negative response, fully validated") && nsec.contains("nxdomain"), nsec);
    assertTrue(nsec.contains(" NSEC "), nsec);

    String nsec3 = delv("nothing.nsec3.", "A");
    assertTrue(nsec3.contains("; negative response, fully validated") && nsec3.contains("nxdomain"), nsec3);
    assertTrue(nsec3.contains(" NSEC3 "), nsec3);
  }

  @Test
  void delvRejectsTheBogusDataThatCheckingDisabledHandsBack() throws Exception {
    // +cdflag: rootmirror passes the bogus RRset on (RFC 4035 section 3.2.2) for delv to judge
    String bogus = delv("www.bogus.test.", "A", "+cdflag");
    assertFalse(bogus.contains("fully validated"), bogus);
    assertTrue(bogus.contains("resolution failed"), bogus);
    // the valid name beside it passes through the same path
    String ok = delv("ok.bogus.test.", "A", "+cdflag");
    assertTrue(ok.contains("; fully validated"), ok);
  }

  private static ToolAnswer dig(String name, String type, String... options) throws Exception {
    List<String> command = new ArrayList<>(List.of(Tools.require("dig", "bind9-dnsutils"), "@127.0.0.1", "-p", port(),
        "+dnssec", "+tries=1", "+timeout=10"));
    command.addAll(List.of(options));
    command.addAll(List.of(name, type));
    return ToolAnswer.parse(Tools.run(CLIENT_LIMIT, command.toArray(String[]::new)));
  }

  private static ToolAnswer kdig(String name, String type, String... options) throws Exception {
    List<String> command = new ArrayList<>(List.of(Tools.require("kdig", "knot-dnsutils"), "@127.0.0.1", "-p", port(),
        "+dnssec", "+retry=0", "+time=10", "+noidn"));
    command.addAll(List.of(options));
    command.addAll(List.of(name, type));
    return ToolAnswer.parse(Tools.run(CLIENT_LIMIT, command.toArray(String[]::new)));
  }

  /** delv's output: the answer and its verdict ("; fully validated", "; unsigned answer", ";; resolution failed: ..."). */
  private static String delv(String name, String type, String... options) throws Exception {
    List<String> command = new ArrayList<>(List.of(Tools.require("delv", "bind9-dnsutils"), "@127.0.0.1", "-p", port(),
        "-a", anchorFile().toString(), "+root=."));
    command.addAll(List.of(options));
    command.addAll(List.of(name, type));
    return Tools.run(CLIENT_LIMIT, command.toArray(String[]::new));
  }

  private static String port() {
    return Integer.toString(resolver.address().getPort());
  }

  /** The mini-internet's root KSK as a BIND trust anchor, which delv reads with -a. */
  private static synchronized Path anchorFile() throws IOException {
    Path file = dir.resolve("mini-internet.anchors");
    if (!Files.exists(file)) {
      DSRecord ds = net.ds(Name.root);
      Files.writeString(file, "trust-anchors {\n  . static-ds %d %d %d \"%s\";\n};\n"
          .formatted(ds.getFootprint(), ds.getAlgorithm(), ds.getDigestID(), base16.toString(ds.getDigest())));
    }
    return file;
  }
}
