package org.rootmirror.resolver.validate;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.rootmirror.dnssec.anchor.TrustAnchor;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.dnssec.validate.Algorithms;
import org.rootmirror.resolver.AnswerChain;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.Resolver;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.rootmirror.resolver.validate.RRsetValidator.Outcome;

import org.xbill.DNS.DClass;

import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;

import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * DNSSEC validation as a decorator around the iterator (RFC 4033-4035, RFC 6840): every RRset of
 * the answer, every denial proof, checked along a chain of trust from the root trust anchors; the
 * result's {@link SecurityStatus} is the weakest of its parts, and bogus data becomes a SERVFAIL
 * with an Extended DNS Error (RFC 8914) unless the client set CD (RFC 4035 section 3.2.2).
 *
 * <p>DS and DNSKEY RRsets are fetched through a second {@link Resolver}, in production the cache
 * in front of this validator, so that a zone's keys are validated once and then cached like any
 * other answer. A DNSKEY question for zone Z is judged against the DS of Z (or the trust
 * anchors), never against the keys it is asking for.
 *
 * <p>Nested key lookups run on the caller's thread and share one {@link ValidationBudget}
 * (KeyTrap, CVE-2023-50387) and one loop guard per top-level resolution.
 */
public final class ValidatingResolver implements Resolver {
  /** Zone cuts followed from the root before giving up: deeper chains are very rare in practice. */
  public static final int MAX_ZONE_DEPTH = 16;

  /** Each zone level nests at most a DNSKEY and a DS lookup, plus the question itself. */
  private static final int MAX_NESTING = 2 * MAX_ZONE_DEPTH + 2;

  /** The EDE text prefix of a SERVFAIL for a spent validation budget. */
  public static final String LIMIT_TEXT = "validation limit";

  private final Resolver inner;
  private final Resolver keys;
  private final TrustAnchors anchors;
  private final InstantSource clock;
  private final int verificationsPerResolution;
  private final RRsetValidator validator = new RRsetValidator();
  private final Nsec3Denial nsec3Denial = new Nsec3Denial();
  private final AtomicLong budgetExhaustions = new AtomicLong();
  private final ThreadLocal<Context> context = new ThreadLocal<>();

  /**
   * A validator over {@code inner} (the iterator).
   *
   * @param keysAbove given this validator, returns the resolver to fetch DS and DNSKEY RRsets
   *     through: the stack above it (the cache wrapping it) in production, {@code
   *     UnaryOperator.identity()} to ask this validator itself. It may only keep the reference.
   */
  public ValidatingResolver(Resolver inner, UnaryOperator<Resolver> keysAbove, TrustAnchors anchors, InstantSource clock) {
    this(inner, keysAbove, anchors, clock, ValidationBudget.DEFAULT_VERIFICATIONS);
  }

  /** As above, with {@code verificationsPerResolution} signature verifications per resolution. */
  public ValidatingResolver(
      Resolver inner, UnaryOperator<Resolver> keysAbove, TrustAnchors anchors, InstantSource clock,
      int verificationsPerResolution) {
    this.inner = Objects.requireNonNull(inner, "inner");
    this.anchors = Objects.requireNonNull(anchors, "anchors");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (verificationsPerResolution < 1) {
      throw new IllegalArgumentException("a budget of " + verificationsPerResolution + " verifications");
    }
    this.verificationsPerResolution = verificationsPerResolution;
    this.keys = Objects.requireNonNull(keysAbove.apply(this), "keys resolver");
  }

  /** The resolver DS and DNSKEY RRsets are fetched through (the top of the stack). */
  public Resolver keys() {
    return keys;
  }

  /** Resolutions ended because their validation budget was spent; for metrics and tests. */
  public long budgetExhaustions() {
    return budgetExhaustions.get();
  }

  /** Signature verifications made since this validator was built; for metrics and tests. */
  public long verifications() {
    return validator.verifications();
  }

