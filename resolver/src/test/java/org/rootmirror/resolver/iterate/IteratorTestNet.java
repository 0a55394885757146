package org.rootmirror.resolver.iterate;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneLookup;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.cache.CacheConfig;
import org.rootmirror.resolver.cache.DnsCache;
import org.rootmirror.resolver.testing.FakeAuthorities;
import org.rootmirror.resolver.testing.MutableTime;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * A small internet for the iterator's option and robustness tests: {@link IterativeResolverTest}'s
 * zones plus zones on loopback addresses, chain loops and an NS name that is an alias; the root
 * from a local copy, so only the zones below it see packets.
 */
final class IteratorTestNet {
  static final String SOA = " 3600 IN SOA ns.invalid. admin.invalid. 1 1800 900 604800 300\n";

  static final Zone ROOT = FakeAuthorities.zone(".", "." + SOA + """
      . 518400 IN NS a.root.
      a.root. 518400 IN A 192.0.2.1
      test. 172800 IN NS ns1.test.
      test. 172800 IN NS ns2.test.
      ns1.test. 172800 IN A 192.0.2.11
      ns2.test. 172800 IN A 192.0.2.12
      example. 172800 IN NS ns.example.
      ns.example. 172800 IN A 192.0.2.21
      loc. 172800 IN NS ns.loc.
      loc. 172800 IN NS ns2.loc.
      ns.loc. 172800 IN A 127.0.0.2
      ns2.loc. 172800 IN A 192.0.2.41
      onlylo. 172800 IN NS ns.onlylo.
      ns.onlylo. 172800 IN A 127.0.0.3
      loop. 172800 IN NS ns.loop.
      ns.loop. 172800 IN A 192.0.2.61
      cn. 172800 IN NS ns.cn.
      cn. 172800 IN NS ns2.cn.
      ns.cn. 1 IN A 192.0.2.71
      ns2.cn. 172800 IN A 192.0.2.72
      """);
  static final Zone LOC = FakeAuthorities.zone("loc.", "loc." + SOA + """
      loc. 3600 IN NS ns.loc.
      loc. 3600 IN NS ns2.loc.
      ns.loc. 3600 IN A 127.0.0.2
      ns2.loc. 3600 IN A 192.0.2.41
      www.loc. 3600 IN A 192.0.2.140
      """);
  static final Zone ONLYLO = FakeAuthorities.zone("onlylo.", "onlylo." + SOA + """
      onlylo. 3600 IN NS ns.onlylo.
      ns.onlylo. 3600 IN A 127.0.0.3
      www.onlylo. 3600 IN A 192.0.2.141
      """);
  static final Zone LOOP = FakeAuthorities.zone("loop.", "loop." + SOA + """
      loop. 3600 IN NS ns.loop.
      ns.loop. 3600 IN A 192.0.2.61
      a.loop. 3600 IN DNAME b.loop.
      b.loop. 3600 IN DNAME a.loop.
      self.loop. 3600 IN DNAME in.self.loop.
      c1.loop. 3600 IN CNAME c2.loop.
      c2.loop. 3600 IN CNAME c1.loop.
      """);
  /** ns.cn. is an alias of ns.example. (RFC 2181 section 10.3 says it must not be; some are). */
  static final Zone CN = FakeAuthorities.zone("cn.", "cn." + SOA + """
      cn. 3600 IN NS ns.cn.
      cn. 3600 IN NS ns2.cn.
      ns.cn. 3600 IN CNAME ns.example.
      ns2.cn. 3600 IN A 192.0.2.72
      www.cn. 3600 IN A 192.0.2.170
      """);

  final MutableTime time = new MutableTime();
  final FakeAuthorities zones = new FakeAuthorities()
      .serve("192.0.2.11", IterativeResolverTest.TEST).serve("192.0.2.12", IterativeResolverTest.TEST)
      .serve("192.0.2.21", IterativeResolverTest.EXAMPLE, IterativeResolverTest.OFFSITE, CN)
      .serve("192.0.2.31", IterativeResolverTest.SUB)
      .serve("127.0.0.2", LOC).serve("192.0.2.41", LOC)
      .serve("127.0.0.3", ONLYLO)
      .serve("192.0.2.61", LOOP)
      .serve("192.0.2.71", CN)
      .refusing("192.0.2.72");
  final ScriptedNet net = new ScriptedNet(zones);
  DnsCache cache = new DnsCache(CacheConfig.defaults(), time);

  IterativeResolver resolver(UnaryOperator<IterativeResolver.Config> options) {
    RootHints hints = RootHints.parse(". 3600000 NS a.root.\na.root. 3600000 A 192.0.2.1\n", "test hints");
    RootCopy copy = new RootCopy(new ZoneLookup(ROOT), 1, time.instant().plus(Duration.ofDays(30)));
    var config = options.apply(new IterativeResolver.Config(() -> copy, List.<InetSocketAddress>of(), hints, 53, IterativeResolver.Limits.defaults()));
    return new IterativeResolver(config, net, cache, new ServerSelection(time, new Random(7)), time, new Random(11));
  }

  IterativeResolver resolver() {
    return resolver(c -> c);
  }

  static Resolution ask(IterativeResolver r, String name, int type) {
    return r.resolve(Question.of(Name.fromConstantString(name), type), false);
  }

  static String data(Resolution r) {
    return r.answer().stream().map(s -> s.getName() + " " + Type.string(s.getType()) + " " + s.first().rdataToString())
        .reduce((a, b) -> a + " | " + b).orElse("");
  }

  /** The questions that reached {@code address}, as "name TYPE". */
  List<String> questionsTo(String address) {
    return net.sentTo(address).stream().map(ScriptedNet.Sent::question).toList();
  }
}
