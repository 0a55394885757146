package org.rootmirror.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rootmirror.sync.server.net.ServerNetOptions;
import org.rootmirror.sync.server.testing.ServedZones;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/** The whole mirror on real sockets, with dnsjava as the client over UDP and TCP. */
class MirrorServiceTest {
  private final PublishedZone published = new PublishedZone();
  private ZoneSnapshot root;
  private MirrorService mirror;
  private InetSocketAddress address;

  @BeforeEach
  void start() throws IOException {
    root = ServedZones.root2026(); // skips without the fixtures
    published.publish(root);
    ServerNetOptions net = ServerNetOptions.defaults().withAddresses(List.of(InetAddress.getLoopbackAddress())).withPort(0);
    mirror = MirrorService.start(MirrorService.Options.defaults().withNet(net), published, null, primary -> {});
    address = mirror.localAddresses().get(0);
  }

  @AfterEach
  void stop() throws IOException {
    mirror.close();
  }

  private Message ask(String name, int type, boolean tcp, int ednsPayload, boolean dnssecOk) throws IOException {
    SimpleResolver r = new SimpleResolver(address);
    r.setTCP(tcp);
    r.setTimeout(Duration.ofSeconds(5));
    r.setIgnoreTruncation(true);
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    q.getHeader().unsetFlag(Flags.RD);
    if (ednsPayload > 0) {
      q.addRecord(new OPTRecord(ednsPayload, 0, 0, dnssecOk ? Flags.DO : 0), Section.ADDITIONAL);
    }
    return r.send(q);
  }

  @Test
  void referralOverUdpAndTcpCarriesTheDelegationAndItsDs() throws IOException {
    for (boolean tcp : new boolean[] {false, true}) {
      Message m = ask("www.example.com.", Type.A, tcp, 1232, true);
      assertEquals(Rcode.NOERROR, m.getRcode());
      assertFalse(m.getHeader().getFlag(Flags.AA), "a referral is not authoritative");
      Set<Integer> types = new HashSet<>();
      m.getSection(Section.AUTHORITY).forEach(r -> types.add(r.getType()));
      assertEquals(Set.of(Type.NS, Type.DS, Type.RRSIG), types, m.toString());
      assertEquals(root.zone().rrset(Name.fromString("com."), Type.NS).size(),
          m.getSection(Section.AUTHORITY).stream().filter(r -> r.getType() == Type.NS).count());
    }
  }

  @Test
  void nameUnderANonexistentTldIsNxdomainWithNsecProof() throws IOException {
    Message m = ask("printer.lan.", Type.A, false, 1232, true);
    assertEquals(Rcode.NXDOMAIN, m.getRcode());
    assertTrue(m.getHeader().getFlag(Flags.AA));
    long nsec = m.getSection(Section.AUTHORITY).stream().filter(r -> r.getType() == Type.NSEC).count();
    assertTrue(nsec >= 1 && nsec <= 2, m.toString());
  }

  @Test
  void answerTooLargeForTheClientsBufferIsTruncatedAndCompleteOverTcp() throws IOException {
    Message udp = ask(".", Type.DNSKEY, false, 512, true);
    assertTrue(udp.getHeader().getFlag(Flags.TC), udp.toString());
    Message tcp = ask(".", Type.DNSKEY, true, 512, true);
    assertFalse(tcp.getHeader().getFlag(Flags.TC));
    assertEquals(root.zone().apex(Type.DNSKEY).size(), tcp.getSection(Section.ANSWER).stream().filter(r -> r.getType() == Type.DNSKEY).count());
  }

  @Test
  void axfrFromLoopbackGivesTheWholeZone() throws Exception {
    ZoneTransferIn xfr = ZoneTransferIn.newAXFR(Name.root, address, null);
    xfr.setTimeout(Duration.ofSeconds(20));
    xfr.run();
    assertEquals(root.zone().records().size() + 1, xfr.getAXFR().size(), "every record, and the SOA once more at the end");
  }

  @Test
  void withdrawnZoneIsAnsweredWithServfail() throws IOException {
    published.withdraw();
    assertEquals(Rcode.SERVFAIL, ask("www.example.com.", Type.A, false, 1232, false).getRcode());
    assertEquals(Rcode.SERVFAIL, ask(".", Type.SOA, true, 0, false).getRcode());
    published.publish(root);
    assertEquals(Rcode.NOERROR, ask(".", Type.SOA, false, 0, false).getRcode());
  }
}
