package org.rootmirror.resolver.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.testing.TestZoneSigner;
import org.rootmirror.dnssec.testing.TestZoneSigner.SignedZone;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneLookup;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.ResolverStack;
import org.rootmirror.resolver.cache.CacheConfig;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.rootmirror.resolver.iterate.IterativeResolver;
import org.rootmirror.resolver.iterate.RootCopy;
import org.rootmirror.resolver.iterate.RootHints;
import org.rootmirror.resolver.testing.FakeAuthorities;
import org.rootmirror.resolver.testing.MutableTime;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DNSSEC.Algorithm;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A bogus answer is asked again of other servers (Unbound's val-max-restart with its blacklist,
 * RFC 4035 section 5): {@code example.} has a lying server, 192.0.2.10, the only one with glue, so
 * it is always asked first, and an honest one, ns2.other. (192.0.2.11), whose address takes a
 * lookup. The whole stack runs against fake authorities; the root comes from a local copy.
 */
class BogusRestartTest {
  private static final String LIAR = "192.0.2.10";
  private static final String HONEST = "192.0.2.11";
  private static final Name WWW = Name.fromConstantString("www.example.");

  private final MutableTime time = new MutableTime(Instant.now());
  private final Instant from = time.instant().minus(Duration.ofHours(1));
  private final Instant until = time.instant().plus(Duration.ofDays(7));
  private final TestZoneSigner exampleSigner = TestZoneSigner.generate(Name.fromConstantString("example."), Algorithm.ECDSAP256SHA256)
      .validity(from, until);
  private final SignedZone example = exampleSigner.sign(FakeAuthorities.zone("example.", """
      example. 3600 IN SOA ns1.example. admin.invalid. 1 1800 900 604800 300
      example. 3600 IN NS ns1.example.
      example. 3600 IN NS ns2.other.
      ns1.example. 3600 IN A 192.0.2.10
      www.example. 3600 IN A 192.0.2.80
      """).records());
  private final Zone other = FakeAuthorities.zone("other.", """
      other. 3600 IN SOA ns.other. admin.invalid. 1 1800 900 604800 300
      other. 3600 IN NS ns.other.
      ns.other. 3600 IN A 192.0.2.20
      ns2.other. 3600 IN A 192.0.2.11
      """);
  private final SignedZone root;

  BogusRestartTest() {
    List<Record> rootRecords = new ArrayList<>(FakeAuthorities.zone(".", """
        . 86400 IN SOA a.root. admin.invalid. 1 1800 900 604800 86400
        . 518400 IN NS a.root.
        a.root. 518400 IN A 192.0.2.1
        example. 172800 IN NS ns1.example.
        example. 172800 IN NS ns2.other.
        ns1.example. 172800 IN A 192.0.2.10
        other. 172800 IN NS ns.other.
        ns.other. 172800 IN A 192.0.2.20
        """).records());
    rootRecords.add(example.ds());
    root = TestZoneSigner.generate(Name.root, Algorithm.ECDSAP256SHA256).validity(from, until).sign(rootRecords);
  }

  /** The zone with www's address changed and its old signature kept: a bad signature. */
  private Zone forgedData() {
    List<Record> records = new ArrayList<>();
    for (Record r : example.records()) {
      boolean wwwA = r.getName().equals(WWW) && r.getType() == Type.A;
      records.add(wwwA ? new ARecord(WWW, r.getDClass(), r.getTTL(), new byte[] {(byte) 192, 0, 2, 66}) : r);
    }
    return Zone.of(example.origin(), records);
  }

  /** The same zone signed with other keys than the DS in the root names: a DNSKEY set that fails. */
  private Zone foreignKeys() {
    return TestZoneSigner.generate(example.origin(), Algorithm.ECDSAP256SHA256).validity(from, until)
        .sign(example.records().stream().filter(r -> !(r instanceof RRSIGRecord)).toList()).zone();
  }

  private ResolverStack stack(FakeAuthorities net) {
    RootCopy copy = new RootCopy(new ZoneLookup(root.zone()), 1, until);
    var options = ResolverStack.Options.defaults().withHints(RootHints.parse(". 3600000 NS a.root.\na.root. 3600000 A 192.0.2.1\n", "hints"));
    return ResolverStack.build(options, () -> copy, root.anchors(), net, time);
  }

  private long asked(FakeAuthorities net, String server, Name name, int type) {
    return net.logOf(server).stream().filter(s -> s.name().equals(name) && s.type() == type).count();
  }

  @Test
  void bogusDataIsAskedAgainOfAServerThatDidNotGiveIt() {
    FakeAuthorities net = new FakeAuthorities().serve(LIAR, forgedData()).serve(HONEST, example.zone()).serve("192.0.2.20", other);

    Resolution r = stack(net).resolver().resolve(Question.of(WWW, Type.A), false);

    assertEquals(Rcode.NOERROR, r.rcode(), String.valueOf(r.error()));
    assertEquals(SecurityStatus.SECURE, r.status());
    assertEquals("192.0.2.80", ((ARecord) r.answer().get(0).first()).getAddress().getHostAddress());
    assertEquals(1, asked(net, LIAR, WWW, Type.A), net.log().toString());
    assertEquals(1, asked(net, HONEST, WWW, Type.A), net.log().toString());
  }