  @Override
  public Resolution resolve(Question question, boolean checkingDisabled) {
    Context ctx = context.get();
    boolean top = ctx == null;
    if (top) {
      ctx = new Context(new ValidationBudget(verificationsPerResolution, ValidationBudget.DEFAULT_FAILURES));
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

  private Resolution validated(Question question, boolean checkingDisabled, Context ctx) {
    Resolution received = inner.resolve(question, checkingDisabled);
    int rcode = received.rcode();
    // Only answers and denials carry DNSSEC data; SERVFAIL and the rest pass through unchanged.
    // Only class IN has trust anchors (RFC 4033 section 5: no anchor, indeterminate).
    if ((rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) || question.dclass() != DClass.IN) {
      return received;
    }
    Verdict verdict = new Check(question, received, ctx, clock.instant()).run();
    return switch (verdict.kind) {
      case SECURE -> received.withStatus(SecurityStatus.SECURE);
      case INSECURE -> received.withStatus(SecurityStatus.INSECURE);
      // RFC 4035 section 3.2.2: with CD the client validates; it gets the data, marked bogus
      case BOGUS -> checkingDisabled
          ? received.withStatus(SecurityStatus.BOGUS)
          : Resolution.servfail(verdict.code, verdict.text);
      case LIMIT -> checkingDisabled
          ? received.withStatus(SecurityStatus.BOGUS)
          : Resolution.servfail(ExtendedErrorCodeOption.OTHER, verdict.text);
    };
  }

  /** The state one top-level resolution shares with the key lookups nested in it. */
  private static final class Context {
    final ValidationBudget budget;
    final Set<Question> active = new LinkedHashSet<>();
    /** Key lookups already made in this resolution: a chain asks for the same DS or DNSKEY often. */
    final Map<Question, Resolution> fetched = new HashMap<>();

    Context(ValidationBudget budget) {
      this.budget = budget;
    }
  }

  /** What validation concluded, weakest first; BOGUS and LIMIT carry the EDE. */
  private enum Kind { SECURE, INSECURE, BOGUS, LIMIT }

  private record Verdict(Kind kind, int code, String text) {
    static final Verdict SECURE = new Verdict(Kind.SECURE, -1, "");
    static final Verdict INSECURE = new Verdict(Kind.INSECURE, -1, "");

    static Verdict bogus(int code, String text) {
      return new Verdict(Kind.BOGUS, code, text);
    }

    /** RFC 4035 section 5: the result is the weakest part, with LIMIT weakest of all. */
    Verdict and(Verdict other) {
      return other.kind.compareTo(kind) > 0 ? other : this;
    }

    boolean failed() {
      return kind == Kind.BOGUS || kind == Kind.LIMIT;
    }
  }

  /** The outcome of looking for a zone cut at a name: is there a DS, a proven absence, or no cut. */
  private sealed interface Cut {}

  private record SignedCut(List<DSRecord> ds) implements Cut {}

  private record UnsignedCut(String how) implements Cut {}

  private record NotACut() implements Cut {}

  /** NXDOMAIN for the DS question: nothing exists at or below the name. */
  private record NoSuchName() implements Cut {}

  private record CutFailed(Verdict verdict) implements Cut {}

  /** The keys of a signer zone: trusted keys, a proven-insecure zone, or a failure. */
  private sealed interface ZoneKeys {}

  private record TrustedKeys(List<DNSKEYRecord> keys) implements ZoneKeys {}

  private record InsecureZone() implements ZoneKeys {}

  private record KeysFailed(Verdict verdict) implements ZoneKeys {}

  /** One resolution's judgement: its answer chain, its denial, its wildcard proofs. */
  private final class Check {
    private final Question question;
    private final Resolution received;
    private final Context ctx;
    private final Instant now;
    private final Map<RRset, Verdict> judged = new IdentityHashMap<>();

    Check(Question question, Resolution received, Context ctx, Instant now) {
      this.question = question;
      this.received = received;
      this.ctx = ctx;
      this.now = now;
    }

    Verdict run() {
      Verdict verdict = Verdict.SECURE;
      List<RRset> answer = received.answer();
      // RFC 4035 section 5.3: each RRset of a CNAME/DNAME chain separately
      for (RRset set : answer) {
        if (set.getType() == Type.RRSIG || set.size() == 0) {
          continue;
        }
        if (set.getType() == Type.CNAME && set.sigs().isEmpty() && synthesisedFromSignedDname(set, answer)) {
          // RFC 6672 section 5.3.3: the unsigned CNAME stands or falls with its DNAME, judged below
          continue;
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
        verdict = verdict.and(denial(last));
      }
      return verdict;
    }

    /** An RRset of the answer, or of the authority section, judged once. */
    private Verdict rrset(RRset set) {
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
      if (type == Type.DNSKEY && question.type() == Type.DNSKEY && owner.equals(question.name())) {
        return keyset(set);
      }
      List<RRSIGRecord> sigs = set.sigs().stream().filter(s -> s.getTypeCovered() == type).toList();
      if (sigs.isEmpty()) {
        return unsigned(owner, type, ExtendedErrorCodeOption.RRSIGS_MISSING,
            "RRSIGs missing: " + what(set) + " is unsigned in signed zone ");
      }
      Verdict failure = null;
      for (Name signer : signers(sigs)) {
        Verdict verdict = signedBy(set, signer);
        if (!verdict.failed()) {
          return verdict;
        }
        if (verdict.kind == Kind.LIMIT) {
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
      ZoneKeys zoneKeys = zoneKeys(signer);
      if (zoneKeys instanceof InsecureZone) {
        return Verdict.INSECURE;
      }
      if (zoneKeys instanceof KeysFailed failed) {
        return failed.verdict;
      }
      List<DNSKEYRecord> trusted = ((TrustedKeys) zoneKeys).keys;
      Outcome outcome = validator.validate(set, trusted, signer, now, ctx.budget);
      return switch (outcome) {
        case RRsetValidator.Secure s -> wildcard(set, signer);
        case RRsetValidator.Insecure i -> Verdict.INSECURE;
        case RRsetValidator.Bogus b -> Verdict.bogus(bogusCode(set, signer), what(set) + ": " + b.reason());
        case RRsetValidator.TooExpensive t -> limit(t.reason());
      };
    }

    /**
     * RFC 4035 section 5.3.4: a secure RRset whose RRSIG labels field is below its owner's label
     * count was expanded from a wildcard; it is secure only with a proof that the owner does not
     * exist, from the signer zone's NSEC or NSEC3 in the authority section.
     */
    private Verdict wildcard(RRset set, Name signer) {
      Name owner = set.getName();
      int ownerLabels = owner.labels() - 1 - (owner.isWild() ? 1 : 0);
      int labels = set.sigs().stream()
          .filter(s -> s.getSigner().equals(signer) && s.getTypeCovered() == set.getType())
          .mapToInt(RRSIGRecord::getLabels)
          .min().orElse(ownerLabels);
      if (labels >= ownerLabels) {
        return Verdict.SECURE;
      }
      Name encloser = new Name(owner, owner.labels() - 1 - labels);
      Proofs proofs = proofs(signer);
      if (proofs.verdict.kind != Kind.SECURE) {
        return proofs.verdict.kind == Kind.INSECURE
            ? bogusWildcard(owner, "its NSEC/NSEC3 records are not signed")
            : proofs.verdict;
      }
      if (!proofs.nsecs.isEmpty()) {
        NsecDenial.Result r = NsecDenial.wildcardAnswer(owner, encloser, proofs.nsecs);
        return r instanceof NsecDenial.NotProven np ? bogusWildcard(owner, np.reason()) : Verdict.SECURE;
      }
      if (!proofs.nsec3s.isEmpty()) {
        return nsec3(nsec3Denial.wildcardAnswer(owner, encloser, signer, proofs.nsec3s),
            "wildcard answer " + owner);
      }
      return bogusWildcard(owner, "no NSEC or NSEC3 shows that no closer match exists");
    }

    private Verdict bogusWildcard(Name owner, String reason) {
      return Verdict.bogus(ExtendedErrorCodeOption.NSEC_MISSING,
          "wildcard answer " + owner + " without proof that it does not exist: " + reason);
    }

    /**
     * A DNSKEY question's own answer (RFC 4035 section 5.2): trusted through the DS of the zone,
     * or the trust anchors, never through the keys being asked for.
     */
    private Verdict keyset(RRset dnskeys) {
      Name zone = dnskeys.getName();
      Cut cut = cut(zone);
      return switch (cut) {
        case SignedCut signed -> keysetFromDs(dnskeys, signed.ds);
        case UnsignedCut u -> Verdict.INSECURE;
        case CutFailed failed -> failed.verdict;
        case NotACut n -> Verdict.bogus(ExtendedErrorCodeOption.DNSKEY_MISSING,
            "DNSKEY at " + zone + ", which is not a zone cut: no DS and no delegation");
        case NoSuchName n -> Verdict.bogus(ExtendedErrorCodeOption.DNSKEY_MISSING,
            "DNSKEY at " + zone + ", a name its parent zone says does not exist");
      };
    }

    private Verdict keysetFromDs(RRset dnskeys, List<DSRecord> ds) {
      Name zone = dnskeys.getName();
      Outcome outcome = validator.validateKeys(dnskeys, ds, now, ctx.budget);
      return switch (outcome) {
        case RRsetValidator.Secure s -> Verdict.SECURE;
        // RFC 4035 section 5.2: no DS with a supported algorithm is as no DS at all
        case RRsetValidator.Insecure i -> Verdict.INSECURE;
        case RRsetValidator.Bogus b -> Verdict.bogus(
            dsMatchesAKey(dnskeys, ds) ? bogusCode(dnskeys, zone) : ExtendedErrorCodeOption.DNSKEY_MISSING,
            "DNSKEY of " + zone + ": " + b.reason());
        case RRsetValidator.TooExpensive t -> limit(t.reason());
      };
    }

    /** The trusted keys of {@code signer}, fetched through the keys resolver. */
    private ZoneKeys zoneKeys(Name signer) {
      Question q = new Question(signer, Type.DNSKEY, question.dclass());
      if (ctx.active.contains(q)) {
        return new KeysFailed(Verdict.bogus(ExtendedErrorCodeOption.DNSSEC_BOGUS,
            "validation loop: the DNSKEY of " + signer + " is needed to validate itself"));
      }
      Resolution r = fetch(q);
      if (r.rcode() == Rcode.SERVFAIL) {
        return new KeysFailed(nested(r, ExtendedErrorCodeOption.DNSKEY_MISSING, "no valid DNSKEY for " + signer));
      }
      if (r.status() == SecurityStatus.INSECURE) {
        return new InsecureZone();
      }
      if (r.status() != SecurityStatus.SECURE) {
        return new KeysFailed(Verdict.bogus(ExtendedErrorCodeOption.DNSKEY_MISSING,
            "the DNSKEY of " + signer + " is " + r.status()));
      }
      List<DNSKEYRecord> found = new ArrayList<>();
      for (RRset set : r.answer()) {
        if (set.getType() == Type.DNSKEY && set.getName().equals(signer)) {
          for (Record rec : set.rrs(false)) {
            found.add((DNSKEYRecord) rec);
          }
        }
      }
      if (found.isEmpty()) {
        return new KeysFailed(Verdict.bogus(ExtendedErrorCodeOption.DNSKEY_MISSING,
            "DNSKEY missing: " + signer + " signs data but has no DNSKEY RRset"));
      }
      return new TrustedKeys(found);
    }

    /**
     * What the parent says about a cut at {@code child}: the trust anchors for a zone that has
     * them, else the secure answer to a DS question (RFC 4035 section 5.2).
     */
    private Cut cut(Name child) {
      List<DSRecord> anchored = anchorDs(child);
      if (!anchored.isEmpty()) {
        return new SignedCut(anchored);
      }
      if (child.equals(Name.root)) {
        return new CutFailed(Verdict.bogus(ExtendedErrorCodeOption.DNSKEY_MISSING,
            "no root trust anchor in force at " + now));
      }
      Question q = new Question(child, Type.DS, question.dclass());
      if (ctx.active.contains(q)) {
        return new CutFailed(Verdict.bogus(ExtendedErrorCodeOption.DNSSEC_BOGUS,
            "validation loop: the DS of " + child + " is needed to validate itself"));
      }
      Resolution r = fetch(q);
      if (r.rcode() == Rcode.SERVFAIL) {
        return new CutFailed(nested(r, ExtendedErrorCodeOption.DNSSEC_BOGUS, "no valid DS answer for " + child));
      }
      if (r.status() == SecurityStatus.INSECURE) {
        return new UnsignedCut("the DS answer for " + child + " is insecure");
      }
      if (r.status() != SecurityStatus.SECURE) {
        return new CutFailed(Verdict.bogus(ExtendedErrorCodeOption.DNSSEC_BOGUS,
            "the DS answer for " + child + " is " + r.status()));
      }
      List<DSRecord> ds = new ArrayList<>();
      for (RRset set : r.answer()) {
        if (set.getType() == Type.DS && set.getName().equals(child)) {
          for (Record rec : set.rrs(false)) {
            ds.add((DSRecord) rec);
          }
        }
      }
      if (!ds.isEmpty()) {
        return new SignedCut(ds);
      }
      if (r.rcode() == Rcode.NXDOMAIN) {
        return new NoSuchName();
      }
      if (!r.answer().isEmpty()) {
        return new NotACut(); // an alias (CNAME) cannot own NS
      }
      // A secure NODATA: a cut proven to have no DS, or a name inside the zone
      List<NSECRecord> nsecs = records(r.authority(), Type.NSEC, NSECRecord.class);
      if (NsecDenial.insecureDelegation(child, nsecs).proven()) {
        return new UnsignedCut("NSEC at " + child + " shows NS without DS");
      }
      List<NSEC3Record> nsec3s = records(r.authority(), Type.NSEC3, NSEC3Record.class);
      Name zone = proofZone(r.authority());
      if (!nsec3s.isEmpty() && zone != null) {
        Nsec3Denial.Result result = nsec3Denial.insecureDelegation(child, zone, nsec3s);
        switch (result) {
          case Nsec3Denial.Proven p -> {
            return new UnsignedCut("NSEC3 for " + child + " shows NS without DS");
          }
          case Nsec3Denial.Insecure i -> {
            return new UnsignedCut(i.reason());
          }
          case Nsec3Denial.TooExpensive t -> {
            return new CutFailed(limit(t.reason()));
          }
          case Nsec3Denial.NotProven n -> {
            return new NotACut();
          }
        }
      }
      return new NotACut();
    }

    /**
     * Unsigned data (RFC 4035 section 5.2, 5.4): acceptable only below a proven insecure
     * delegation. Walks from the root down the ancestors of the name, asking for DS at each: a
     * secure DS is a signed cut, a secure proof of NS without DS an insecure one, a NODATA
     * without NS no cut. Reaching the name still in a signed zone makes the data bogus.
     */
    private Verdict unsigned(Name owner, int type, int code, String text) {
      Name target = type == Type.DS && !owner.equals(Name.root) ? new Name(owner, 1) : owner;
      Name zone = Name.root;
      int cuts = 0;
      for (int n = 2; n <= target.labels(); n++) {
        Name name = new Name(target, target.labels() - n);
        Cut cut = cut(name);
        switch (cut) {
          case SignedCut s -> {
            zone = name;
            if (++cuts > MAX_ZONE_DEPTH) {
              return Verdict.bogus(ExtendedErrorCodeOption.DNSSEC_BOGUS,
                  "chain of trust for " + owner + " deeper than " + MAX_ZONE_DEPTH + " zones");
            }
          }
          case UnsignedCut u -> {
            return Verdict.INSECURE;
          }
          case CutFailed f -> {
            return f.verdict;
          }
          case NotACut c -> {
          }
          case NoSuchName x -> {
            return Verdict.bogus(code, text + zone + " (" + name + " does not exist there)");
          }
        }
      }
      return Verdict.bogus(code, text + zone);
    }

    /**
     * A negative answer (RFC 4035 section 5.4): the SOA and the NSEC/NSEC3 RRsets validated, then
     * what they prove about {@code last}, the end of the chain.
     */
    private Verdict denial(Name last) {
      boolean nxdomain = received.rcode() == Rcode.NXDOMAIN;
      String denied = nxdomain ? last + " does not exist" : last + " has no " + Type.string(question.type());
      List<RRset> authority = received.authority();
      boolean anyProof = authority.stream().anyMatch(s -> s.getType() == Type.NSEC || s.getType() == Type.NSEC3);
      if (!anyProof) {
        return unsigned(last, question.type(), ExtendedErrorCodeOption.NSEC_MISSING,
            "NSEC missing: nothing proves that " + denied + " in signed zone ");
      }
      Verdict verdict = Verdict.SECURE;
      for (RRset set : authority) {
        if (set.getType() == Type.SOA) {
          verdict = verdict.and(rrset(set));
          if (verdict.failed()) {
            return verdict;
          }
        }
      }
      Name zone = proofZone(authority);
      Proofs proofs = proofs(zone);
      verdict = verdict.and(proofs.verdict);
      if (verdict.kind != Kind.SECURE) {
        return verdict; // failed, or an insecure zone whose unsigned proofs prove nothing
      }
      if (!proofs.nsecs.isEmpty()) {
        NsecDenial.Result r = nxdomain
            ? NsecDenial.nameError(last, zone, proofs.nsecs)
            : NsecDenial.noData(last, question.type(), proofs.nsecs);
        return r instanceof NsecDenial.NotProven np
            ? Verdict.bogus(ExtendedErrorCodeOption.NSEC_MISSING,
                "NSEC missing: nothing proves that " + denied + ": " + np.reason())
            : Verdict.SECURE;
      }
      Nsec3Denial.Result r = nxdomain
          ? nsec3Denial.nameError(last, zone, proofs.nsec3s)
          : nsec3Denial.noData(last, question.type(), zone, proofs.nsec3s);
      return nsec3(r, denied);
    }

    private Verdict nsec3(Nsec3Denial.Result result, String what) {
      return switch (result) {
        case Nsec3Denial.Proven p -> Verdict.SECURE;
        // RFC 9276 section 3.2 (iterations), RFC 5155 section 6 (opt-out): no proof either way
        case Nsec3Denial.Insecure i -> Verdict.INSECURE;
        case Nsec3Denial.NotProven n -> Verdict.bogus(ExtendedErrorCodeOption.NSEC_MISSING,
            "NSEC3 missing: nothing proves that " + what + ": " + n.reason());
        case Nsec3Denial.TooExpensive t -> limit(t.reason());
      };
    }

    /** The validated NSEC and NSEC3 records of the authority section that belong to {@code zone}. */
    private Proofs proofs(Name zone) {
      Verdict verdict = Verdict.SECURE;
      List<NSECRecord> nsecs = new ArrayList<>();
      List<NSEC3Record> nsec3s = new ArrayList<>();
      for (RRset set : received.authority()) {
        if ((set.getType() != Type.NSEC && set.getType() != Type.NSEC3)
            || (zone != null && !set.getName().subdomain(zone))) {
          continue;
        }
        verdict = verdict.and(rrset(set));
        if (verdict.failed()) {
          return new Proofs(verdict, List.of(), List.of());
        }
        for (Record r : set.rrs(false)) {
          if (r instanceof NSECRecord nsec) {
            nsecs.add(nsec);
          } else if (r instanceof NSEC3Record nsec3) {
            nsec3s.add(nsec3);
          }
        }
      }
      return new Proofs(verdict, nsecs, nsec3s);
    }

    private Resolution fetch(Question q) {
      Resolution known = ctx.fetched.get(q);
      if (known != null) {
        return known;
      }
      Resolution r = keys.resolve(q, false);
      ctx.fetched.put(q, r);
      return r;
    }

    /** A failed nested lookup: its own EDE when it has one, so the client learns the real cause. */
    private Verdict nested(Resolution failed, int fallbackCode, String fallbackText) {
      if (ctx.budget.remaining() == 0) {
        return new Verdict(Kind.LIMIT, ExtendedErrorCodeOption.OTHER,
            LIMIT_TEXT + ": " + ctx.budget + " spent while fetching keys for " + question);
      }
      ExtendedErrorCodeOption error = failed.error();
      return error == null
          ? Verdict.bogus(fallbackCode, fallbackText)
          : Verdict.bogus(error.getErrorCode(), error.getText());
    }

    private Verdict limit(String reason) {
      budgetExhaustions.incrementAndGet();
      return new Verdict(Kind.LIMIT, ExtendedErrorCodeOption.OTHER, LIMIT_TEXT + ": " + reason);
    }

    /**
     * The EDE for signatures that did not verify (RFC 8914 section 4): all of them expired (7),
     * all not yet valid (8), none at all (10), else DNSSEC Bogus (6).
     */
    private int bogusCode(RRset set, Name signer) {
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

    private List<DSRecord> anchorDs(Name zone) {
      List<DSRecord> ds = new ArrayList<>();
      for (TrustAnchor anchor : anchors.validAt(now)) {
        if (!anchor.zone().equals(zone)) {
          continue;
        }
        if (anchor.record() instanceof DSRecord d) {
          ds.add(d);
        } else if (anchor.record() instanceof DNSKEYRecord key) {
          // a key anchor stands for the DS of itself (RFC 4034 section 5.1.4)
          ds.add(new DSRecord(zone, DClass.IN, 0, DNSSEC.Digest.SHA256, key));
        }
      }
      return ds;
    }
  }

  private record Proofs(Verdict verdict, List<NSECRecord> nsecs, List<NSEC3Record> nsec3s) {}

  /** Whether a DS names a zone key of the set: if not, the failure is a missing DNSKEY (EDE 9). */
  private static boolean dsMatchesAKey(RRset dnskeys, List<DSRecord> ds) {
    for (Record r : dnskeys.rrs(false)) {
      if (r instanceof DNSKEYRecord key && (key.getFlags() & DNSKEYRecord.Flags.ZONE_KEY) != 0
          && (key.getFlags() & DNSKEYRecord.Flags.REVOKE) == 0) {
        for (DSRecord d : ds) {
          if (TrustAnchor.supportedDigest(d.getDigestID()) && TrustAnchor.of(d).matches(key)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The zone a negative answer comes from: its SOA's owner, else the signer of its proofs. */
  private static Name proofZone(List<RRset> authority) {
    for (RRset set : authority) {
      if (set.getType() == Type.SOA) {
        return set.getName();
      }
    }
    for (RRset set : authority) {
      if ((set.getType() == Type.NSEC || set.getType() == Type.NSEC3) && !set.sigs().isEmpty()) {
        return set.sigs().get(0).getSigner();
      }
    }
    return null;
  }

  private static List<Name> signers(List<RRSIGRecord> sigs) {
    return sigs.stream().map(RRSIGRecord::getSigner).distinct().toList();
  }

  private static <T extends Record> List<T> records(List<RRset> sets, int type, Class<T> cls) {
    List<T> out = new ArrayList<>();
    for (RRset set : sets) {
      if (set.getType() == type) {
        for (Record r : set.rrs(false)) {
          out.add(cls.cast(r));
        }
      }
    }
    return out;
  }

  /** Whether an unsigned CNAME is the one a signed DNAME of the answer synthesises (RFC 6672 section 5.3.3). */
  private static boolean synthesisedFromSignedDname(RRset cname, List<RRset> answer) {
    RRset dname = AnswerChain.dnameSynthesising(cname, answer);
    return dname != null && !dname.sigs().isEmpty();
  }

  private static String what(RRset set) {
    return set.getName() + " " + Type.string(set.getType());
  }
}
