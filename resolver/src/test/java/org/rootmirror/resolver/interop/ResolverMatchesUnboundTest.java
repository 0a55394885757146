package org.rootmirror.resolver.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.resolver.testing.LoopbackResolver;
import org.rootmirror.resolver.testing.MiniInternet;
import org.rootmirror.sync.server.interop.Daemon;
import org.rootmirror.sync.server.interop.DnsClient;
import org.rootmirror.sync.server.interop.Tools;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A differential test against Unbound (Debian package unbound): rootmirror's resolver and a real
 * Unbound both resolve through the same {@link MiniInternet} (served on port 53, since Unbound
 * sends to authorities on no other port) with the same root hints and the same trust anchor, the
 * root's DS, and answer the same few hundred questions: every owner name of every zone with the
 * common types, a name that does not exist under every zone, and names under TLDs that do not
 * exist. Each is asked over TCP with DO set, and the two must give the same RCODE, the same AD
 * flag and the same answer RRsets (TTLs, signatures and order aside), or differ as one of the
 * {@link UnboundDifference}s explains. Anything else fails the test, every difference listed.
 *
 * <p>rootmirror starts from the mini-internet's root as its local copy, Unbound from the hints;
 * the answers are the same either way. Unbound runs unprivileged in the foreground from a
 * configuration in a temporary directory on 127.0.0.1 (a free port) and is stopped at the end. The
 * test is skipped, saying so, where Unbound is not installed or port 53 on 127.53.0.0/24 cannot be
 * bound.
 */