  @Test
  void aBogusDnskeySetIsFetchedAgainFromAnotherServer() {
    FakeAuthorities net = new FakeAuthorities().serve(LIAR, foreignKeys()).serve(HONEST, example.zone()).serve("192.0.2.20", other);

    Resolution r = stack(net).resolver().resolve(Question.of(WWW, Type.A), false);

    assertEquals(Rcode.NOERROR, r.rcode(), String.valueOf(r.error()));
    assertEquals(SecurityStatus.SECURE, r.status());
    assertEquals(1, asked(net, HONEST, example.origin(), Type.DNSKEY), net.log().toString());
  }

  @Test
  void anAnswerWhoseKeysCannotBeHadIsNotAskedForAgain() {
    // every server gives DNSKEYs the DS does not name: the DNSKEY lookup makes its own restarts,
    // and the question whose keys they are is then not asked again
    FakeAuthorities net = new FakeAuthorities().serve(LIAR, foreignKeys()).serve(HONEST, foreignKeys()).serve("192.0.2.20", other);

    Resolution r = stack(net).resolver().resolve(Question.of(WWW, Type.A), false);

    assertEquals(Rcode.SERVFAIL, r.rcode());
    assertEquals(1, asked(net, LIAR, WWW, Type.A) + asked(net, HONEST, WWW, Type.A), net.log().toString());
    // the liar, the other, and one of them again as a last resort: then neither is new
    assertEquals(3, asked(net, LIAR, example.origin(), Type.DNSKEY) + asked(net, HONEST, example.origin(), Type.DNSKEY),
        net.log().toString());
  }

  @Test
  void aLoneLyingServerIsAskedOnceMoreThenTheAnswerIsServfailWithAnExtendedError() {
    // the honest server's address cannot be found: only the liar is left, asked again as a last resort
    FakeAuthorities net = new FakeAuthorities().serve(LIAR, forgedData()).serve("192.0.2.20", FakeAuthorities.zone("other.", """
        other. 3600 IN SOA ns.other. admin.invalid. 1 1800 900 604800 300
        other. 3600 IN NS ns.other.
        ns.other. 3600 IN A 192.0.2.20
        """));

    Resolution r = stack(net).resolver().resolve(Question.of(WWW, Type.A), false);

    assertEquals(Rcode.SERVFAIL, r.rcode());
    assertNotNull(r.error());
    assertEquals(ExtendedErrorCodeOption.DNSSEC_BOGUS, r.error().getErrorCode(), r.error().getText());
    // once, and once more after no other server could be found; then no server is new: no third time
    assertEquals(2, asked(net, LIAR, WWW, Type.A), net.log().toString());
  }

  @Test
  void withCheckingDisabledBogusDataIsReturnedWithoutAskingAgain() {
    FakeAuthorities net = new FakeAuthorities().serve(LIAR, forgedData()).serve(HONEST, example.zone()).serve("192.0.2.20", other);

    Resolution r = stack(net).resolver().resolve(Question.of(WWW, Type.A), true);

    assertEquals(Rcode.NOERROR, r.rcode());
    assertEquals(SecurityStatus.BOGUS, r.status());
    assertEquals(1, asked(net, LIAR, WWW, Type.A));
    assertFalse(net.logOf(HONEST).stream().anyMatch(s -> s.name().equals(WWW)));
  }

  @Test
  void restartsSpendTheQueryBudgetOfTheResolution() {
    // eight lying servers, all with glue: without a shared budget each restart would ask one more
    List<Record> rootRecords = new ArrayList<>(root.records().stream().filter(r -> !(r instanceof RRSIGRecord)).toList());
    FakeAuthorities net = new FakeAuthorities();
    Zone forged = forgedData();
    for (int i = 1; i <= 8; i++) {
      Name ns = Name.fromConstantString("ns" + i + ".example.");
      rootRecords.add(new org.xbill.DNS.NSRecord(example.origin(), 1, 172800, ns));
      rootRecords.add(new ARecord(ns, 1, 172800, new byte[] {(byte) 192, 0, 2, (byte) (100 + i)}));
      net.serve("192.0.2." + (100 + i), forged);
    }
    SignedZone manyServers = TestZoneSigner.generate(Name.root, Algorithm.ECDSAP256SHA256).validity(from, until).sign(rootRecords);
    RootCopy copy = new RootCopy(new ZoneLookup(manyServers.zone()), 1, until);
    var defaults = IterativeResolver.Limits.defaults();
    var limits = new IterativeResolver.Limits(defaults.referrals(), defaults.chain(), defaults.nsLookups(), 3, defaults.depth(),
        defaults.triesPerServer());
    var options = new ResolverStack.Options(CacheConfig.defaults(), limits,
        RootHints.parse(". 3600000 NS a.root.\na.root. 3600000 A 192.0.2.1\n", "hints"), List.of(), 53);
    ResolverStack stack = ResolverStack.build(options, () -> copy, manyServers.anchors(), net, time);

    Resolution r = stack.resolver().resolve(Question.of(WWW, Type.A), false);

    assertEquals(Rcode.SERVFAIL, r.rcode());
    // the bogus verdict, not the spent budget, is what the client is told
    assertEquals(ExtendedErrorCodeOption.DNSSEC_BOGUS, r.error().getErrorCode(), r.error().getText());
    long asked = net.log().stream().filter(s -> s.name().equals(WWW) && s.type() == Type.A).count();
    assertEquals(3, asked, net.log().toString());
  }
}
