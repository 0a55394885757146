package org.rootmirror.resolver.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.rootmirror.resolver.testing.FakeResolver;
import org.rootmirror.sync.server.net.ServerNetOptions;
import org.rootmirror.sync.server.xfr.AddressAcl;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The front end over real loopback sockets, with dnsjava's SimpleResolver, raw packets, dig and kdig as clients. */
class ResolverServiceTest {
  private static final Name ZONE = Name.fromConstantString("example.");
  private static final Name WWW = Name.fromConstantString("www.example.");
  private static final Name INSECURE = Name.fromConstantString("insecure.example.");
  private static final Name BIG = Name.fromConstantString("big.example.");
  private static final Name SLOW = Name.fromConstantString("slow.example.");
  private static final Name BOGUS = Name.fromConstantString("bogus.example.");
  private static final int BIG_RECORDS = 40;

  private final FakeResolver resolver = new FakeResolver();
  private ResolverService service;
  private InetSocketAddress address;

  @BeforeEach
  void start() throws IOException {
    RRset a = signed(new ARecord(WWW, DClass.IN, 300, InetAddress.getByName("192.0.2.1")));
    RRset soa = signed(new SOARecord(ZONE, DClass.IN, 300, Name.fromConstantString("ns.example."),
        Name.fromConstantString("hostmaster.example."), 1, 3600, 600, 86400, 300));
    RRset nsec = signed(new NSECRecord(WWW, DClass.IN, 300, Name.fromConstantString("z.example."), new int[] {Type.A, Type.RRSIG, Type.NSEC}));
    List<Record> texts = new ArrayList<>();
    for (int i = 0; i < BIG_RECORDS; i++) {
      texts.add(new TXTRecord(BIG, DClass.IN, 300, i + " " + "x".repeat(100)));
    }
    resolver
        .cache(Question.of(WWW, Type.A), new Resolution(Rcode.NOERROR, List.of(a), List.of(), SecurityStatus.SECURE, null))
        .cache(Question.of(WWW, Type.TXT), new Resolution(Rcode.NOERROR, List.of(), List.of(soa, nsec), SecurityStatus.SECURE, null))
        .cache(Question.of(INSECURE, Type.A), new Resolution(Rcode.NOERROR,
            List.of(new RRset(new ARecord(INSECURE, DClass.IN, 300, InetAddress.getByName("192.0.2.2")))), List.of(), SecurityStatus.INSECURE, null))
        .cache(Question.of(BIG, Type.TXT), new Resolution(Rcode.NOERROR, List.of(new RRset(texts)), List.of(), SecurityStatus.INSECURE, null))
        .resolves(Question.of(SLOW, Type.A), new Resolution(Rcode.NOERROR,
            List.of(new RRset(new ARecord(SLOW, DClass.IN, 300, InetAddress.getByName("192.0.2.3")))), List.of(), SecurityStatus.INSECURE, null))
        .resolves(Question.of(BOGUS, Type.A), Resolution.servfail(ExtendedErrorCodeOption.DNSSEC_BOGUS, "signature expired"));
    service = start(AddressAcl.loopback(), 16);
  }

  private ResolverService start(AddressAcl clients, int maxInFlight) throws IOException {
    ServerNetOptions net = ServerNetOptions.defaults().withAddresses(List.of(InetAddress.getByName("127.0.0.1"))).withPort(0).withUdpThreads(2);
    ResolverService started = ResolverService.start(ResolverService.Options.defaults().withNet(net).withClients(clients).withMaxInFlight(maxInFlight), resolver);
    address = started.localAddresses().get(0);
    return started;
  }

  @AfterEach
  void stop() throws IOException {
    resolver.release();
    service.close();
  }

