package org.rootmirror.resolver.validate;

import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * Nsec3Denial -- proofs of nonexistence from NSEC3 records (RFC 5155 section 8), with the
 * resource limits of RFC 9276 and the KeyTrap class (CVE-2023-50387).
 *
 * <p>Pure checks: the records given must already have verified signatures from the zone's keys.
 * Each call is one proof and uses one budget of hash computations.
 */
public final class Nsec3Denial {

  /**
   * Iteration limit. RFC 9276 section 3.2 lets validators answer insecure above a limit of their
   * choice without naming one; Unbound's default is 150 and current BIND uses 50. We take 100,
   * between the two: RFC 9276 asks signers for 0, so only legacy zones come near it, and the hash
   * cap below bounds the work in any case. Configurable through the constructor.
   */
  public static final int DEFAULT_MAX_ITERATIONS = 100;

  /** At most this many NSEC3 records considered per proof (a proof needs at most 3). */
  public static final int DEFAULT_MAX_RECORDS = 8;

  /** At most this many hash computations per proof (KeyTrap-class limit, CVE-2023-50387). */
  public static final int DEFAULT_MAX_HASHES = 64;

  private static final base32 B32HEX = new base32(base32.Alphabet.BASE32HEX, false, false);

  /** The outcome of a proof; the resolver maps these to its security status and EDE. */
  public sealed interface Result permits Proven, Insecure, NotProven, TooExpensive {}

  /** The denial is proven: the answer is secure. */
  public record Proven() implements Result {}

  /** The records prove only an insecure answer (opt-out, too many iterations, unknown hash). */
  public record Insecure(String reason) implements Result {}

  /** The records do not prove the denial: bogus. */
  public record NotProven(String reason) implements Result {}

  /** A limit was hit before a proof was reached: SERVFAIL with an EDE, nothing cached. */
  public record TooExpensive(String reason) implements Result {}

  private final int maxIterations;
  private final int maxRecords;
  private final int maxHashes;

  /** A checker with the default limits. */
  public Nsec3Denial() {
    this(DEFAULT_MAX_ITERATIONS, DEFAULT_MAX_RECORDS, DEFAULT_MAX_HASHES);
  }

  /** A checker with the given limits. */
  public Nsec3Denial(int maxIterations, int maxRecords, int maxHashes) {
    this.maxIterations = maxIterations;
    this.maxRecords = maxRecords;
    this.maxHashes = maxHashes;
  }

  /**
   * Name error (RFC 5155 section 8.4): a closest encloser proof for {@code qname} and an NSEC3
   * covering the wildcard at the closest encloser. Opt-out on the next closer cover makes it
   * insecure, since an unsigned delegation could exist there (as Unbound does).
   */
  public Result nameError(Name qname, Name zone, List<NSEC3Record> nsec3s) {
    return start(zone, nsec3s).map(p -> p.nameError(qname));
  }

  /**
   * No data (RFC 5155 sections 8.5, 8.6 and 8.7): an NSEC3 matching {@code qname} without the
   * type; for DS without a match, a closest encloser proof whose next closer cover has opt-out
   * (insecure, section 8.6); otherwise a wildcard at the closest encloser without the type.
   */
  public Result noData(Name qname, int qtype, Name zone, List<NSEC3Record> nsec3s) {
    return start(zone, nsec3s).map(p -> p.noData(qname, qtype));
  }

  /**
   * Wildcard answer (RFC 5155 section 8.8): the next closer name of {@code qname}, one label
   * below {@code closestEncloser} (from the RRSIG labels field), is covered.
   */
  public Result wildcardAnswer(
      Name qname, Name closestEncloser, Name zone, List<NSEC3Record> nsec3s) {
    return start(zone, nsec3s).map(p -> p.wildcardAnswer(qname, closestEncloser));
  }

