package org.rootmirror.resolver.iterate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.dnssec.testing.Fixtures;
import org.xbill.DNS.Name;

class RootHintsTest {
  private static final String ONE_SERVER = """
      .                        3600000      NS    A.ROOT-SERVERS.NET.
      A.ROOT-SERVERS.NET.      3600000      A     198.41.0.4
      """;

  @Test
  void builtInHintsNameThirteenServersEachWithOneIpv4AndOneIpv6Address() {
    var servers = RootHints.builtIn().servers();
    assertEquals(13, servers.size());
    assertEquals(13, servers.stream().mapToInt(s -> s.ipv4().size()).sum());
    assertEquals(13, servers.stream().mapToInt(s -> s.ipv6().size()).sum());
    assertEquals(Name.fromConstantString("A.ROOT-SERVERS.NET."), servers.get(0).name());
    assertEquals(Name.fromConstantString("M.ROOT-SERVERS.NET."), servers.get(12).name());
    assertTrue(servers.stream().allMatch(s -> s.ipv4().size() == 1 && s.ipv6().size() == 1));
    assertEquals(26, RootHints.builtIn().addresses().size());
  }

  @Test
  void builtInHintsCarryTheCurrentAddresses() throws Exception {
    var a = RootHints.builtIn().servers().get(0);
    assertEquals(InetAddress.getByName("198.41.0.4"), a.ipv4().get(0));
    assertEquals(InetAddress.getByName("2001:503:ba3e::2:30"), a.ipv6().get(0));
    var b = RootHints.builtIn().servers().get(1);
    assertEquals(InetAddress.getByName("170.247.170.2"), b.ipv4().get(0));
  }

  @Test
  void readingInternicNamedRootGivesTheBuiltInHints() throws Exception {
    var hints = RootHints.read(Fixtures.dir().resolve("named.root"));
    assertEquals(RootHints.builtIn(), hints);
  }

  @Test
  void readsAFileWithOwnerInheritanceOriginAndParentheses(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("named.root");
    Files.writeString(file, """
        ; a comment
        $TTL 3600000
        $ORIGIN ROOT-SERVERS.NET.
        .       NS  A
        A       A   198.41.0.4
                AAAA ( 2001:503:ba3e::2:30 ) ; same owner
        """);
    var server = RootHints.read(file).servers().get(0);
    assertEquals(Name.fromConstantString("A.ROOT-SERVERS.NET."), server.name());
    assertEquals(1, server.ipv4().size());
    assertEquals(1, server.ipv6().size());
  }

  @Test
  void nsRecordForANameOtherThanTheRootIsRejectedNamingTheLine() {
    var e = assertThrows(IllegalArgumentException.class, () -> RootHints.parse(ONE_SERVER + """
        com.                     172800       NS    A.GTLD-SERVERS.NET.
        """, "hints"));
    assertTrue(e.getMessage().startsWith("hints:3: NS record for com."), e.getMessage());
    assertTrue(e.getMessage().contains("root (.) only"), e.getMessage());
  }

  @Test
  void addressForANameNoNsRecordNamesIsRejectedNamingTheLine() {
    var e = assertThrows(IllegalArgumentException.class, () -> RootHints.parse(ONE_SERVER + """

        B.ROOT-SERVERS.NET.      3600000      AAAA  2801:1b8:10::b
        """, "hints"));
    assertEquals("hints:4: AAAA record for B.ROOT-SERVERS.NET., which no root NS record names",
        e.getMessage());
  }

  @Test
  void serverWithoutAddressIsRejected() {
    var e = assertThrows(IllegalArgumentException.class, () -> RootHints.parse(ONE_SERVER + """
        .                        3600000      NS    B.ROOT-SERVERS.NET.
        """, "hints"));
    assertEquals("hints:3: root server B.ROOT-SERVERS.NET. has no A or AAAA record in the hints",
        e.getMessage());
  }

  @Test
  void otherRecordTypesAndSyntaxErrorsAreRejectedNamingTheLine() {
    var mx = assertThrows(IllegalArgumentException.class, () -> RootHints.parse(ONE_SERVER + """
        . 3600000 MX 10 mail.example.
        """, "hints"));
    assertTrue(mx.getMessage().startsWith("hints:3: MX record for ."), mx.getMessage());
    var bad = assertThrows(IllegalArgumentException.class, () -> RootHints.parse(ONE_SERVER + """
        A.ROOT-SERVERS.NET. 3600000 A 198.41.0
        """, "hints"));
    assertTrue(bad.getMessage().startsWith("hints:3: "), bad.getMessage());
    assertTrue(bad.getMessage().endsWith("A.ROOT-SERVERS.NET. 3600000 A 198.41.0"), bad.getMessage());
    var empty = assertThrows(IllegalArgumentException.class, () -> RootHints.parse("; nothing\n", "hints"));
    assertEquals("hints: no NS records for the root", empty.getMessage());
  }
}
