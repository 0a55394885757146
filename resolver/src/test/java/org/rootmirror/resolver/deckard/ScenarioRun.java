package org.rootmirror.resolver.deckard;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.resolver.ResolverStack;
import org.rootmirror.resolver.cache.CacheConfig;
import org.rootmirror.resolver.iterate.ForwardZone;
import org.rootmirror.resolver.iterate.QnameMinimisation;
import org.rootmirror.resolver.iterate.RootHints;
import org.rootmirror.resolver.validate.ValidationConfig;
import org.rootmirror.resolver.net.ResolverQueryHandler;
import org.rootmirror.resolver.testing.MutableTime;
import org.rootmirror.sync.server.ResponseSink;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.server.xfr.AddressAcl;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/**
 * Plays one scenario against the real resolver stack (front end, cache, validator, iterator),
 * configured from the scenario's CONFIG block, on the scenario's clock, with the scripted network
 * as its only upstream and no local root copy (the scenario's root server is primed from its
 * stub-addr, RFC 8109). A step that does not go as the scenario says throws an AssertionError
 * naming the step, the MATCH element and what differed, with the queries the resolver sent.
 */
final class ScenarioRun {
  /** A resolution here sends no real packet, so one that takes this long is stuck. */
  private static final long ANSWER_SECONDS = 60;
  private static final InetSocketAddress CLIENT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 53_000);

  private final Scenario scenario;
  private final ScriptedNetwork network;
  private final MutableTime time;
  private final ResolverQueryHandler handler;
  private Message lastAnswer;
  private int ids = 1;

  ScenarioRun(Scenario scenario) {
    this.scenario = scenario;
    this.network = new ScriptedNetwork(scenario);
    this.time = new MutableTime(start(scenario));
    ScenarioConfig config = ScenarioConfig.of(scenario);
    ResolverStack stack = ResolverStack.build(config.options(), () -> null, config.validation(), network, time);
    this.handler = new ResolverQueryHandler(stack.resolver(), AddressAcl.loopback(), 64, time);
  }

  void play() throws IOException, InterruptedException {
    try (handler) {
      for (Scenario.Step step : scenario.steps()) {
        network.step(step.id());
        switch (step.type()) {
          case "QUERY" -> query(step);
          case "CHECK_ANSWER" -> check(step);
          case "TIME_PASSES" -> time.advanceSeconds(step.elapse());
          case "REPLY", "CHECK_OUT_QUERY" -> {} // one-shot answers are in the network; CHECK_OUT_QUERY is ignored by Deckard too
          default -> throw new IllegalArgumentException(scenario.name() + ": step " + step.id() + ": unsupported type " + step.type());
        }
      }
    }
  }

  private void query(Scenario.Step step) throws IOException, InterruptedException {
    if (step.entry() == null) {
      throw new IllegalArgumentException(scenario.name() + ": step " + step.id() + ": QUERY without an entry");
    }
    CompletableFuture<byte[]> reply = new CompletableFuture<>();
    ResponseSink sink = buffer -> {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      reply.complete(bytes);
    };
    handler.handle(ByteBuffer.wrap(step.entry().query(ids++ & 0xffff)), Transport.UDP, CLIENT, sink);
    lastAnswer = null;
    if (step.entry().raw != null) {
      return; // pydnstest does not wait for answers to RAW queries
    }
    byte[] bytes;
    try {
      bytes = reply.get(ANSWER_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw failure(step, "no answer within " + ANSWER_SECONDS + " s");
    } catch (ExecutionException e) {
      throw failure(step, "answering failed: " + e.getCause());
    }
    lastAnswer = new Message(bytes);
  }

  private void check(Scenario.Step step) {
    if (lastAnswer == null) {
      throw failure(step, "no answer from the preceding query");
    }
    String why = step.entry().mismatch(lastAnswer);
    if (why != null) {
      throw failure(step, why + "\n--- answer:\n" + lastAnswer);
    }
  }

  private AssertionError failure(Scenario.Step step, String what) {
    List<String> queries = network.log();
    return new AssertionError(scenario.name() + " step " + step.id() + " (line " + step.line() + ") " + step.type() + ": " + what
        + "\n--- the resolver asked (" + queries.size() + "):\n" + String.join("\n", queries.subList(Math.max(0, queries.size() - 60), queries.size())));
  }

  /** val-override-date (YYYYMMDDHHMMSS, UTC) or val-override-timestamp; without either, now. */
  static Instant start(Scenario scenario) {
    String date = scenario.value("val-override-date");
    String stamp = scenario.value("val-override-timestamp");
    if (date != null && date.length() == 14) {
      return LocalDateTime.parse(date, DateTimeFormatter.ofPattern("yyyyMMddHHmmss")).toInstant(ZoneOffset.UTC);
    }
    if (date != null) {
      return Instant.ofEpochSecond(Long.parseLong(date));
    }
    if (stamp != null) {
      return Instant.ofEpochSecond(Long.parseLong(stamp));
    }
    return Instant.now();
  }

  /**
   * The scenario's CONFIG block as the resolver's options (scenario_guide.rst, "Configuration"),
   * with Deckard's defaults: query minimisation on (relaxed, as Unbound and Knot Resolver are by
   * default), harden-glue and do-not-query-localhost on. Keys for Knot Resolver's own modules
   * (feature-list, and features other than min_ttl/max_ttl) have no counterpart here.
   */
  record ScenarioConfig(ResolverStack.Options options, ValidationConfig validation) {
    static ScenarioConfig of(Scenario scenario) {
      ResolverStack.Options options = ResolverStack.Options.defaults().withHints(hints(scenario))
          .withDoNotQueryLocalhost(true).withHardenGlue(true).withQnameMinimisation(QnameMinimisation.RELAXED);
      List<String> anchorLines = scenario.values("trust-anchor");
      TrustAnchors anchors = anchorLines.isEmpty() ? TrustAnchors.none()
          : TrustAnchors.parseZoneFormat(String.join("\n", anchorLines), scenario.name() + " trust-anchor");
      Set<Name> insecure = new LinkedHashSet<>();
      CacheConfig cache = options.cache();
      for (Scenario.Config c : scenario.config()) {
        switch (c.key()) {
          case "stub-addr", "stub-name", "trust-anchor", "val-override-date", "val-override-timestamp" -> {}
          case "do-ip6", "do-ip4", "force-ipv6" -> {}
          case "query-minimization" -> options = options.withQnameMinimisation(yes(c) ? QnameMinimisation.RELAXED : QnameMinimisation.OFF);
          case "harden-glue" -> options = options.withHardenGlue(yes(c));
          case "do-not-query-localhost" -> options = options.withDoNotQueryLocalhost(yes(c));
          case "domain-insecure" -> insecure.add(name(c.value()));
          case "forward-addr" -> options = options.withForwardZones(List.of(
              new ForwardZone(Name.root, List.of(new InetSocketAddress(Entry.address(c.value()), 53)))));
          case "features" -> {
            for (String feature : c.value().split(";")) {
              String[] kv = feature.split("=", 2);
              String key = kv[0].strip();
              long seconds = kv.length < 2 ? -1 : Long.parseLong(kv[1].strip());
              switch (key) {
                case "min_ttl" -> cache = cache.withTtlBounds(seconds, Math.max(seconds, cache.maxTtl()), cache.maxNegativeTtl());
                case "max_ttl" -> cache = cache.withTtlBounds(Math.min(cache.minTtl(), seconds), seconds, cache.maxNegativeTtl());
                default -> throw new UnsupportedOperationException("feature " + key + " is Knot Resolver's own");
              }
            }
          }
          default -> throw new UnsupportedOperationException("CONFIG key " + c.key() + " has no counterpart in rootmirror");
        }
      }
      return new ScenarioConfig(options.withCache(cache), new ValidationConfig(anchors, insecure));
    }

    private static boolean yes(Scenario.Config c) {
      return List.of("yes", "on", "true", "1").contains(c.value().toLowerCase(java.util.Locale.ROOT));
    }

    private static Name name(String text) {
      try {
        return Name.fromString(text, Name.root);
      } catch (org.xbill.DNS.TextParseException e) {
        throw new IllegalArgumentException("bad domain-insecure name " + text);
      }
    }

    /** The root server named by stub-addr (and stub-name), else the built-in hints. */
    private static RootHints hints(Scenario scenario) {
      String address = scenario.value("stub-addr");
      if (address == null) {
        return RootHints.builtIn();
      }
      String name = scenario.value("stub-name") == null ? "k.root-servers.net." : scenario.value("stub-name");
      if (!name.endsWith(".")) {
        name += ".";
      }
      String type = Entry.address(address) instanceof java.net.Inet6Address ? "AAAA" : "A";
      return RootHints.parse(". 3600000 NS " + name + "\n" + name + " 3600000 " + type + " " + address + "\n", scenario.name() + " stub-addr");
    }
  }
}
