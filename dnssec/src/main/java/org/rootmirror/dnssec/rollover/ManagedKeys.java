package org.rootmirror.dnssec.rollover;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.rootmirror.dnssec.anchor.TrustAnchor;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.dnssec.validate.Signatures;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;

/**
 * The trust anchors of one zone as RFC 5011 tracks them: immutable; each validated DNSKEY RRset of
 * the zone gives the next state ({@link #observe}). Until the first RRset is seen, the anchors are
 * the ones it was seeded with (built in or configured); from then on, the tracked keys alone:
 *
 * <ul>
 *   <li>a new SEP key enters AddPend, and becomes Valid when it has been in every RRset seen for the
 *       add hold-down (30 days or the RRset's TTL, whichever is longer; section 2.4.1); one that
 *       leaves the RRset meanwhile is forgotten, and starts again if it comes back;
 *   <li>a Valid key that leaves the RRset is Missing, still trusted, Valid again when it returns,
 *       and Removed after {@link #KEEP_MISSING} (Unbound's keep-missing default);
 *   <li>a key with the REVOKE bit that signs the RRset itself is Revoked at once, from any state,
 *       and is never trusted again (section 2.1); a REVOKE bit without that signature is ignored;
 *       a Revoked key is Removed after the remove hold-down (30 days, section 2.4.2).
 * </ul>
 *
 * <p>The caller feeds only RRsets that validated under {@link #trusted()}; the RRset's own
 * signatures are checked here only for a revocation. Only SEP keys (flag 257) are tracked: zone
 * signing keys are never anchors.
 */
public final class ManagedKeys {
  /** RFC 5011 section 2.4.1. */
  public static final Duration ADD_HOLD_DOWN = Duration.ofDays(30);
  /** RFC 5011 section 2.4.2. */
  public static final Duration REMOVE_HOLD_DOWN = Duration.ofDays(30);
  /** How long a Missing key stays trusted: a year and a day, as Unbound's keep-missing. */
  public static final Duration KEEP_MISSING = Duration.ofDays(366);

  /** A change of state, for the log: {@code before} is null for a key first seen, {@code after} null for one forgotten. */
  public record Change(ManagedKey before, ManagedKey after) {
    @Override
    public String toString() {
      ManagedKey k = after != null ? after : before;
      String what = before == null ? "new key, " + after.state().label()
          : after == null ? before.state().label() + " key left the DNSKEY RRset before its hold-down ended: forgotten"
          : before.state().label() + " -> " + after.state().label();
      return "key " + k.keyTag() + " (algorithm " + k.algorithm() + "): " + what;
    }
  }

  /** The next state and what changed to reach it. */
  public record Observation(ManagedKeys keys, List<Change> changes) {}

  private final Name zone;
  private final TrustAnchors seed;
  private final List<ManagedKey> keys;

  private ManagedKeys(Name zone, TrustAnchors seed, List<ManagedKey> keys) {
    this.zone = Objects.requireNonNull(zone, "zone");
    this.seed = Objects.requireNonNull(seed, "seed");
    this.keys = List.copyOf(keys);
  }

  /** Nothing tracked yet: the anchors for {@code zone} among {@code seed} are trusted until the first RRset. */
  public static ManagedKeys seeded(Name zone, TrustAnchors seed) {
    return new ManagedKeys(zone, seed, List.of());
  }

  /** Keys read back from the state file; {@code seed} is what the file says it was seeded from. */
  public static ManagedKeys restored(Name zone, TrustAnchors seed, List<ManagedKey> keys) {
    return new ManagedKeys(zone, seed, keys);
  }

  public Name zone() {
    return zone;
  }

  /** The anchors this state grew from. */
  public TrustAnchors seed() {
    return seed;
  }

  /** Every tracked key, Removed ones included, in the order first seen. */
  public List<ManagedKey> keys() {
    return keys;
  }

  /** Whether a DNSKEY RRset has been seen: before that the seed is trusted. */
  public boolean started() {
    return !keys.isEmpty();
  }

  /** The trust anchors now: the seed before the first RRset, then the Valid and Missing keys. */
  public TrustAnchors trusted() {
    if (!started()) {
      return seed;
    }
    return TrustAnchors.of(keys.stream().filter(k -> k.state().trusted()).map(k -> TrustAnchor.of(k.key())).toList());
  }

  /** When the next change of state is due by time alone, if any is (a hold-down ending, a Missing key's end). */
  public Optional<Instant> nextChange() {
    return keys.stream().map(k -> due(k, k.key().getTTL())).filter(Objects::nonNull).min(Instant::compareTo);
  }

  /** When {@code k} changes state by time alone, or null. */
  public static Instant due(ManagedKey k, long dnskeyTtlSeconds) {
    return switch (k.state()) {
      case ADD_PEND -> k.firstSeen().plus(addHoldDown(dnskeyTtlSeconds));
      case MISSING -> k.changed().plus(KEEP_MISSING);
      case REVOKED -> k.changed().plus(REMOVE_HOLD_DOWN);
      case VALID, REMOVED -> null;
    };
  }