  /**
   * An insecure delegation at {@code child} (RFC 5155 section 8.6, RFC 4035 section 5.2): the
   * parent's NSEC3 matching the name has NS set and both DS and SOA clear; or no NSEC3 matches and
   * the next closer name is covered by an opt-out NSEC3 (insecure: an unsigned delegation may be
   * there). A match without NS is {@link NotProven}: the name is not a zone cut.
   */
  public Result insecureDelegation(Name child, Name zone, List<NSEC3Record> nsec3s) {
    return start(zone, nsec3s).map(p -> p.insecureDelegation(child));
  }

  /** Either a proof ready to run or an early result. */
  private record Start(Proof proof, Result early) {
    Result map(java.util.function.Function<Proof, Result> f) {
      return early != null ? early : f.apply(proof);
    }
  }

  private Start start(Name zone, List<NSEC3Record> nsec3s) {
    Objects.requireNonNull(zone);
    if (nsec3s.size() > maxRecords) {
      return new Start(null, new TooExpensive(
          nsec3s.size() + " NSEC3 records, more than the limit of " + maxRecords));
    }
    List<Entry> usable = new ArrayList<>();
    boolean unknownAlgorithm = false;
    for (NSEC3Record r : nsec3s) {
      // RFC 5155 section 8.2: ignore flags other than 0 and 1 (opt-out).
      if ((r.getFlags() & ~NSEC3Record.Flags.OPT_OUT) != 0) {
        continue;
      }
      // RFC 5155 section 8.1: ignore unknown hash algorithms.
      if (r.getHashAlgorithm() != NSEC3Record.Digest.SHA1) {
        unknownAlgorithm = true;
        continue;
      }
      Name owner = r.getName();
      if (owner.labels() != zone.labels() + 1 || !owner.subdomain(zone)) {
        continue;
      }
      byte[] ownerHash;
      try {
        ownerHash = B32HEX.fromString(owner.getLabelString(0));
      } catch (RuntimeException e) {
        ownerHash = null;
      }
      if (ownerHash == null || ownerHash.length != r.getNext().length) {
        continue;
      }
      usable.add(new Entry(r, ownerHash));
    }
    if (usable.isEmpty()) {
      return new Start(null, unknownAlgorithm
          ? new Insecure("only NSEC3 records with unknown hash algorithms (RFC 5155 section 8.1)")
          : new NotProven("no usable NSEC3 record for " + zone));
    }
    NSEC3Record first = usable.get(0).record;
    for (Entry e : usable) {
      NSEC3Record r = e.record;
      if (r.getIterations() != first.getIterations()
          || !Arrays.equals(r.getSalt(), first.getSalt())) {
        return new Start(null, new NotProven("NSEC3 records with different parameters"));
      }
    }
    if (first.getIterations() > maxIterations) {
      return new Start(null, new Insecure("NSEC3 iterations " + first.getIterations()
          + " above the limit of " + maxIterations + " (RFC 9276 section 3.2)"));
    }
    return new Start(new Proof(zone, usable, first, maxHashes), null);
  }

  private record Entry(NSEC3Record record, byte[] ownerHash) {
    boolean matches(byte[] hash) {
      return Arrays.equals(ownerHash, hash);
    }

    /** Strictly between owner and next, wrapping at the end of the chain. */
    boolean covers(byte[] hash) {
      byte[] next = record.getNext();
      int toOwner = Arrays.compareUnsigned(ownerHash, hash);
      int toNext = Arrays.compareUnsigned(hash, next);
      if (Arrays.compareUnsigned(ownerHash, next) < 0) {
        return toOwner < 0 && toNext < 0;
      }
      return toOwner < 0 || toNext < 0; // last record of the chain, or a chain of one
    }

    boolean optOut() {
      return (record.getFlags() & NSEC3Record.Flags.OPT_OUT) != 0;
    }
  }

  /** Thrown inside a proof when the hash budget runs out. */
  private static final class BudgetExceeded extends RuntimeException {
    BudgetExceeded(String message) {
      super(message, null, false, false);
    }
  }

  /** One proof: the records, their common parameters, and a budget of hashes. */
  private static final class Proof {
    private final Name zone;
    private final List<Entry> entries;
    private final NSEC3Record params;
    private final int maxHashes;
    private final Map<Name, byte[]> hashes = new HashMap<>();

