package org.rootmirror.resolver.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.testing.TestZoneSigner;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneLookup;
import org.rootmirror.resolver.ResolverStack;
import org.rootmirror.resolver.iterate.RootCopy;
import org.rootmirror.resolver.iterate.RootHints;
import org.rootmirror.resolver.testing.FakeAuthorities;
import org.rootmirror.resolver.testing.MutableTime;
import org.rootmirror.sync.server.fuzz.FuzzRun;
import org.rootmirror.sync.server.xfr.AddressAcl;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * The resolver's front end over the whole resolver (cache, validator, iterator) fed malformed and
 * mutated queries ({@link FuzzRun}), its authorities in memory so that nothing leaves the JVM: a
 * signed root as the local copy, a signed {@code example.} with a TXT too big for UDP, an unsigned
 * {@code test.}, a {@code bogus.} whose wildcard answers fail validation, and every other TLD
 * nonexistent. It never throws, answers every query it can read
 * (the in-flight limit is not reached, one query at a time), never answers a response, keeps UDP
 * replies within the client's size, and every reply parses with the query's ID.
 */
class ResolverFuzzTest {
  /** The resolver's EDNS buffer (Responses.EDNS_BUFFER): its cap on UDP replies. */
  private static final int MAX_UDP = 1232;
  /** Mostly clients the resolver serves; one in four outside its ACL. */
  private static final List<InetSocketAddress> CLIENTS = List.of(new InetSocketAddress("127.0.0.1", 40000),
      new InetSocketAddress("127.0.0.53", 40001), new InetSocketAddress("::1", 40002), new InetSocketAddress("192.0.2.7", 40003));
  private static final List<String> NAMES = List.of(".", "example.", "www.example.", "mail.example.", "big.example.",
      "alias.example.", "a.wild.example.", "test.", "www.test.", "bogus.", "a.bogus.", "com.", "nosuchtld.", "version.bind.");
  private static final MutableTime TIME = new MutableTime(Instant.parse("2026-08-01T00:00:00Z"));

  static FakeAuthorities net;
  static RootCopy copy;
  static TestZoneSigner.SignedZone root;

  @BeforeAll
  static void zones() {
    Instant from = TIME.instant().minus(Duration.ofHours(1));
    Instant until = TIME.instant().plus(Duration.ofDays(30));
    StringBuilder big = new StringBuilder("big.example. 3600 IN TXT");
    for (int i = 0; i < 8; i++) {
      big.append(" \"").append("x".repeat(200)).append('"');
    }
    var example = TestZoneSigner.generate(Name.fromConstantString("example."), DNSSEC.Algorithm.ECDSAP256SHA256).validity(from, until)
        .sign(FakeAuthorities.zone("example.", """
            example. 3600 IN SOA ns.example. admin.invalid. 1 1800 900 604800 300
            example. 3600 IN NS ns.example.
            example. 3600 IN MX 10 mail.example.
            ns.example. 3600 IN A 192.0.2.30
            www.example. 3600 IN A 192.0.2.80
            www.example. 3600 IN AAAA 2001:db8::80
            mail.example. 3600 IN A 192.0.2.25
            alias.example. 3600 IN CNAME www.example.
            *.wild.example. 3600 IN A 192.0.2.77
            """ + big + "\n").records());
    var test = FakeAuthorities.zone("test.", """
        test. 3600 IN SOA ns.test. admin.invalid. 1 1800 900 604800 300
        test. 3600 IN NS ns.test.
        ns.test. 3600 IN A 192.0.2.40
        www.test. 3600 IN A 192.0.2.41
        """);
    // every name under bogus. matches a wildcard whose signature is broken: a SERVFAIL whose
    // Extended DNS Error names the query's name, as long as a client makes it
    var bogus = TestZoneSigner.generate(Name.fromConstantString("bogus."), DNSSEC.Algorithm.ECDSAP256SHA256).validity(from, until)
        .sign(FakeAuthorities.zone("bogus.", """
            bogus. 3600 IN SOA ns.bogus. admin.invalid. 1 1800 900 604800 300
            bogus. 3600 IN NS ns.bogus.
            ns.bogus. 3600 IN A 192.0.2.50
            *.bogus. 3600 IN A 192.0.2.66
            """).records());
    List<Record> rootRecords = new ArrayList<>(FakeAuthorities.zone(".", """
        . 86400 IN SOA a.root. admin.invalid. 1 1800 900 604800 86400
        . 518400 IN NS a.root.
        a.root. 518400 IN A 192.0.2.1
        example. 172800 IN NS ns.example.
        ns.example. 172800 IN A 192.0.2.30
        test. 172800 IN NS ns.test.
        ns.test. 172800 IN A 192.0.2.40
        bogus. 172800 IN NS ns.bogus.
        ns.bogus. 172800 IN A 192.0.2.50
        """).records());
    rootRecords.add(example.ds());
    rootRecords.add(bogus.ds());
    root = TestZoneSigner.generate(Name.root, DNSSEC.Algorithm.ECDSAP256SHA256).validity(from, until).sign(rootRecords);
    net = new FakeAuthorities().serve("192.0.2.1", root.zone()).serve("192.0.2.30", example.zone()).serve("192.0.2.40", test)
        .serve("192.0.2.50", brokenSignatures(bogus.zone(), Name.fromConstantString("*.bogus.")));
    copy = new RootCopy(new ZoneLookup(root.zone()), 1, until);
  }

  /** The zone with every RRSIG at {@code owner} broken: one bit of the signature flipped. */
  private static Zone brokenSignatures(Zone zone, Name owner) {
    List<Record> records = new ArrayList<>();
    for (Record r : zone.records()) {
      if (r instanceof RRSIGRecord sig && sig.getName().equals(owner)) {
        byte[] signature = sig.getSignature();
        signature[signature.length / 2] ^= 0x01;
        r = new RRSIGRecord(sig.getName(), sig.getDClass(), sig.getTTL(), sig.getTypeCovered(), sig.getAlgorithm(),
            sig.getOrigTTL(), sig.getExpire(), sig.getTimeSigned(), sig.getFootprint(), sig.getSigner(), signature);
      }
      records.add(r);
    }
    return Zone.of(zone.origin(), records);
  }

  @Test
  void theResolverFrontEndSurvivesFuzzedQueries() {
    for (long seed : FuzzRun.seeds()) {
      // a new cache for each seed, so that a seed replays alone as it ran here
      var options = ResolverStack.Options.defaults().withHints(RootHints.parse(". 3600000 NS a.root.\na.root. 3600000 A 192.0.2.1\n", "hints"));
      ResolverStack stack = ResolverStack.build(options, () -> copy, root.anchors(), net, TIME);
      try (ResolverQueryHandler handler = new ResolverQueryHandler(stack.resolver(), AddressAcl.loopback(), 64, TIME)) {
        FuzzRun.Summary summary = FuzzRun.run(new FuzzRun.Target(handler, MAX_UDP, CLIENTS, NAMES, true,
            () -> handler.counters().resolutionFailures()), seed, FuzzRun.count(15_000));
        System.out.println("resolver: " + summary);
        assertTrue(summary.rcodes().keySet().containsAll(Set.of(Rcode.NOERROR, Rcode.NXDOMAIN, Rcode.FORMERR, Rcode.NOTIMP,
            Rcode.REFUSED, Rcode.BADVERS)), "the fuzz reaches every kind of answer: " + summary.rcodes());
        assertTrue(summary.truncated() > 0, "some answers are truncated: " + summary);
      }
    }
  }
}
