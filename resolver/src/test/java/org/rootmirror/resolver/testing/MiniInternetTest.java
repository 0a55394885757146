package org.rootmirror.resolver.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.dnssec.validate.ValidationReport;
import org.rootmirror.dnssec.validate.ZoneValidator;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.sync.server.Transport;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The mini-internet is what resolver tests take it for, checked with dnsjava as the client. */
class MiniInternetTest {
  private static final Duration SLOW = Duration.ofMillis(300);
  private static MiniInternet net;

  @BeforeAll
  static void start() throws IOException {
    net = MiniInternet.builder().slowDelay(SLOW).start();
  }

  @AfterAll
  static void stop() throws IOException {
    net.close();
  }

  private static Message ask(String server, String name, int type, boolean tcp) throws IOException {
    return ask(net.address(server), name, type, tcp, Duration.ofSeconds(3));
  }

  /** A query as an iterator sends it: RD clear, EDNS 1232 with DO; truncated answers kept as they are. */
  private static Message ask(InetAddress server, String name, int type, boolean tcp, Duration timeout) throws IOException {
    SimpleResolver resolver = new SimpleResolver(net.socketAddress(server));
    resolver.setTCP(tcp);
    resolver.setIgnoreTruncation(true);
    resolver.setTimeout(timeout);
    resolver.setEDNS(0, 1232, ExtendedFlags.DO);
    Message query = Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, DClass.IN));
    query.getHeader().unsetFlag(Flags.RD);
    return resolver.send(query);
  }

  private static RRset rrset(Message m, int section, String owner, int type) {
    Name name = Name.fromConstantString(owner);
    return m.getSectionRRsets(section).stream()
        .filter(s -> s.getName().equals(name) && s.getType() == type).findFirst()
        .orElseThrow(() -> new AssertionError("no " + owner + " " + Type.string(type) + " in section " + section + ":\n" + m));
  }

  private static boolean has(Message m, int section, int type) {
    return m.getSection(section).stream().anyMatch(r -> r.getType() == type);
  }

  @Test
  void rootRefersTestToItsServersWithASignedDs() throws IOException {
    Message m = ask("a.root-servers.test.", "www.test.", Type.A, false);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertFalse(m.getHeader().getFlag(Flags.AA), "a referral");
    assertEquals(2, rrset(m, Section.AUTHORITY, "test.", Type.NS).size());
    RRset ds = rrset(m, Section.AUTHORITY, "test.", Type.DS);
    assertEquals(net.ds(Name.fromConstantString("test.")), ds.first());
    assertEquals(1, ds.sigs().size());
    assertEquals(net.address("ns1.test."), ((ARecord) rrset(m, Section.ADDITIONAL, "ns1.test.", Type.A).first()).getAddress());
  }

  @Test
  void insecureReferralHasNoDsButAnNsecProvingThat() throws IOException {
    Message m = ask("b.root-servers.test.", "www.insecure.", Type.A, false);
    assertFalse(has(m, Section.AUTHORITY, Type.DS));
    NSECRecord nsec = (NSECRecord) rrset(m, Section.AUTHORITY, "insecure.", Type.NSEC).first();
    assertTrue(nsec.hasType(Type.NS));
    assertFalse(nsec.hasType(Type.DS), "RFC 4035 section 5.2: the proof of an insecure delegation");
    rrset(m, Section.ADDITIONAL, "ns1.insecure.", Type.A);
    rrset(m, Section.ADDITIONAL, "ns2.insecure.", Type.A);
  }

  @Test
  void nsec3IsDelegatedToANameServerOutsideItWithoutGlue() throws IOException {
    Message m = ask("a.root-servers.test.", "host.nsec3.", Type.A, false);
    assertEquals(Name.fromConstantString("ns.example."),
        ((NSRecord) rrset(m, Section.AUTHORITY, "nsec3.", Type.NS).first()).getTarget());
    assertFalse(has(m, Section.ADDITIONAL, Type.A), "the address of ns.example. must be looked up in example.");
  }

  @Test
  void unsignedChildOfASignedZoneHasAnNsecProofOfNoDs() throws IOException {
    Message m = ask("ns1.test.", "www.unsigned.test.", Type.A, false);
    NSECRecord nsec = (NSECRecord) rrset(m, Section.AUTHORITY, "unsigned.test.", Type.NSEC).first();
    assertFalse(nsec.hasType(Type.DS));
  }

  @Test
  void nsec3ZoneDeniesNamesWithNsec3() throws IOException {
    Message m = ask("ns.example.", "nope.nsec3.", Type.A, false);
    assertEquals(Rcode.NXDOMAIN, m.getRcode());
    assertTrue(m.getHeader().getFlag(Flags.AA));
    assertTrue(has(m, Section.AUTHORITY, Type.NSEC3));
    assertFalse(has(m, Section.AUTHORITY, Type.NSEC));
  }

  @Test
  void bigTxtIsTruncatedOverUdpAndWholeOverTcp() throws IOException {
    Message udp = ask("ns1.sec.test.", "big.sec.test.", Type.TXT, false);
    assertTrue(udp.getHeader().getFlag(Flags.TC));
    assertEquals(0, udp.getSection(Section.ANSWER).size());
    Message tcp = ask("ns1.sec.test.", "big.sec.test.", Type.TXT, true);
    assertFalse(tcp.getHeader().getFlag(Flags.TC));
    assertEquals(MiniZones.BIG_TXT_STRINGS, rrset(tcp, Section.ANSWER, "big.sec.test.", Type.TXT).size());
    assertTrue(tcp.toWire().length > 1232);
  }

  @Test
  void cnameChainCrossesThreeZones() throws IOException {
    Message sec = ask("ns1.sec.test.", "www.sec.test.", Type.A, false);
    assertEquals(Name.fromConstantString("www.example."), ((CNAMERecord) rrset(sec, Section.ANSWER, "www.sec.test.", Type.CNAME).first()).getTarget());
    Message example = ask("ns1.example.", "www.example.", Type.A, false);
    assertEquals(Name.fromConstantString("host.child.nsec3."), ((CNAMERecord) rrset(example, Section.ANSWER, "www.example.", Type.CNAME).first()).getTarget());
    Message child = ask("ns1.child.nsec3.", "host.child.nsec3.", Type.A, false);
    assertEquals(1, rrset(child, Section.ANSWER, "host.child.nsec3.", Type.A).sigs().size());
  }

  @Test
  void dnameRedirectsOldExampleToSecTest() throws IOException {
    Message m = ask("ns1.example.", "host.old.example.", Type.A, false);
    rrset(m, Section.ANSWER, "old.example.", Type.DNAME);
    assertEquals(Name.fromConstantString("host.sec.test."), ((CNAMERecord) rrset(m, Section.ANSWER, "host.old.example.", Type.CNAME).first()).getTarget());
  }

  @Test
  void wildcardAnswersWithItsNsecProof() throws IOException {
    Message m = ask("ns1.sec.test.", "anything.wild.sec.test.", Type.A, false);
    RRset a = rrset(m, Section.ANSWER, "anything.wild.sec.test.", Type.A);
    assertEquals(3, ((RRSIGRecord) a.sigs().get(0)).getLabels(), "signed as *.wild.sec.test. (RFC 4035 section 5.3.4)");
    assertTrue(has(m, Section.AUTHORITY, Type.NSEC), "no closer match exists (RFC 4035 section 3.1.3.3)");
  }

  @Test
  void lameServerRefusesItsOwnZone() throws IOException {
    Message m = ask("ns2.example.", "example.", Type.SOA, false);
    assertEquals(Rcode.REFUSED, m.getRcode());
    assertEquals(MiniInternet.Fault.LAME, net.nameServer("ns2.example.").fault());
  }

  @Test
  void slowServerAnswersOnlyAfterItsDelay() throws IOException {
    long start = System.nanoTime();
    Message m = ask("ns2.test.", "www.test.", Type.A, false);
    long elapsed = System.nanoTime() - start;
    assertTrue(m.getHeader().getFlag(Flags.AA));
    assertTrue(elapsed >= SLOW.toNanos(), "answered after " + elapsed / 1_000_000 + " ms");
  }

  @Test
  void unreachableServerNeverAnswers() {
    InetAddress unreachable = net.address("ns2.insecure.");
    assertThrows(IOException.class, () -> ask(unreachable, "www.insecure.", Type.A, false, Duration.ofMillis(200)));
    assertThrows(IOException.class, () -> ask(unreachable, "www.insecure.", Type.A, true, Duration.ofMillis(200)));
  }

  @Test
  void logRecordsEveryQueryWithServerTransportAndDo() throws IOException {
    InetAddress root = net.address("b.root-servers.test.");
    ask(root, "logged.example.", Type.AAAA, true, Duration.ofSeconds(3));
    List<QueryLog.Entry> logged = net.queriesTo(root).stream()
        .filter(e -> e.qname().equals(Name.fromConstantString("logged.example."))).toList();
    assertEquals(1, logged.size(), logged.toString());
    QueryLog.Entry e = logged.get(0);
    assertEquals(Transport.TCP, e.transport());
    assertEquals(Type.AAAA, e.qtype());
    assertTrue(e.dnssecOk());
    assertFalse(e.message().getHeader().getFlag(Flags.RD));
    assertTrue(net.queries().contains(e));
  }

  @Test
  void brokenSignatureFailsVerificationAndTheRestVerify() throws Exception {
    Instant now = Instant.now();
    int verified = 0;
    int broken = 0;
    for (Map.Entry<Name, Zone> entry : net.zones().entrySet()) {
      Zone zone = entry.getValue();
      List<DNSKEYRecord> keys = zone.apex(Type.DNSKEY).stream().map(DNSKEYRecord.class::cast).toList();
      for (Map<Integer, RRset> node : zone.nodes().values()) {
        for (RRset set : node.values()) {
          for (RRSIGRecord sig : set.sigs()) {
            DNSKEYRecord key = keys.stream().filter(k -> k.getFootprint() == sig.getFootprint()).findFirst().orElseThrow();
            if (set.getName().equals(Name.fromConstantString("www.bogus.test.")) && set.getType() == Type.A) {
              assertThrows(DNSSEC.DNSSECException.class, () -> DNSSEC.verify(set, sig, key, now));
              broken++;
            } else {
              DNSSEC.verify(set, sig, key, now);
              verified++;
            }
          }
        }
      }
    }
    assertEquals(1, broken);
    assertTrue(verified > 50, verified + " signatures");
  }

  @Test
  void rootZoneValidatesAgainstTheTrustAnchorsWithItsZonemd() {
    ValidationReport report = new ZoneValidator(net.trustAnchors(), true).validate(net.rootZone(), Instant.now());
    assertTrue(report.valid(), report.summary());
  }

  @Test
  void everySignedChildsDsIsInItsParentAndMatchesItsKsk() {
    int checked = 0;
    for (Name origin : net.zones().keySet()) {
      DSRecord ds = net.ds(origin);
      if (origin.equals(Name.root) || ds == null) {
        continue;
      }
      Zone parent = parentOf(origin);
      RRset inParent = parent.rrset(origin, Type.DS);
      assertNotNull(inParent, origin + " has no DS in " + parent.origin());
      assertTrue(inParent.rrs(false).contains(ds));
      DNSKEYRecord ksk = net.zone(origin).apex(Type.DNSKEY).stream().map(DNSKEYRecord.class::cast)
          .filter(k -> (k.getFlags() & DNSKEYRecord.Flags.SEP_KEY) != 0).findFirst().orElseThrow();
      assertEquals(new DSRecord(origin, DClass.IN, ds.getTTL(), DNSSEC.Digest.SHA256, ksk), ds);
      checked++;
    }
    assertEquals(6, checked, "test, sec.test, bogus.test, example, nsec3, child.nsec3");
    assertEquals(List.of(net.address("a.root-servers.test."), net.address("b.root-servers.test.")), net.rootServers());
    assertEquals(net.rootServers(), net.rootHints().addresses());
  }

  @Test
  void twoMiniInternetsOnPort53TakeDifferentRanges() throws IOException {
    // port 53, as Unbound needs; skipped where it cannot be bound at all (no privilege)
    try (MiniInternet first = MiniInternet.builder().port(53).slowDelay(Duration.ZERO).startOrSkip();
        MiniInternet second = MiniInternet.builder().port(53).slowDelay(Duration.ZERO).startOrSkip()) {
      assertEquals(53, second.port());
      assertNotEquals(first.address("ns2.test."), second.address("ns2.test."));
      NSRecord ns = (NSRecord) second.rootZone().rrset(Name.fromConstantString("test."), Type.NS).first();
      ARecord glue = (ARecord) second.rootZone().rrset(ns.getTarget(), Type.A).first();
      assertEquals(second.address(ns.getTarget().toString()), glue.getAddress(), "the glue follows the range");
      SimpleResolver resolver = new SimpleResolver(second.socketAddress(second.address("ns2.test.")));
      resolver.setTimeout(Duration.ofSeconds(3));
      Message m = resolver.send(Message.newQuery(Record.newRecord(Name.fromConstantString("test."), Type.SOA, DClass.IN)));
      assertEquals(Rcode.NOERROR, m.getRcode());
      assertEquals(1, second.queriesTo(second.address("ns2.test.")).size());
      assertEquals(0, first.queries().size(), "each mini-internet has its own servers and log");
    }
  }

  /** The closest zone above {@code origin}. */
  private static Zone parentOf(Name origin) {
    for (int skip = 1; ; skip++) {
      Zone zone = net.zones().get(new Name(origin, skip));
      if (zone != null) {
        return zone;
      }
    }
  }

  @Test
  void ldnsVerifiesTheNsec3OptOutZone(@TempDir Path dir) throws Exception {
    boolean installed = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, "ldns-verify-zone")));
    assumeTrue(installed, "ldns-verify-zone is not installed (Debian: ldnsutils)");
    Name origin = Name.fromConstantString("child.nsec3.");
    Path zone = Files.write(dir.resolve("zone"), net.zone(origin).records().stream().map(Record::toString).toList());
    Path anchor = Files.writeString(dir.resolve("anchor"), net.ds(origin) + "\n");
    List<String> command = new ArrayList<>(List.of("ldns-verify-zone", "-k", anchor.toString(), zone.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);
    assertEquals(0, process.waitFor(), output);
  }
}
