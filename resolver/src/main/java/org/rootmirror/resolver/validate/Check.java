package org.rootmirror.resolver.validate;

import java.time.Instant;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.rootmirror.dnssec.validate.Algorithms;
import org.rootmirror.resolver.AnswerChain;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.Resolver;
import org.rootmirror.resolver.validate.RRsetValidator.Outcome;
import org.rootmirror.resolver.validate.Verdict.Kind;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * One resolution's judgement (RFC 4035 section 5): each RRset of the answer chain against the keys
 * of its signer, then the denial at the chain's end; the parts it delegates to {@link
 * ChainOfTrust}, {@link ZoneKeys} and {@link Denials} share its state.
 */
final class Check {
  /** What one validator shares with every resolution it judges. */
  record Services(RRsetValidator rrsets, Nsec3Denial nsec3, Resolver keys, TrustPoints points, AtomicLong exhaustions,
      Consumer<RRset> rootKeys) {}

  /** The state one top-level resolution shares with the key lookups nested in it. */
  static final class Context {
    final ValidationBudget budget;
    final Set<Question> active = new LinkedHashSet<>();
    /** Key lookups already made in this resolution: a chain asks for the same DS or DNSKEY often. */
    final Map<Question, Resolution> fetched = new HashMap<>();

    Context(ValidationBudget budget) {
      this.budget = budget;
    }
  }

  final Services services;
  final Question question;
  final Resolution received;
  final Context ctx;
  final Instant now;
  final ChainOfTrust chain;
  final ZoneKeys zoneKeys;
  final Denials denials;
  private final Map<RRset, Verdict> judged = new IdentityHashMap<>();
  /** Whether a DS or DNSKEY lookup failed: its own restarts are spent, so another try at this answer would not help. */
  private boolean keyLookupFailed;

  Check(Services services, Question question, Resolution received, Context ctx, Instant now) {
    this.services = services;
    this.question = question;
    this.received = received;
    this.ctx = ctx;
    this.now = now;
    this.chain = new ChainOfTrust(this);
    this.zoneKeys = new ZoneKeys(this);
    this.denials = new Denials(this);
  }

  Verdict run() {
    Verdict verdict = Verdict.SECURE;
    List<RRset> answer = received.answer();
    // RFC 4035 section 5.3: each RRset of a CNAME/DNAME chain separately
    for (RRset set : answer) {
      if (set.getType() == Type.RRSIG || set.size() == 0) {
        continue;
      }
      if (set.getType() == Type.CNAME && set.sigs().isEmpty()) {
        RRset dname = AnswerChain.dnameSynthesising(set, answer);
        if (dname != null && !dname.sigs().isEmpty()) {
          // RFC 6672 section 5.3.3: the unsigned CNAME stands or falls with its DNAME, judged here too
          continue;
        }
        RRset above = signedDnameAbove(set.getName(), answer);
        if (above != null) {
          // a signed DNAME redirects every name below it, so an unsigned CNAME there that it does
          // not make is forged: bogus at once, with no walk for cuts below a DNAME (RFC 6672 section 2.3)
          return Verdict.bogus(ExtendedErrorCodeOption.DNSSEC_BOGUS, "the CNAME at " + set.getName()
              + " is not the one the DNAME at " + above.getName() + " makes (RFC 6672 section 5.3.3)");
        }
      }
      verdict = verdict.and(rrset(set));
      if (verdict.failed()) {
        return verdict;
      }
    }
    Name last = AnswerChain.follow(answer, question.name(), question.type()).end();
    boolean answered = answer.stream().anyMatch(s -> s.getName().equals(last)
        && (s.getType() == question.type() || question.type() == Type.ANY));
    if (received.rcode() == Rcode.NXDOMAIN || !answered) {
      verdict = verdict.and(denials.denial(last));
    }
    return verdict;
  }

  /**
   * The authority section to give with a negative answer judged {@code overall}: the zone's NS
   * RRset an authority may add (RFC 2308 section 2.1) is judged like the rest and left out unless
   * it is as trustworthy as the answer, since AD vouches for every RRset of the authority section
   * too (RFC 4035 section 3.2.3); a bogus one costs only itself, not the answer.
   */
  List<RRset> authorityFor(Kind overall) {
    List<RRset> authority = received.authority();
    if (authority.stream().noneMatch(s -> s.getType() == Type.NS)) {
      return authority;
    }
    return authority.stream().filter(s -> {
      if (s.getType() != Type.NS) {
        return true;
      }
      Kind kind = rrset(s).kind();
      return kind == Kind.SECURE || kind == Kind.INSECURE && overall == Kind.INSECURE;
    }).toList();
  }

  /** The answer's RRsets judged SECURE on their own, whatever the whole answer came to. */
  List<RRset> secureParts() {
    return received.answer().stream().filter(s -> judged.get(s) != null && judged.get(s).kind() == Kind.SECURE).toList();
  }

  /** Whether a DS or DNSKEY lookup this judgement needed failed (a SERVFAIL, bogus keys included). */
  boolean keyLookupFailed() {
    return keyLookupFailed;
  }

  /** An RRset of the answer, or of the authority section, judged once. */
  Verdict rrset(RRset set) {
    Verdict known = judged.get(set);
    if (known != null) {
      return known;
    }
    Verdict verdict = judge(set);
    judged.put(set, verdict);
    return verdict;
  }

