package org.rootmirror.sync.server.answer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.rootmirror.dnssec.zone.Zone;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Every answer the root zone can give, precomputed once per published snapshot and immutable
 * (NSD's way: answering is a lookup, then a copy). A root zone holds only its apex and
 * delegations one label below it, with glue below those, so a query name's last label decides
 * everything: the apex, a delegation (a referral, or the DS RRset from the parent side), or a
 * name error whose NSEC proof depends only on where that label falls between two delegations.
 *
 * <p>Precomputed: for each delegation the referral and the answer to a DS query, with and without
 * DNSSEC records, encoded; for each gap between two delegations the name error; each apex RRset,
 * ANY (whole, and RFC 8482's minimal form) and RRSIG at the apex, and the apex's no-data answer. The handler copies the encoded
 * sections. Measured by {@code QueryHandlerBenchmark} (2026 root zone, the query mix with
 * DO, one core): the whole handler takes about 0.2 us per query this way, against 2.3 to 2.9 us
 * when the same records are put in a dnsjava {@code Message} and encoded with {@code toWire}
 * (query parsing by dnsjava included), so the encoding is worth precomputing. Building the table
 * takes 25-35 ms on two cores (about 65 ms on one) and keeps about 5 MB.
 */
public final class AnswerTable {
  /** Apex answers are found by qtype in an array for the types below this, in a map above it. */
  private static final int SMALL_TYPES = 256;

  private final long serial;
  private final LabelIndex delegations;
  private final Answer.Referral[] referrals;
  private final Answer[] dsAnswers;
  private final Answer.NameError[] nameErrors;
  private final Answer[] apexSmall;
  private final Map<Integer, Answer> apexOther;
  private final Answer.NoData apexNoData;
  private final Answer minimalAny;

  private AnswerTable(long serial, LabelIndex delegations, Answer.Referral[] referrals, Answer[] dsAnswers,
      Answer.NameError[] nameErrors, Answer[] apexSmall, Map<Integer, Answer> apexOther, Answer.NoData apexNoData,
      Answer minimalAny) {
    this.serial = serial;
    this.delegations = delegations;
    this.referrals = referrals;
    this.dsAnswers = dsAnswers;
    this.nameErrors = nameErrors;
    this.apexSmall = apexSmall;
    this.apexOther = apexOther;
    this.apexNoData = apexNoData;
    this.minimalAny = minimalAny;
  }

  /**
   * Precomputes the answers for {@code snapshot}'s zone.
   *
   * @throws IllegalArgumentException when the zone is not shaped like the root zone: its origin is
   *     not the root, it has no SOA, or a name one label below the apex is not a delegation
   */
  public static AnswerTable build(ZoneSnapshot snapshot) {
    return new Builder(snapshot.zone()).build();
  }

  /** The SOA serial of the zone these answers come from. */
  public long serial() {
    return serial;
  }

  /** The number of delegations (TLDs). */
  public int delegationCount() {
    return referrals.length;
  }

  /** The answer to {@code qname} (absolute; any case) and {@code qtype}, in class IN. */
  public Answer lookup(Name qname, int qtype) {
    if (!qname.isAbsolute()) {
      throw new IllegalArgumentException(qname + " is not absolute");
    }
    return lookup(qname.toWire(), 0, qtype);
  }

  /**
   * The answer to the name encoded at {@code msg[nameOffset]} and {@code qtype}: the name must be
   * a well-formed uncompressed name (labels of at most 63 bytes, then a zero byte), as the query
   * handler has checked.
   */
  public Answer lookup(byte[] msg, int nameOffset, int qtype) {
    return lookup(msg, nameOffset, qtype, false);
  }

  /**
   * As {@link #lookup(byte[], int, int)}; with {@code minimalAny}, ANY at the apex gets the SOA
   * RRset alone (and its RRSIG under DO) instead of every apex RRset: RFC 8482 section 4.1's
   * subset, for UDP, where the whole apex (1,212 bytes with DO for the 2026 zone) amplifies a
   * 28-byte query 43 times. The SOA because it is what NSD sends (it prefers A, AAAA, SOA, MX and
   * PTR), it is small, and it validates: section 4.2's synthesised HINFO would have to be signed
   * with the root's key, which a mirror does not hold.
   */
  public Answer lookup(byte[] msg, int nameOffset, int qtype, boolean minimalAny) {
    int last = -1;
    int labels = 0;
    for (int p = nameOffset, length; (length = msg[p] & 0xFF) != 0; p += length + 1) {
      if (length > 63) {
        throw new IllegalArgumentException("not an uncompressed name at offset " + nameOffset);
      }
      last = p;
      labels++;
    }
    if (labels == 0) {
      return minimalAny && qtype == Type.ANY ? this.minimalAny : apex(qtype);
    }
    int found = delegations.find(msg, last + 1, msg[last]);
    if (found < 0) {
      return nameErrors[-1 - found];
    }
    // RFC 4035 section 3.1.4.1: the DS RRset lives on the parent side of the cut
    return labels == 1 && qtype == Type.DS ? dsAnswers[found] : referrals[found];
  }

  private Answer apex(int qtype) {
    Answer a = qtype < SMALL_TYPES ? apexSmall[qtype] : apexOther.get(qtype);
    return a != null ? a : apexNoData;
  }

  /** Builds the tables; one instance per build. */
  private static final class Builder {
    private final Zone zone;
    private final Name origin;
    private final RRset negativeSoa;
    private final List<Name> tlds = new ArrayList<>();

    Builder(Zone zone) {
      this.zone = zone;
      this.origin = zone.origin();
      if (!origin.equals(Name.root)) {
        throw new IllegalArgumentException("answer tables are for the root zone, not " + origin);
      }
      SOARecord soa = zone.soa();
      if (soa == null) {
        throw new IllegalArgumentException("the zone has no SOA record");
      }
      // RFC 2308 section 3 (and RFC 9077 section 3): a negative answer's SOA lives min(TTL, MINIMUM)
      long ttl = Math.min(soa.getTTL(), soa.getMinimum());
      RRset apexSoa = zone.rrset(origin, Type.SOA);
      negativeSoa = new RRset(withTtl(soa, ttl));
      apexSoa.sigs().forEach(sig -> negativeSoa.addRR(withTtl(sig, ttl)));
    }

    AnswerTable build() {
      for (Map.Entry<Name, Map<Integer, RRset>> node : zone.nodes().entrySet()) {
        Name name = node.getKey();
        if (name.labels() == 2) {
          if (!node.getValue().containsKey(Type.NS)) {
            throw new IllegalArgumentException(name + " is one label below the root but not a delegation");
          }
          tlds.add(name);
        }
      }
      // canonical order of single labels as LabelIndex compares them (the zone's order already)
      tlds.sort(Comparator.comparing(Builder::label, (a, b) -> LabelIndex.compare(a, 0, a.length, b)));
      LabelIndex index = new LabelIndex(tlds.stream().map(Builder::label).toList());

      int n = tlds.size();
      Answer.Referral[] referrals = new Answer.Referral[n];
      Answer[] dsAnswers = new Answer[n];
      Answer.NameError[] nameErrors = new Answer.NameError[n + 1];
      byte[] wildcard = {'*'};
      int wildcardGap = -1 - index.find(wildcard, 0, 1);
      Prepared plainNameError = prepare(origin, List.of(), List.of(negativeSoa), List.of(), List.of(), false);
      // ~1,450 delegations and as many gaps, each encoded four or two times: in parallel
      IntStream.range(0, n + 1).parallel().forEach(i -> {
        if (i < n) {
          referrals[i] = referral(tlds.get(i));
          dsAnswers[i] = dsAnswer(tlds.get(i));
        }
        nameErrors[i] = nameError(i, wildcardGap, plainNameError);
      });

      Answer[] apexSmall = new Answer[SMALL_TYPES];
      Map<Integer, Answer> apexOther = new HashMap<>();
      Map<Integer, RRset> apex = zone.nodes().get(origin);
      for (RRset set : apex.values()) {
        Answer a = authoritative(set.getType(), List.of(set), set.getType() == Type.NS ? addresses(set) : List.of());
        if (set.getType() < SMALL_TYPES) {
          apexSmall[set.getType()] = a;
        } else {
          apexOther.put(set.getType(), a);
        }
      }
      apexSmall[Type.ANY] = authoritative(Type.ANY, List.copyOf(apex.values()), List.of());
      apexSmall[Type.RRSIG] = rrsigs(apex.values());
      Answer minimalAny = authoritative(Type.ANY, List.of(apex.get(Type.SOA)), List.of());
      Answer.NoData apexNoData = noData(origin);
      return new AnswerTable(zone.soa().getSerial(), index, referrals, dsAnswers, nameErrors, apexSmall, apexOther,
          apexNoData, minimalAny);
    }

    /** The label of a name one label below the root, lower-cased, without its length byte. */
    private static byte[] label(Name tld) {
      byte[] wire = tld.canonicalize().toWire();
      return Arrays.copyOfRange(wire, 1, 1 + wire[0]);
    }

    /** RFC 1034 section 4.3.2 step 3b, RFC 4035 section 3.1.4: NS, then DS or the NSEC denying it, then glue. */
    private Answer.Referral referral(Name cut) {
      RRset ns = zone.rrset(cut, Type.NS);
      RRset ds = zone.rrset(cut, Type.DS);
      RRset proof = ds != null ? ds : zone.rrset(cut, Type.NSEC);
      // RFC 9471 section 3: glue for name servers below the cut must fit; other glue is sent when it fits
      List<RRset> inDomain = new ArrayList<>();
      List<RRset> sibling = new ArrayList<>();
      for (Name target : targets(ns)) {
        List<RRset> glue = addresses(target);
        (target.subdomain(cut) ? inDomain : sibling).addAll(glue);
      }
      // optional glue is cut to a prefix that fits: every server's A first, then the AAAAs, so a
      // small buffer still carries an address for as many servers as it can (as NSD orders it)
      sibling.sort(java.util.Comparator.comparingInt(set -> set.getType() == Type.A ? 0 : 1));
      Prepared plain = prepare(cut, List.of(), List.of(ns), inDomain, sibling, false);
      Prepared dnssec = prepare(cut, List.of(), proof == null ? List.of(ns) : List.of(ns, proof), inDomain, sibling, true);
      return new Answer.Referral(cut, plain, dnssec);
    }

    /** RFC 4035 section 3.1.4.1: the parent answers DS queries; without a DS, no data and the NSEC. */
    private Answer dsAnswer(Name cut) {
      RRset ds = zone.rrset(cut, Type.DS);
      return ds != null ? authoritative(cut, Type.DS, List.of(ds), List.of()) : noData(cut);
    }

    private Answer.NameError nameError(int gap, int wildcardGap, Prepared plain) {
      Name covering = gap == 0 ? origin : tlds.get(gap - 1);
      Name wildcardCovering = wildcardGap == 0 ? origin : tlds.get(wildcardGap - 1);
      List<RRset> authority = new ArrayList<>(List.of(negativeSoa));
      addIfPresent(authority, zone.rrset(covering, Type.NSEC));
      if (!wildcardCovering.equals(covering)) {
        addIfPresent(authority, zone.rrset(wildcardCovering, Type.NSEC));
      }
      return new Answer.NameError(covering, plain, prepare(origin, List.of(), authority, List.of(), List.of(), true));
    }

    private Answer.NoData noData(Name name) {
      List<RRset> proof = new ArrayList<>(List.of(negativeSoa));
      addIfPresent(proof, zone.rrset(name, Type.NSEC));
      return new Answer.NoData(name,
          prepare(name, List.of(), List.of(negativeSoa), List.of(), List.of(), false),
          prepare(name, List.of(), proof, List.of(), List.of(), true));
    }

    private Answer.Authoritative authoritative(int type, List<RRset> answer, List<RRset> additional) {
      return authoritative(origin, type, answer, additional);
    }

    private Answer.Authoritative authoritative(Name name, int type, List<RRset> answer, List<RRset> additional) {
      return new Answer.Authoritative(name, type,
          prepare(name, answer, List.of(), List.of(), additional, false),
          prepare(name, answer, List.of(), List.of(), additional, true));
    }

    /** A query for type RRSIG gets every signature at the name, DO or not. */
    private Answer.Authoritative rrsigs(Iterable<RRset> sets) {
      List<Record> all = new ArrayList<>();
      for (RRset set : sets) {
        all.addAll(set.sigs());
      }
      if (all.isEmpty()) {
        return null; // an unsigned zone: no data
      }
      Prepared p = new Prepared(all, List.of(), List.of(),
          SectionEncoder.encode(origin, all, List.of(), List.of(), List.of()));
      return new Answer.Authoritative(origin, Type.RRSIG, p, p);
    }

    /** The name servers an NS RRset names, in its order, without repeats. */
    private static Set<Name> targets(RRset ns) {
      Set<Name> targets = new LinkedHashSet<>();
      for (Record r : ns.rrs(false)) {
        targets.add(((NSRecord) r).getTarget());
      }
      return targets;
    }

    /** A and AAAA RRsets the zone holds for the targets of {@code ns} (RFC 1035 section 3.3.11). */
    private List<RRset> addresses(RRset ns) {
      List<RRset> sets = new ArrayList<>();
      for (Name target : targets(ns)) {
        sets.addAll(addresses(target));
      }
      return sets;
    }

    private List<RRset> addresses(Name target) {
      List<RRset> sets = new ArrayList<>(2);
      addIfPresent(sets, zone.rrset(target, Type.A));
      addIfPresent(sets, zone.rrset(target, Type.AAAA));
      return sets;
    }

    /**
     * The records of each section, RRSIGs included when {@code dnssec}, and their encoding after
     * a question for {@code question}; each optional RRset is a unit the response includes whole.
     */
    private static Prepared prepare(Name question, List<RRset> answer, List<RRset> authority,
        List<RRset> requiredAdditional, List<RRset> optionalAdditional, boolean dnssec) {
      List<Record> an = records(answer, dnssec);
      List<Record> ns = records(authority, dnssec);
      List<Record> required = records(requiredAdditional, dnssec);
      List<List<Record>> optional = new ArrayList<>(optionalAdditional.size());
      List<Record> additional = new ArrayList<>(required);
      for (RRset set : optionalAdditional) {
        List<Record> unit = records(List.of(set), dnssec);
        optional.add(unit);
        additional.addAll(unit);
      }
      return new Prepared(an, ns, additional, SectionEncoder.encode(question, an, ns, required, optional));
    }

    private static List<Record> records(List<RRset> sets, boolean dnssec) {
      List<Record> records = new ArrayList<>();
      for (RRset set : sets) {
        records.addAll(set.rrs(false));
        if (dnssec) {
          records.addAll(set.sigs());
        }
      }
      return records;
    }

    private static void addIfPresent(List<RRset> sets, RRset set) {
      if (set != null) {
        sets.add(set);
      }
    }

    private static Record withTtl(Record r, long ttl) {
      byte[] wire = r.toWire(Section.ANSWER);
      int start = r.getName().length() + 10;
      return Record.newRecord(r.getName(), r.getType(), r.getDClass(), ttl, Arrays.copyOfRange(wire, start, wire.length));
    }
  }
}