    Proof(Name zone, List<Entry> entries, NSEC3Record params, int maxHashes) {
      this.zone = zone;
      this.entries = entries;
      this.params = params;
      this.maxHashes = maxHashes;
    }

    Result nameError(Name qname) {
      return guarded(() -> {
        Encloser ce = closestEncloser(qname);
        if (ce.failure != null) {
          return ce.failure;
        }
        Entry wildcard = covering(wildcardAt(ce.name));
        if (wildcard == null) {
          return new NotProven("no NSEC3 covers the wildcard at " + ce.name);
        }
        if (ce.nextCloserCover.optOut()) {
          return new Insecure("next closer name of " + qname + " is covered by an opt-out NSEC3");
        }
        return new Proven();
      });
    }

    Result noData(Name qname, int qtype) {
      return guarded(() -> {
        Entry match = matching(qname);
        if (match != null) {
          return typeAbsent(match, qtype, qname);
        }
        Encloser ce = closestEncloser(qname);
        if (ce.failure != null) {
          return ce.failure;
        }
        if (qtype == Type.DS) {
          // RFC 5155 section 8.6: no match for DS, next closer covered with opt-out.
          if (ce.nextCloserCover.optOut()) {
            return new Insecure("DS for " + qname + " under an opt-out NSEC3 (insecure delegation)");
          }
          return new NotProven("no NSEC3 matches " + qname + " and its cover has no opt-out");
        }
        // RFC 5155 section 8.7: wildcard no data.
        Name wildcard = wildcardAt(ce.name);
        Entry wildcardMatch = matching(wildcard);
        if (wildcardMatch == null) {
          // An opt-out span covers only unsigned delegations (RFC 5155 section 6): the name may be
          // one, answered from an unsigned zone. Insecure, as Unbound answers it, not bogus.
          if (ce.nextCloserCover.optOut()) {
            return new Insecure("next closer name of " + qname + " is covered by an opt-out NSEC3");
          }
          return new NotProven("no NSEC3 matches " + qname + " or " + wildcard);
        }
        Result absent = typeAbsent(wildcardMatch, qtype, wildcard);
        if (absent instanceof Proven && ce.nextCloserCover.optOut()) {
          // the wildcard may not be what answers: an unsigned delegation may hide in the span
          return new Insecure("wildcard no data for " + qname + ", next closer covered by an opt-out NSEC3");
        }
        return absent;
      });
    }

    Result insecureDelegation(Name child) {
      return guarded(() -> {
        Entry match = matching(child);
        if (match != null) {
          NSEC3Record r = match.record;
          if (r.hasType(Type.SOA)) {
            return new NotProven("NSEC3 for " + child + " is from the child zone's apex (SOA set)");
          }
          if (!r.hasType(Type.NS)) {
            return new NotProven("NSEC3 for " + child + " has no NS: not a delegation");
          }
          if (r.hasType(Type.DS)) {
            return new NotProven("NSEC3 for " + child + " lists DS: the delegation is signed");
          }
          return new Proven();
        }
        Encloser ce = closestEncloser(child);
        if (ce.failure != null) {
          return ce.failure;
        }
        if (ce.nextCloserCover.optOut()) {
          return new Insecure(child + " is under an opt-out NSEC3 (insecure delegation)");
        }
        return new NotProven("no NSEC3 matches " + child + " and its cover has no opt-out");
      });
    }

    Result wildcardAnswer(Name qname, Name closestEncloser) {
      return guarded(() -> {
        if (!qname.subdomain(closestEncloser) || qname.labels() <= closestEncloser.labels()
            || !closestEncloser.subdomain(zone)) {
          return new NotProven(closestEncloser + " is not a closest encloser of " + qname);
        }
        Name nextCloser = nextCloser(qname, closestEncloser);
        Entry cover = covering(nextCloser);
        if (cover == null) {
          return new NotProven("no NSEC3 covers the next closer name " + nextCloser);
        }
        if (cover.optOut()) {
          // an unsigned delegation may hide in an opt-out span (RFC 5155 section 6): the expansion
          // may not be the real answer, so it is insecure, as Unbound has it, not secure
          return new Insecure("wildcard answer " + qname + ": next closer covered by an opt-out NSEC3");
        }
        return new Proven();
      });
    }