  private Verdict judge(RRset set) {
    Name owner = set.getName();
    int type = set.getType();
    if (services.points().closestFor(owner, type, now) instanceof TrustPoints.Unanchored) {
      // RFC 4033 section 3, RFC 7646: no trust anchor above the data, or a negative one: not checked
      return Verdict.INSECURE;
    }
    if (type == Type.DNSKEY && question.type() == Type.DNSKEY && owner.equals(question.name())) {
      return zoneKeys.keyset(set);
    }
    List<RRSIGRecord> sigs = set.sigs().stream().filter(s -> s.getTypeCovered() == type).toList();
    if (sigs.isEmpty()) {
      return chain.unsigned(owner, type, ExtendedErrorCodeOption.RRSIGS_MISSING,
          "RRSIGs missing: " + what(set) + " is unsigned in signed zone ");
    }
    Verdict failure = null;
    for (Name signer : sigs.stream().map(RRSIGRecord::getSigner).distinct().toList()) {
      Verdict verdict = signedBy(set, signer);
      if (!verdict.failed() || verdict.kind() == Kind.LIMIT) {
        return verdict;
      }
      failure = failure == null ? verdict : failure;
    }
    return failure;
  }

  private Verdict signedBy(RRset set, Name signer) {
    Name owner = set.getName();
    // RFC 4035 section 5.3.1: the signer is the zone holding the RRset, an ancestor-or-self of
    // the owner; DS lives in the parent, so its signer is a proper ancestor.
    boolean enclosing = owner.subdomain(signer) && !(set.getType() == Type.DS && owner.equals(signer));
    if (!enclosing) {
      return Verdict.bogus(ExtendedErrorCodeOption.DNSSEC_BOGUS,
          what(set) + ": RRSIG signer " + signer + " is not a zone enclosing it");
    }
    // The chain starts at the closest anchor (RFC 4033 section 3): a signer above it cannot be
    // trusted through it, and must not make the data insecure either.
    if (services.points().closestFor(owner, set.getType(), now) instanceof TrustPoints.Anchored a
        && !signer.subdomain(a.zone())) {
      return Verdict.bogus(ExtendedErrorCodeOption.DNSSEC_BOGUS,
          what(set) + ": RRSIG signer " + signer + " is above its trust anchor " + a.zone());
    }
    ZoneKeys.Keys keys = zoneKeys.of(signer);
    return switch (keys) {
      case ZoneKeys.Insecure i -> Verdict.INSECURE;
      case ZoneKeys.Failed f -> f.verdict();
      case ZoneKeys.Trusted t -> {
        Outcome outcome = services.rrsets().validate(set, t.keys(), signer, now, ctx.budget);
        yield switch (outcome) {
          case RRsetValidator.Secure s -> denials.wildcard(set, signer);
          case RRsetValidator.Insecure i -> Verdict.INSECURE;
          case RRsetValidator.Bogus b -> Verdict.bogus(bogusCode(set, signer), what(set) + ": " + b.reason());
          case RRsetValidator.TooExpensive x -> limit(x.reason());
        };
      }
    };
  }

  /** A DS or DNSKEY lookup through the keys resolver, made once per resolution. */
  Resolution fetch(Question q) {
    Resolution known = ctx.fetched.get(q);
    if (known != null) {
      return known;
    }
    Resolution r = services.keys().resolve(q, false);
    ctx.fetched.put(q, r);
    return r;
  }

  /** A failed nested lookup: its own EDE when it has one, so the client learns the real cause. */
  Verdict nested(Resolution failed, int fallbackCode, String fallbackText) {
    keyLookupFailed = true;
    if (ctx.budget.remaining() == 0) {
      return Verdict.limit(ctx.budget + " spent while fetching keys for " + question);
    }
    ExtendedErrorCodeOption error = failed.error();
    return error == null
        ? Verdict.bogus(fallbackCode, fallbackText)
        : Verdict.bogus(error.getErrorCode(), error.getText());
  }

  /** The budget is spent: counted for metrics. */
  Verdict limit(String reason) {
    services.exhaustions().incrementAndGet();
    return Verdict.limit(reason);
  }

  /** A lookup this resolution is already making further up: asking again would never end. */
  Verdict loop(String what) {
    return Verdict.bogus(ExtendedErrorCodeOption.DNSSEC_BOGUS,
        "validation loop: the " + what + " is needed to validate itself");
  }

  /**
   * The EDE for signatures that did not verify (RFC 8914 section 4): all of them expired (7),
   * all not yet valid (8), none at all (10), else DNSSEC Bogus (6).
   */
  int bogusCode(RRset set, Name signer) {
    List<RRSIGRecord> sigs = set.sigs().stream()
        .filter(s -> s.getSigner().equals(signer) && s.getTypeCovered() == set.getType())
        .filter(s -> Algorithms.supported(s.getAlgorithm()))
        .toList();
    if (sigs.isEmpty()) {
      return ExtendedErrorCodeOption.RRSIGS_MISSING;
    }
    if (sigs.stream().allMatch(s -> now.isAfter(s.getExpire()))) {
      return ExtendedErrorCodeOption.SIGNATURE_EXPIRED;
    }
    if (sigs.stream().allMatch(s -> now.isBefore(s.getTimeSigned()))) {
      return ExtendedErrorCodeOption.SIGNATURE_NOT_YET_VALID;
    }
    return ExtendedErrorCodeOption.DNSSEC_BOGUS;
  }

  /** A signed DNAME RRset of the answer owned by a proper ancestor of {@code name}, or null. */
  private static RRset signedDnameAbove(Name name, List<RRset> answer) {
    for (RRset set : answer) {
      if (set.getType() == Type.DNAME && set.size() > 0 && !set.sigs().isEmpty()
          && name.subdomain(set.getName()) && !name.equals(set.getName())) {
        return set;
      }
    }
    return null;
  }

  static String what(RRset set) {
    return set.getName() + " " + Type.string(set.getType());
  }
}