  @Test
  void answersWithRaRdTheQueryIdAndTheQuestionInItsOwnCase() throws IOException {
    Message query = query("WwW.ExAmPlE.", Type.A);
    Message response = ask(query, false);
    assertEquals(query.getHeader().getID(), response.getHeader().getID());
    assertTrue(response.getHeader().getFlag(Flags.QR));
    assertTrue(response.getHeader().getFlag(Flags.RA));
    assertTrue(response.getHeader().getFlag(Flags.RD));
    assertFalse(response.getHeader().getFlag(Flags.AA));
    assertEquals("WwW.ExAmPlE.", response.getQuestion().getName().toString());
    assertEquals(Rcode.NOERROR, response.getRcode());
    assertEquals("192.0.2.1", ((ARecord) response.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());
    assertNull(response.getOPT(), "no OPT in reply to a query without one (RFC 6891 section 7)");
  }

  @Test
  void adOnlyForSecureDataAndAClientThatAskedWithDoOrAd() throws IOException {
    assertFalse(ask(query("www.example.", Type.A), false).getHeader().getFlag(Flags.AD), "no DO, no AD: no AD");
    assertTrue(ask(edns(query("www.example.", Type.A), true), false).getHeader().getFlag(Flags.AD), "DO");
    Message withAd = query("www.example.", Type.A);
    withAd.getHeader().setFlag(Flags.AD);
    assertTrue(ask(withAd, false).getHeader().getFlag(Flags.AD), "AD in the query (RFC 6840 section 5.8)");
    Message insecure = ask(edns(query("insecure.example.", Type.A), true), false);
    assertEquals(Rcode.NOERROR, insecure.getRcode());
    assertFalse(insecure.getHeader().getFlag(Flags.AD), "INSECURE data is never AD");
  }

  @Test
  void cdIsCopiedAndSecureDataGetsNoAdWithIt() throws IOException {
    Message query = edns(query("www.example.", Type.A), true);
    query.getHeader().setFlag(Flags.CD);
    Message response = ask(query, false);
    assertTrue(response.getHeader().getFlag(Flags.CD));
    assertEquals("192.0.2.1", ((ARecord) response.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());
    assertFalse(response.getHeader().getFlag(Flags.AD), "with CD the client authenticates: no AD (RFC 4035 section 3.2.2)");
    Message cdAndAd = query("www.example.", Type.A);
    cdAndAd.getHeader().setFlag(Flags.CD);
    cdAndAd.getHeader().setFlag(Flags.AD);
    assertFalse(ask(cdAndAd, false).getHeader().getFlag(Flags.AD), "AD asked, but CD too");
    // and the same data without CD is AD, from the cache now
    assertTrue(ask(edns(query("www.example.", Type.A), true), false).getHeader().getFlag(Flags.AD));
  }

  @Test
  void signaturesAndDenialRecordsOnlyForDoClients() throws IOException {
    Message plain = ask(query("www.example.", Type.A), false);
    assertEquals(List.of(Type.A), types(plain, Section.ANSWER));
    Message dnssec = ask(edns(query("www.example.", Type.A), true), false);
    assertEquals(List.of(Type.A, Type.RRSIG), types(dnssec, Section.ANSWER));
    assertTrue((dnssec.getOPT().getFlags() & ExtendedFlags.DO) != 0, "DO echoed");

    Message noData = ask(edns(query("www.example.", Type.TXT), false), false);
    assertEquals(List.of(Type.SOA), types(noData, Section.AUTHORITY), "no RRSIG, no NSEC without DO (RFC 4035 section 3.2.1)");
    Message noDataDnssec = ask(edns(query("www.example.", Type.TXT), true), false);
    assertEquals(List.of(Type.SOA, Type.RRSIG, Type.NSEC, Type.RRSIG), types(noDataDnssec, Section.AUTHORITY));
  }

  @Test
  void servfailCarriesTheExtendedErrorCodeAndText() throws IOException {
    Message response = ask(edns(query("bogus.example.", Type.A), false), false);
    assertEquals(Rcode.SERVFAIL, response.getRcode());
    assertFalse(response.getHeader().getFlag(Flags.AD));
    List<EDNSOption> options = response.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR);
    assertEquals(1, options.size());
    ExtendedErrorCodeOption ede = (ExtendedErrorCodeOption) options.get(0);
    assertEquals(ExtendedErrorCodeOption.DNSSEC_BOGUS, ede.getErrorCode());
    assertEquals("signature expired", ede.getText());
    assertEquals(1, service.counters().responses(Rcode.SERVFAIL));
  }

  @Test
  void refusesClientsOutsideTheAcl() throws IOException {
    service.close();
    service = start(AddressAcl.parse(List.of("192.0.2.0/24", "::1/128")), 16);
    Message response = ask(query("www.example.", Type.A), false);
    assertEquals(Rcode.REFUSED, response.getRcode());
    assertEquals("www.example.", response.getQuestion().getName().toString());
    assertEquals(0, resolver.lookups(), "refused before the cache is asked");
    assertEquals(Rcode.REFUSED, ask(query("www.example.", Type.A), true).getRcode(), "over TCP too");
  }

  @Test
  void notimpForOpcodesOtherThanQuery() throws IOException {
    Message status = query("www.example.", Type.A);
    status.getHeader().setOpcode(Opcode.STATUS);
    Message response = parse(raw(status.toWire()));
    assertEquals(Rcode.NOTIMP, response.getRcode());
    assertEquals(Opcode.STATUS, response.getHeader().getOpcode());
  }

  @Test
  void formerrForTwoQuestionsNoQuestionOrATruncatedMessage() throws IOException {
    Message two = query("www.example.", Type.A);
    two.addRecord(Record.newRecord(INSECURE, Type.A, DClass.IN), Section.QUESTION);
    assertEquals(Rcode.FORMERR, parse(raw(two.toWire())).getRcode());

    Message none = new Message();
    assertEquals(Rcode.FORMERR, parse(raw(none.toWire())).getRcode());

    byte[] wire = query("www.example.", Type.A).toWire();
    Message cut = parse(raw(Arrays.copyOf(wire, wire.length - 3)));
    assertEquals(Rcode.FORMERR, cut.getRcode());
    assertEquals(0, cut.getHeader().getCount(Section.QUESTION), "no question copied from a message that cannot be read");
  }

  @Test
  void badversForEdnsVersionsAboveZero() throws IOException {
    Message query = query("www.example.", Type.A);
    query.addRecord(new OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);
    Message response = parse(raw(query.toWire()));
    assertEquals(Rcode.BADVERS, response.getRcode());
    assertEquals(0, response.getOPT().getVersion(), "we speak version 0 (RFC 6891 section 6.1.3)");
  }

  @Test
  void refusesOtherClassesAndZoneTransfers() throws IOException {
    assertEquals(Rcode.REFUSED, ask(Message.newQuery(Record.newRecord(WWW, Type.A, DClass.CH)), false).getRcode());
    assertEquals(Rcode.REFUSED, parse(raw(query("example.", Type.AXFR).toWire())).getRcode());
    assertEquals(Rcode.REFUSED, parse(raw(query("example.", Type.IXFR).toWire())).getRcode());
    assertEquals(0, resolver.resolutions());
  }

  @Test
  void noReplyToAResponse() throws IOException {
    Message response = query("www.example.", Type.A);
    response.getHeader().setFlag(Flags.QR);
    assertNull(raw(response.toWire()));
    assertEquals(0, resolver.lookups());
  }

  @Test
  void aLargeAnswerIsTruncatedOverUdpAndWholeOverTcp() throws IOException {
    Message udp = ask(edns(query("big.example.", Type.TXT), false, 4096), false);
    assertTrue(udp.getHeader().getFlag(Flags.TC));
    assertEquals(1, udp.getHeader().getCount(Section.QUESTION));
    assertEquals(0, udp.getHeader().getCount(Section.ANSWER), "no partial RRset (RFC 2181 section 9)");
    assertEquals(1232, udp.getOPT().getPayloadSize(), "our buffer");

    Message classic = ask(query("big.example.", Type.TXT), false);
    assertTrue(classic.getHeader().getFlag(Flags.TC), "512 bytes without EDNS");

    Message tcp = ask(edns(query("big.example.", Type.TXT), false, 4096), true);
    assertFalse(tcp.getHeader().getFlag(Flags.TC));
    assertEquals(BIG_RECORDS, tcp.getSection(Section.ANSWER).size());
  }

  @Test
  void aSlowResolutionDoesNotHoldUpACachedAnswer() throws Exception {
    resolver.hold();
    CompletableFuture<Message> slow = sendAsync(query("slow.example.", Type.A));
    awaitResolutions(1);
    long start = System.nanoTime();
    Message cached = ask(query("www.example.", Type.A), false);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(Rcode.NOERROR, cached.getRcode());
    assertTrue(millis < 1_000, "cached answer took " + millis + " ms");
    assertFalse(slow.isDone(), "the slow resolution is still held");

    resolver.release();
    Message late = slow.get(3, TimeUnit.SECONDS);
    assertEquals(Rcode.NOERROR, late.getRcode());
    assertEquals("192.0.2.3", ((ARecord) late.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());
  }

  @Test
  void beyondTheInFlightLimitUdpAndTcpGetServfailSayingBusyAndCountedOverloaded() throws Exception {
    service.close();
    service = start(AddressAcl.loopback(), 1);
    resolver.hold();
    CompletableFuture<Message> first = sendAsync(query("slow.example.", Type.A));
    awaitResolutions(1);

    for (boolean tcp : new boolean[] {false, true}) {
      Message busy = ask(edns(query("bogus.example.", Type.A), false), tcp);
      assertEquals(Rcode.SERVFAIL, busy.getRcode(), tcp ? "TCP" : "UDP");
      ExtendedErrorCodeOption ede = (ExtendedErrorCodeOption) busy.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR).get(0);
      assertEquals(ExtendedErrorCodeOption.OTHER, ede.getErrorCode());
      assertTrue(ede.getText().contains("busy"), ede.getText());
    }
    assertEquals(2, service.counters().overloaded());
    assertEquals(1, resolver.resolutions());
    assertEquals(Rcode.NOERROR, ask(query("www.example.", Type.A), false).getRcode(), "cache hits still answered");

    resolver.release();
    assertEquals(Rcode.NOERROR, first.get(3, TimeUnit.SECONDS).getRcode());
    Await.until(() -> service.counters().responses(Rcode.NOERROR) == 2);
    assertEquals(Rcode.SERVFAIL, ask(query("bogus.example.", Type.A), false).getRcode(), "room again once it finished");
  }

  @Test
  void cacheHitsStartNoResolution() throws IOException {
    for (int i = 0; i < 5; i++) {
      assertEquals(Rcode.NOERROR, ask(query("www.example.", Type.A), i % 2 == 1).getRcode());
    }
    assertEquals(0, resolver.resolutions());
    assertEquals(5, service.counters().cacheHits());
    assertEquals(0, service.counters().cacheMisses());
    assertEquals(Rcode.NOERROR, ask(query("slow.example.", Type.A), false).getRcode());
    assertEquals(1, resolver.resolutions());
    assertEquals(1, service.counters().cacheMisses());
  }

  @Test
  void withoutRecursionDesiredOnlyTheCacheAnswers() throws IOException {
    Message hit = query("www.example.", Type.A);
    hit.getHeader().unsetFlag(Flags.RD);
    Message answered = ask(hit, false);
    assertEquals(Rcode.NOERROR, answered.getRcode());
    assertFalse(answered.getHeader().getFlag(Flags.RD), "RD copied");

    Message miss = edns(query("slow.example.", Type.A), false);
    miss.getHeader().unsetFlag(Flags.RD);
    Message refused = ask(miss, false);
    assertEquals(Rcode.REFUSED, refused.getRcode());
    ExtendedErrorCodeOption ede = (ExtendedErrorCodeOption) refused.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR).get(0);
    assertEquals(ExtendedErrorCodeOption.NOT_AUTHORITATIVE, ede.getErrorCode());
    assertEquals(0, resolver.resolutions());
  }