@Timeout(90)
class ResolverMatchesUnboundTest {
  /** The types asked at every owner name. */
  private static final int[] TYPES = {Type.A, Type.AAAA, Type.TXT, Type.MX, Type.NS, Type.DS, Type.DNSKEY, Type.SOA, Type.CNAME};
  /** Names under TLDs the mini-internet's root does not have: before, between and after its TLDs. */
  private static final List<String> JUNK = List.of("aaa.", "www.example.nosuchtld.", "www.test-not.", "zzz.", "a.b.c.zz.");
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);
  /** The slow server's delay: long enough to be a slow server, short enough for both resolvers to wait for. */
  private static final Duration SLOW = Duration.ofMillis(300);

  @TempDir
  Path dir;

  /** One question and each resolver's answer, reduced to what is compared. */
  record Outcome(Name qname, int qtype, Reduced ours, Reduced unbound) {
    boolean same() {
      return ours.equals(unbound);
    }

    String report() {
      return "%s %s\n  rootmirror: %s\n  Unbound:    %s".formatted(qname, Type.string(qtype), ours, unbound);
    }
  }

  /**
   * The RCODE, the AD flag and the answer section without RRSIGs, as sorted "owner TYPE rdata"
   * lines; or, where no response came, the error instead (RCODE -1).
   */
  record Reduced(int rcode, boolean ad, SortedSet<String> answer, String error) {
    static Reduced failed(IOException e) {
      return new Reduced(-1, false, new TreeSet<>(), e.toString());
    }

    static Reduced of(Message m) {
      SortedSet<String> answer = new TreeSet<>();
      for (Record r : m.getSection(Section.ANSWER)) {
        if (r.getType() != Type.RRSIG) {
          answer.add(r.getName().toString().toLowerCase(Locale.ROOT) + " " + Type.string(r.getType()) + " " + r.rdataToString());
        }
      }
      return new Reduced(m.getRcode(), m.getHeader().getFlag(Flags.AD), answer, "");
    }

    @Override
    public String toString() {
      return rcode < 0 ? "no response: " + error : Rcode.string(rcode) + (ad ? " ad" : "") + " " + answer;
    }
  }

  @Test
  void rootmirrorAnswersAsUnboundDoesButForKnownDifferences() throws Exception {
    String unbound = Tools.require("unbound", "unbound");
    try (MiniInternet net = MiniInternet.builder().port(53).slowDelay(SLOW).startOrSkip();
        LoopbackResolver ours = LoopbackResolver.start(net);
        Daemon theirs = startUnbound(unbound, net)) {
      List<Outcome> outcomes = new ArrayList<>();
      int id = 0;
      for (Record question : questions(net)) {
        id++;
        outcomes.add(new Outcome(question.getName(), question.getType(),
            ask(ours.address(), question, id), ask(theirs.address(), question, id)));
      }

      Map<UnboundDifference, Integer> explained = new EnumMap<>(UnboundDifference.class);
      List<Outcome> unexplained = new ArrayList<>();
      for (Outcome o : outcomes) {
        UnboundDifference known = o.same() ? null : UnboundDifference.explaining(o);
        if (known != null) {
          explained.merge(known, 1, Integer::sum);
        } else if (!o.same()) {
          unexplained.add(o);
        }
      }
      System.out.println(summary(outcomes.size(), explained, unexplained.size()));
      assertTrue(unexplained.isEmpty(), () -> unexplained.size() + " of " + outcomes.size()
          + " questions got answers that differ in ways not explained:\n"
          + String.join("\n", unexplained.stream().map(Outcome::report).toList()) + "\n\nUnbound's log:\n" + theirs.output());
      assertCovers(outcomes);
    }
  }

  /**
   * Every owner name of every zone (the hashed NSEC3 owners aside) and a few names that exist only
   * by synthesis (under the wildcard and the DNAME) with each of {@link #TYPES}; a nonexistent name
   * under each zone; the junk TLDs.
   */
  static List<Record> questions(MiniInternet net) {
    Set<Name> names = new LinkedHashSet<>();
    for (Zone zone : net.zones().values()) {
      for (Record r : zone.records()) {
        if (r.getType() != Type.NSEC3 && r.getType() != Type.RRSIG) {
          names.add(r.getName());
        }
      }
    }
    for (String synthesised : List.of("anything.wild.sec.test.", "a.b.wild.sec.test.", "host.old.example.", "nothing.old.example.")) {
      names.add(Name.fromConstantString(synthesised));
    }
    List<Record> questions = new ArrayList<>();
    for (Name name : names) {
      for (int type : TYPES) {
        questions.add(Record.newRecord(name, type, DClass.IN));
      }
    }
    for (Name origin : net.zones().keySet()) {
      for (int type : new int[] {Type.A, Type.TXT}) {
        questions.add(Record.newRecord(Name.fromConstantString("no-such-name." + (origin.equals(Name.root) ? "" : origin)), type, DClass.IN));
      }
    }
    for (String junk : JUNK) {
      questions.add(Record.newRecord(Name.fromConstantString(junk), Type.A, DClass.IN));
    }
    return questions;
  }

  /** The comparison saw what it is for: secure, insecure and bogus answers, name errors and no-data answers. */
  private static void assertCovers(List<Outcome> outcomes) {
    long secure = outcomes.stream().filter(o -> o.unbound().ad() && !o.unbound().answer().isEmpty()).count();
    long insecure = outcomes.stream().filter(o -> !o.unbound().ad() && !o.unbound().answer().isEmpty()).count();
    long nameErrors = outcomes.stream().filter(o -> o.unbound().rcode() == Rcode.NXDOMAIN).count();
    long noData = outcomes.stream().filter(o -> o.unbound().rcode() == Rcode.NOERROR && o.unbound().answer().isEmpty()).count();
    long failures = outcomes.stream().filter(o -> o.unbound().rcode() == Rcode.SERVFAIL).count();
    assertTrue(outcomes.size() > 300 && secure > 20 && insecure > 5 && nameErrors > 10 && noData > 100 && failures > 0,
        "questions %d: secure %d, insecure %d, name errors %d, no data %d, failures %d"
            .formatted(outcomes.size(), secure, insecure, nameErrors, noData, failures));
  }

  /**
   * Over a new TCP connection for each question, so that neither answer is truncated and neither
   * server sees a connection reused; EDNS with DO, RD set, no CD.
   */
  private static Reduced ask(InetSocketAddress server, Record question, int id) {
    Message query = Message.newQuery(question);
    query.getHeader().setID(id & 0xFFFF);
    query.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    // A closed connection is not an answer: Unbound drops TCP clients it is short of slots for
    // under load, so ask again, at most three times in all.
    IOException failure = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return Reduced.of(new Message(DnsClient.tcp(server, query.toWire(), CLIENT_TIMEOUT)));
      } catch (IOException e) {
        failure = e;
      }
    }
    return Reduced.failed(failure);
  }

  private static String summary(int total, Map<UnboundDifference, Integer> explained, int unexplained) {
    int known = explained.values().stream().mapToInt(Integer::intValue).sum();
    StringBuilder s = new StringBuilder("rootmirror vs Unbound: %d questions: %d the same, %d explained, %d not"
        .formatted(total, total - known - unexplained, known, unexplained));
    explained.forEach((k, n) -> s.append("\n  ").append(k).append(" (").append(n).append("): ").append(k.reason()));
    return s.toString();
  }

  private Daemon startUnbound(String program, MiniInternet net) throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    InetSocketAddress listen = new InetSocketAddress(loopback, Tools.freePort(loopback));
    Path home = Files.createDirectories(dir.resolve("unbound"));
    Path hints = Files.writeString(home.resolve("root.hints"), net.rootHintsText());
    Path conf = Files.writeString(home.resolve("unbound.conf"), unboundConf(home, listen, hints, net));
    return Daemon.start("Unbound", home, listen, List.of(program, "-d", "-c", conf.toString()));
  }

  /**
   * A validating Unbound with its defaults (hardening, QNAME minimisation, aggressive NSEC) except
   * what a test needs: loopback authorities allowed, test. resolved like any other TLD, no
   * privileges dropped, files in {@code home}.
   */
  private static String unboundConf(Path home, InetSocketAddress listen, Path hints, MiniInternet net) {
    return """
        server:
            verbosity: 1
            val-log-level: 2
            log-servfail: yes
            use-syslog: no
            logfile: "%1$s/unbound.log"
            log-time-ascii: yes
            num-threads: 1
            interface: %2$s@%3$d
            do-ip4: yes
            do-ip6: no
            so-reuseport: no
            access-control: 127.0.0.0/8 allow
            do-not-query-localhost: no
            username: ""
            chroot: ""
            directory: "%1$s"
            pidfile: "%1$s/unbound.pid"
            module-config: "validator iterator"
            root-hints: "%4$s"
            trust-anchor: ". DS %5$s"
            qname-minimisation: yes
            # test. is special-use (RFC 6761 section 6.2), answered locally by default
            local-zone: "test." nodefault
            prefetch: no
        remote-control:
            control-enable: no
        """.formatted(home.toAbsolutePath(), listen.getAddress().getHostAddress(), listen.getPort(),
        hints.toAbsolutePath(), net.ds(Name.root).rdataToString());
  }
}
