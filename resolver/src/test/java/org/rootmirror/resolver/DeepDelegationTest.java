package org.rootmirror.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.testing.TestZoneSigner;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneLookup;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.rootmirror.resolver.iterate.RootCopy;
import org.rootmirror.resolver.iterate.RootHints;
import org.rootmirror.resolver.testing.FakeAuthorities;
import org.rootmirror.resolver.testing.MutableTime;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A name far below a signed zone's apex, in an unsigned zone delegated many empty labels down (the
 * shape of ip6.arpa and its ISP delegations): proving it insecure takes a DS question per label,
 * each with its own signed denial, and a cold cache must still get an answer, not a SERVFAIL.
 */
class DeepDelegationTest {
  private static final int NIBBLES = 16;

  @Test
  void anUnsignedZoneManyEmptyLabelsBelowASignedOneResolvesInsecure() throws Exception {
    MutableTime time = new MutableTime(Instant.now());
    Instant from = time.instant().minus(Duration.ofHours(1));
    Instant until = time.instant().plus(Duration.ofDays(7));
    StringBuilder cutName = new StringBuilder();
    for (int i = 0; i < NIBBLES; i++) {
      cutName.append(i % 10).append('.');
    }
    String cut = cutName + "ip6.test.";
    String host = "1.2.3." + cut;

    Zone child = FakeAuthorities.zone(cut, cut + " 3600 IN SOA ns." + cut + " admin.invalid. 1 1800 900 604800 300\n"
        + cut + " 3600 IN NS ns." + cut + "\nns." + cut + " 3600 IN A 192.0.2.40\n" + host + " 3600 IN PTR host.example.\n");
    List<Record> parent = new ArrayList<>(FakeAuthorities.zone("ip6.test.", """
        ip6.test. 3600 IN SOA ns.ip6.test. admin.invalid. 1 1800 900 604800 300
        ip6.test. 3600 IN NS ns.ip6.test.
        ns.ip6.test. 3600 IN A 192.0.2.30
        """ + cut + " 3600 IN NS ns." + cut + "\nns." + cut + " 3600 IN A 192.0.2.40\n").records());
    var signedParent = TestZoneSigner.generate(Name.fromConstantString("ip6.test."), DNSSEC.Algorithm.ECDSAP256SHA256)
        .validity(from, until).sign(parent);
    List<Record> rootRecords = new ArrayList<>(FakeAuthorities.zone(".", """
        . 86400 IN SOA a.root. admin.invalid. 1 1800 900 604800 86400
        . 518400 IN NS a.root.
        a.root. 518400 IN A 192.0.2.1
        ip6.test. 172800 IN NS ns.ip6.test.
        ns.ip6.test. 172800 IN A 192.0.2.30
        """).records());
    rootRecords.add(signedParent.ds());
    var signedRoot = TestZoneSigner.generate(Name.root, DNSSEC.Algorithm.ECDSAP256SHA256).validity(from, until).sign(rootRecords);

    FakeAuthorities net = new FakeAuthorities()
        .serve("192.0.2.1", signedRoot.zone())
        .serve("192.0.2.30", signedParent.zone())
        .serve("192.0.2.40", child);
    RootCopy copy = new RootCopy(new ZoneLookup(signedRoot.zone()), 1, until);
    var options = ResolverStack.Options.defaults().withHints(RootHints.parse(". 3600000 NS a.root.\na.root. 3600000 A 192.0.2.1\n", "hints"));
    ResolverStack stack = ResolverStack.build(options, () -> copy, signedRoot.anchors(), net, time);

    Resolution r = stack.resolver().resolve(Question.of(Name.fromConstantString(host), Type.PTR), false);
    assertEquals(Rcode.NOERROR, r.rcode(), String.valueOf(r.error()));
    assertEquals(SecurityStatus.INSECURE, r.status());
    assertEquals(1, r.answer().size());
  }
}