    private Result typeAbsent(Entry match, int qtype, Name name) {
      NSEC3Record r = match.record;
      if (r.hasType(qtype) || r.hasType(Type.CNAME)) {
        return new NotProven("NSEC3 for " + name + " lists " + Type.string(qtype) + " or CNAME");
      }
      boolean delegation = r.hasType(Type.NS) && !r.hasType(Type.SOA);
      if (qtype == Type.DS) {
        // The parent side proves no DS; an NSEC3 with SOA is from the child zone.
        if (r.hasType(Type.SOA) && !name.equals(zone)) {
          return new NotProven("NSEC3 for " + name + " is from the child zone (SOA set)");
        }
        return new Proven();
      }
      // RFC 6840 section 4.4: the parent's NSEC3 at a delegation proves only the absence of DS.
      if (delegation) {
        return new NotProven("NSEC3 for " + name + " is a delegation; it proves only no DS");
      }
      return new Proven();
    }

    private record Encloser(Name name, Entry nextCloserCover, Result failure) {}

    /** RFC 5155 section 8.3: the closest provable encloser and the cover of the next closer. */
    private Encloser closestEncloser(Name qname) {
      if (!qname.subdomain(zone)) {
        return new Encloser(null, null, new NotProven(qname + " is not in zone " + zone));
      }
      Name candidate = qname;
      while (true) {
        Entry match = matching(candidate);
        if (match != null) {
          if (candidate.equals(qname)) {
            return new Encloser(null, null, new NotProven("an NSEC3 matches " + qname));
          }
          NSEC3Record r = match.record;
          // Unbound (nsec3_prove_closest_encloser): not across a delegation or a DNAME.
          if (r.hasType(Type.DNAME) || (r.hasType(Type.NS) && !r.hasType(Type.SOA))) {
            return new Encloser(null, null,
                new NotProven("closest encloser " + candidate + " is a delegation or DNAME"));
          }
          Name nextCloser = nextCloser(qname, candidate);
          Entry cover = covering(nextCloser);
          if (cover == null) {
            return new Encloser(null, null,
                new NotProven("no NSEC3 covers the next closer name " + nextCloser));
          }
          return new Encloser(candidate, cover, null);
        }
        if (candidate.equals(zone)) {
          return new Encloser(null, null, new NotProven("no NSEC3 matches an encloser of " + qname));
        }
        candidate = new Name(candidate, 1);
      }
    }

    private static Name nextCloser(Name qname, Name encloser) {
      return new Name(qname, qname.labels() - encloser.labels() - 1);
    }

    /** The wildcard at a proper ancestor of a valid name always fits in 255 octets. */
    private static Name wildcardAt(Name encloser) {
      try {
        return Name.concatenate(Name.fromConstantString("*"), encloser);
      } catch (NameTooLongException e) {
        throw new IllegalStateException("wildcard at " + encloser + " is too long", e);
      }
    }

    private Entry matching(Name name) {
      byte[] h = hash(name);
      for (Entry e : entries) {
        if (e.matches(h)) {
          return e;
        }
      }
      return null;
    }

    private Entry covering(Name name) {
      byte[] h = hash(name);
      for (Entry e : entries) {
        if (e.covers(h)) {
          return e;
        }
      }
      return null;
    }

    private byte[] hash(Name name) {
      byte[] cached = hashes.get(name);
      if (cached != null) {
        return cached;
      }
      if (hashes.size() >= maxHashes) {
        throw new BudgetExceeded("more than " + maxHashes + " NSEC3 hashes for one proof");
      }
      try {
        byte[] h = params.hashName(name);
        hashes.put(name, h);
        return h;
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-1 is not available", e);
      }
    }

    private static Result guarded(java.util.function.Supplier<Result> proof) {
      try {
        return proof.get();
      } catch (BudgetExceeded e) {
        return new TooExpensive(e.getMessage());
      }
    }
  }
}