  @Test
  void digGetsASecureAnswer() throws Exception {
    String out = run("dig", "@" + address.getAddress().getHostAddress(), "-p", String.valueOf(address.getPort()),
        "+dnssec", "+time=2", "+tries=1", "WWW.example.", "A");
    assertTrue(out.contains("status: NOERROR"), out);
    assertTrue(out.contains("flags: qr rd ra ad;"), out);
    assertTrue(out.contains("udp: 1232"), out);
    assertTrue(out.contains("RRSIG"), out);
  }

  @Test
  void kdigOverTcpGetsTheWholeLargeAnswer() throws Exception {
    String out = run("kdig", "@" + address.getAddress().getHostAddress(), "-p", String.valueOf(address.getPort()),
        "+tcp", "+time=2", "+retry=0", "big.example.", "TXT");
    assertTrue(out.contains("status: NOERROR"), out);
    assertTrue(out.toLowerCase().contains("flags: qr rd ra;"), out);
    assertTrue(out.contains("ANSWER: " + BIG_RECORDS), out);
  }

  // --- clients

  private static Message query(String name, int type) {
    return Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, DClass.IN));
  }

  private static Message edns(Message query, boolean dnssecOk) {
    return edns(query, dnssecOk, 1232);
  }

  private static Message edns(Message query, boolean dnssecOk, int payload) {
    query.addRecord(new OPTRecord(payload, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    return query;
  }

  private SimpleResolver client(boolean tcp) {
    SimpleResolver client = new SimpleResolver(address);
    client.setTCP(tcp);
    client.setIgnoreTruncation(true);
    client.setTimeout(Duration.ofSeconds(3));
    client.setEDNS(-1, 0, 0, List.of()); // the query says whether it has EDNS
    return client;
  }

  private Message ask(Message query, boolean tcp) throws IOException {
    Message response = client(tcp).send(query);
    assertEquals(query.getHeader().getID(), response.getHeader().getID());
    return response;
  }

  private CompletableFuture<Message> sendAsync(Message query) {
    return client(false).sendAsync(query).toCompletableFuture();
  }

  /** Sends bytes over UDP; the response's bytes, or null when none came within half a second. */
  private byte[] raw(byte[] query) throws IOException {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(500);
      socket.send(new DatagramPacket(query, query.length, address));
      DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
      socket.receive(packet);
      return Arrays.copyOf(packet.getData(), packet.getLength());
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  private static Message parse(byte[] wire) throws IOException {
    assertNotNull(wire, "no response");
    return new Message(wire);
  }

  private void awaitResolutions(int n) {
    Await.until(() -> resolver.resolutions() >= n);
  }

  private static List<Integer> types(Message m, int section) {
    return m.getSection(section).stream().map(Record::getType).toList();
  }

  private static RRset signed(Record rr) {
    RRset set = new RRset(rr);
    set.addRR(new RRSIGRecord(rr.getName(), DClass.IN, 300, rr.getType(), 13, 300, Instant.parse("2026-12-31T00:00:00Z"),
        Instant.parse("2026-11-01T00:00:00Z"), 12345, ZONE, new byte[64]));
    return set;
  }

  /** Runs a client tool, skipping the test when it is not installed. */
  private static String run(String... command) throws Exception {
    assumeTrue(onPath(command[0]), command[0] + " is not installed");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertTrue(process.waitFor(10, TimeUnit.SECONDS), command[0] + " did not finish");
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (new File(dir, tool).canExecute()) {
        return true;
      }
    }
    return false;
  }

  /** Polls a condition for up to five seconds. */
  private static final class Await {
    static void until(java.util.function.BooleanSupplier condition) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!condition.getAsBoolean()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("condition not met within 5 s");
        }
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted");
        }
      }
    }
  }
}
