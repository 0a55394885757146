package org.rootmirror.sync.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The test server checked by an independent client, BIND's dig: what it sends for AXFR and IXFR
 * is what RFC 5936 and RFC 1995 describe, not just what our own client accepts. Skipped where dig
 * is not installed (Debian package bind9-dnsutils).
 */
@Timeout(30)
class XfrTestServerTest {
  @Test
  void digReceivesTheWholeRootZoneByAxfr() throws Exception {
    List<Record> root = TestZones.root2026().records();
    try (XfrTestServer server = XfrTestServer.start(Name.root, root)) {
      List<Record> received = dig(server, "AXFR");

      // SOA, every other record, SOA again
      assertEquals(root.size() + 1, received.size());
      assertEquals(received.get(0), received.get(received.size() - 1));
      assertEquals(TestZones.recordSet(root), TestZones.recordSet(received));
    }
  }

  @Test
  void digReceivesDifferencesInRfc1995Order() throws Exception {
    List<Record> v1 = TestZones.small(1);
    List<Record> v2 = TestZones.withSerial(TestZones.with(
        TestZones.without(v1, Name.fromConstantString("ccc.")), "ddd. 172800 IN NS ns1.example."), 2);
    try (XfrTestServer server = XfrTestServer.start(Name.root, v1).publish(v2)) {
      List<String> received = dig(server, "IXFR=1").stream().map(Record::toString).toList();

      String soa1 = v1.get(0).toString();
      String soa2 = v2.get(0).toString();
      String deleted = TestZones.parse("ccc. 172800 IN NS ns1.example.").get(0).toString();
      String added = TestZones.parse("ddd. 172800 IN NS ns1.example.").get(0).toString();
      assertEquals(List.of(soa2, soa1, deleted, soa2, added, soa2), received);
    }
  }

  @Test
  void digIsToldItIsCurrentWithTheSoaAlone() throws Exception {
    List<Record> v1 = TestZones.small(1);
    try (XfrTestServer server = XfrTestServer.start(Name.root, v1)) {
      assertEquals(List.of(v1.get(0).toString()), dig(server, "IXFR=1").stream().map(Record::toString).toList());
    }
  }

  /** Runs dig for {@code type} against the server and parses the records it prints. */
  private static List<Record> dig(XfrTestServer server, String type) throws IOException, InterruptedException {
    Path dig = Path.of("/usr/bin/dig");
    assumeTrue(Files.isExecutable(dig), "dig is not installed (Debian: bind9-dnsutils); skipping the check by an independent client");
    Process p = new ProcessBuilder(dig.toString(), "@127.0.0.1", "-p", Integer.toString(server.port()),
        "+tcp", "+nocmd", "+nostats", "+nocomments", "+noquestion", ".", type)
        .redirectErrorStream(true)
        .start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    assertEquals(0, p.exitValue(), new String(out, StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank() && !line.startsWith(";")) {
        lines.add(line);
      }
    }
    return TestZones.parse(String.join("\n", lines) + "\n");
  }
}