  private static Duration addHoldDown(long ttlSeconds) {
    Duration ttl = Duration.ofSeconds(ttlSeconds);
    return ttl.compareTo(ADD_HOLD_DOWN) > 0 ? ttl : ADD_HOLD_DOWN;
  }

  /**
   * The state after {@code dnskeys}, the zone's DNSKEY RRset with its signatures, validated under
   * {@link #trusted()}, seen at {@code now}.
   */
  public Observation observe(RRset dnskeys, Instant now) {
    if (!dnskeys.getName().equals(zone)) {
      throw new IllegalArgumentException("a DNSKEY RRset of " + dnskeys.getName() + ", not of " + zone);
    }
    List<DNSKEYRecord> seen = new ArrayList<>();
    for (Record r : dnskeys.rrs(false)) {
      DNSKEYRecord k = (DNSKEYRecord) r;
      if ((k.getFlags() & DNSKEYRecord.Flags.SEP_KEY) != 0 && (k.getFlags() & DNSKEYRecord.Flags.ZONE_KEY) != 0) {
        seen.add(k);
      }
    }
    List<Change> changes = new ArrayList<>();
    List<ManagedKey> next = new ArrayList<>();
    List<TrustAnchor> seedAnchors = started() ? List.of() : seed.validAt(now).stream().filter(a -> a.zone().equals(zone)).toList();
    for (ManagedKey k : keys) {
      DNSKEYRecord present = seen.stream().filter(k::sameKey).findFirst().orElse(null);
      ManagedKey after = step(k, present, dnskeys, now);
      if (after != k) {
        changes.add(new Change(k, after));
      }
      if (after != null) {
        next.add(after);
      }
    }
    for (DNSKEYRecord key : seen) {
      if (keys.stream().anyMatch(k -> k.sameKey(key))) {
        continue;
      }
      ManagedKey fresh;
      if (revoked(key)) {
        // a key revoked before it was ever tracked: an anchor of the seed, else nothing to us
        boolean anchor = seedAnchors.stream().anyMatch(a -> a.matches(unrevoked(key)));
        if (!anchor || !selfSigned(key, dnskeys, now)) {
          continue;
        }
        fresh = new ManagedKey(key, KeyState.REVOKED, now, now, now);
      } else {
        // the seed's own keys are trusted from the first RRset on; any other waits its hold-down
        boolean anchor = seedAnchors.stream().anyMatch(a -> a.matches(key));
        fresh = new ManagedKey(key, anchor ? KeyState.VALID : KeyState.ADD_PEND, now, now, now);
      }
      changes.add(new Change(null, fresh));
      next.add(fresh);
    }
    return new Observation(new ManagedKeys(zone, seed, next), changes);
  }

  /** One tracked key after an RRset: the same object when nothing changed, null when forgotten. */
  private static ManagedKey step(ManagedKey k, DNSKEYRecord present, RRset dnskeys, Instant now) {
    long ttl = dnskeys.getTTL();
    if (k.state() == KeyState.REMOVED) {
      return k;
    }
    if (k.state() == KeyState.REVOKED) {
      return !now.isBefore(k.changed().plus(REMOVE_HOLD_DOWN)) ? k.to(KeyState.REMOVED, k.key(), now) : k;
    }
    if (present != null && revoked(present)) {
      // section 2.1: only the key itself can revoke itself; a REVOKE bit it did not sign changes nothing
      return selfSigned(present, dnskeys, now) ? k.to(KeyState.REVOKED, present, now) : k;
    }
    if (present == null) {
      return switch (k.state()) {
        case ADD_PEND -> null;
        case VALID -> k.to(KeyState.MISSING, k.key(), now);
        case MISSING -> !now.isBefore(k.changed().plus(KEEP_MISSING)) ? k.to(KeyState.REMOVED, k.key(), now) : k;
        default -> k;
      };
    }
    return switch (k.state()) {
      case ADD_PEND -> !now.isBefore(k.firstSeen().plus(addHoldDown(ttl)))
          ? k.to(KeyState.VALID, present, now).seen(present, now) : k.seen(present, now);
      case MISSING -> k.to(KeyState.VALID, present, now).seen(present, now);
      default -> k.seen(present, now);
    };
  }

  private static boolean revoked(DNSKEYRecord key) {
    return (key.getFlags() & DNSKEYRecord.Flags.REVOKE) != 0;
  }

  /** The key as it was before its REVOKE bit was set: what an anchor made before the revocation names. */
  private static DNSKEYRecord unrevoked(DNSKEYRecord key) {
    return new DNSKEYRecord(key.getName(), key.getDClass(), key.getTTL(), key.getFlags() & ~DNSKEYRecord.Flags.REVOKE,
        key.getProtocol(), key.getAlgorithm(), key.getKey());
  }

  /** Whether the revoked {@code key} signed {@code dnskeys} (RFC 5011 section 2.1). */
  private static boolean selfSigned(DNSKEYRecord key, RRset dnskeys, Instant now) {
    for (RRSIGRecord sig : dnskeys.sigs()) {
      if (sig.getFootprint() == key.getFootprint() && sig.getAlgorithm() == key.getAlgorithm()
          && Signatures.verify(dnskeys, sig, key, now) == Signatures.Result.VERIFIED) {
        return true;
      }
    }
    return false;
  }
}
