package org.rootmirror.resolver.validate;

import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.Resolver;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.rootmirror.resolver.iterate.ServerAvoidance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * DNSSEC validation as a decorator around the iterator (RFC 4033-4035, RFC 6840): every RRset of
 * the answer, every denial proof, checked along a chain of trust from the closest trust anchor;
 * the result's {@link SecurityStatus} is the weakest of its parts, and bogus data becomes a
 * SERVFAIL with an Extended DNS Error (RFC 8914) unless the client set CD (RFC 4035 section 3.2.2).
 *
 * <p>The judgement itself is {@link Check}'s, with {@link ChainOfTrust} (zone cuts), {@link
 * ZoneKeys} (key fetching) and {@link Denials} (denial of existence). DS and DNSKEY RRsets are
 * fetched through a second {@link Resolver}, in production the cache in front of this validator,
 * so that a zone's keys are validated once and then cached like any other answer.
 *
 * <p>A bogus answer is asked again of other servers before it is given up ({@link #MAX_RESTARTS},
 * as Unbound's val-max-restart), through {@link ServerAvoidance}.
 *
 * <p>Nested key lookups run on the caller's thread and share one {@link ValidationBudget}
 * (KeyTrap, CVE-2023-50387) and one loop guard per top-level resolution.
 */
public final class ValidatingResolver implements Resolver {
  private static final Logger log = LoggerFactory.getLogger(ValidatingResolver.class);

  /** Zone cuts followed from the root before giving up: deeper chains are very rare in practice. */
  public static final int MAX_ZONE_DEPTH = 16;

  /** Each zone level nests at most a DNSKEY and a DS lookup, plus the question itself. */
  private static final int MAX_NESTING = 2 * MAX_ZONE_DEPTH + 2;

  /** Attempts after the first at a bogus answer, each avoiding more servers (Unbound's val-max-restart, 5). */
  public static final int MAX_RESTARTS = 5;

  /** The EDE text prefix of a SERVFAIL for a spent validation budget. */
  public static final String LIMIT_TEXT = "validation limit";

  private final Resolver inner;
  private final ValidationConfig config;
  private final InstantSource clock;
  private final int verificationsPerResolution;
  private final Check.Services services;
  private final ThreadLocal<Check.Context> context = new ThreadLocal<>();

  /**
   * A validator over {@code inner} (the iterator) trusting {@code anchors}.
   *
   * @param keysAbove given this validator, returns the resolver to fetch DS and DNSKEY RRsets
   *     through: the stack above it (the cache wrapping it) in production, {@code
   *     UnaryOperator.identity()} to ask this validator itself. It may only keep the reference.
   */
  public ValidatingResolver(Resolver inner, UnaryOperator<Resolver> keysAbove, TrustAnchors anchors, InstantSource clock) {
    this(inner, keysAbove, ValidationConfig.of(anchors), clock);
  }

  /** As above, with trust anchors and negative trust anchors from {@code config}. */
  public ValidatingResolver(Resolver inner, UnaryOperator<Resolver> keysAbove, ValidationConfig config, InstantSource clock) {
    this(inner, keysAbove, config, clock, ValidationBudget.DEFAULT_VERIFICATIONS);
  }

  /** As above, with {@code verificationsPerResolution} signature verifications per resolution. */
  public ValidatingResolver(
      Resolver inner, UnaryOperator<Resolver> keysAbove, TrustAnchors anchors, InstantSource clock,
      int verificationsPerResolution) {
    this(inner, keysAbove, ValidationConfig.of(anchors), clock, verificationsPerResolution);
  }

  /** As above, with {@code config} and {@code verificationsPerResolution} verifications per resolution. */
  public ValidatingResolver(
      Resolver inner, UnaryOperator<Resolver> keysAbove, ValidationConfig config, InstantSource clock,
      int verificationsPerResolution) {
    this.inner = Objects.requireNonNull(inner, "inner");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (verificationsPerResolution < 1) {
      throw new IllegalArgumentException("a budget of " + verificationsPerResolution + " verifications");
    }
    this.verificationsPerResolution = verificationsPerResolution;
    Resolver keys = Objects.requireNonNull(keysAbove.apply(this), "keys resolver");
    this.services = new Check.Services(new RRsetValidator(), new Nsec3Denial(), keys, new TrustPoints(config), new AtomicLong(),
        config.rootKeys());
  }

  /** The resolver DS and DNSKEY RRsets are fetched through (the top of the stack). */
  public Resolver keys() {
    return services.keys();
  }

  /** What this validator trusts and which domains it leaves insecure. */
  public ValidationConfig config() {
    return config;
  }

  /**
   * Whether answers are validated at all: false without trust anchors, when every answer passes
   * through insecure (no AD, never bogus); the operator should be told.
   */
  public boolean validating() {
    return config.validating();
  }

  /** Resolutions ended because their validation budget was spent; for metrics and tests. */
  public long budgetExhaustions() {
    return services.exhaustions().get();
  }

  /** Signature verifications made since this validator was built; for metrics and tests. */
  public long verifications() {
    return services.rrsets().verifications();
  }

  @Override
  public Resolution resolve(Question question, boolean checkingDisabled) {
    Check.Context ctx = context.get();
    boolean top = ctx == null;
    if (top) {
      ctx = new Check.Context(new ValidationBudget(verificationsPerResolution, ValidationBudget.DEFAULT_FAILURES));
      context.set(ctx);
    }
    try {
      if (ctx.active.contains(question)) {
        return Resolution.servfail(ExtendedErrorCodeOption.DNSSEC_BOGUS,
            "validation loop: " + question + " is needed to validate itself");
      }
      if (ctx.active.size() >= MAX_NESTING) {
        return Resolution.servfail(ExtendedErrorCodeOption.DNSSEC_BOGUS,
            "chain of trust for " + question + " deeper than " + MAX_ZONE_DEPTH + " zones");
      }
      ctx.active.add(question);
      try {
        return validated(question, checkingDisabled, ctx);
      } finally {
        ctx.active.remove(question);
      }
    } finally {
      if (top) {
        context.remove();
      }
    }
  }

  /**
   * Resolves and judges {@code question}; a bogus answer is asked again of other servers, at most
   * {@link #MAX_RESTARTS} times, before it becomes a SERVFAIL: as Unbound's val-max-restart, each
   * restart avoids the server addresses that gave the data that failed (RFC 4035 section 5 lets a
   * validator try other servers). The attempts share one query budget ({@link ServerAvoidance}).
   * Key lookups restart on their own when bogus, so a failed one ends this resolution at once.
   */
  private Resolution validated(Question question, boolean checkingDisabled, Check.Context ctx) {
    ServerAvoidance attempts = new ServerAvoidance();
    Resolution bogus = null;
    for (int restart = 0; ; restart++) {
      Resolution received = attempts.attempt(() -> inner.resolve(question, checkingDisabled));
      int rcode = received.rcode();
      // Only answers and denials carry DNSSEC data; SERVFAIL and the rest pass through unchanged.
      // Only class IN has trust anchors (RFC 4033 section 5: no anchor, indeterminate).
      if ((rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) || question.dclass() != DClass.IN) {
        // a restart that failed otherwise (no server left, budget spent) ends on the bogus answer
        return bogus != null && rcode == Rcode.SERVFAIL ? bogus : received;
      }
      if (!services.points().any()) {
        // RFC 4033 section 5: no trust anchor, no chain of trust from anywhere: insecure
        return received.withStatus(SecurityStatus.INSECURE);
      }
      if (question.type() == Type.RRSIG && rcode == Rcode.NOERROR && !received.answer().isEmpty()) {
        // RRSIGs are not themselves signed (RFC 4035 section 2.2), so an RRSIG answer cannot be
        // validated; as Unbound does, it is answered unchecked, without AD. INDETERMINATE also
        // keeps the cache from storing signature-only RRsets as data of the type they cover.
        return received.withStatus(SecurityStatus.INDETERMINATE);
      }
      Check check = new Check(services, question, received, ctx, clock.instant());
      Verdict verdict = check.run();
      switch (verdict.kind()) {
        case SECURE -> {
          return withAuthority(received, check.authorityFor(Verdict.Kind.SECURE), SecurityStatus.SECURE);
        }
        case INSECURE -> {
          // a chain insecure as a whole may hold RRsets secure on their own (a signed name behind
          // an unsigned CNAME): the cache keeps them as such
          services.keys().keepSecure(check.secureParts());
          return withAuthority(received, check.authorityFor(Verdict.Kind.INSECURE), SecurityStatus.INSECURE);
        }
        // RFC 4035 section 3.2.2: with CD the client validates; it gets the data, marked bogus
        case LIMIT -> {
          return checkingDisabled
              ? received.withStatus(SecurityStatus.BOGUS)
              : Resolution.servfail(ExtendedErrorCodeOption.OTHER, verdict.text());
        }
        case BOGUS -> {
          if (checkingDisabled) {
            return received.withStatus(SecurityStatus.BOGUS);
          }
          bogus = Resolution.servfail(verdict.code(), verdict.text());
          services.keys().keepSecure(check.secureParts());
          // a key lookup that failed made its own restarts: asking for this answer again would not help
          if (restart == MAX_RESTARTS || check.keyLookupFailed() || !attempts.avoidOrigins()) {
            return bogus;
          }
          log.debug("{}: {}; asking again, avoiding {}", question, verdict.text(), attempts.avoided());
        }
      }
    }
  }

  private static Resolution withAuthority(Resolution r, List<RRset> authority, SecurityStatus status) {
    return new Resolution(r.rcode(), r.answer(), authority, status, r.error());
  }
}
