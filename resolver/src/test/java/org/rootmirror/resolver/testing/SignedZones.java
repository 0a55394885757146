package org.rootmirror.resolver.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.rootmirror.dnssec.zone.Lookup;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneLookup;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.Resolver;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * A fake iterator over in-memory zones: each question goes to the zone with the longest origin
 * containing the name (for DS at a zone's apex, its parent's zone), which answers with DO as an
 * authoritative server would; CNAMEs leaving a zone are followed into the next one. Everything
 * comes back unvalidated (INDETERMINATE), as from the real iterator. A tamper hook plays the
 * attacker on the path.
 */
public final class SignedZones implements Resolver {
  private static final int MAX_CHAIN = 8;

  private final TreeMap<Name, ZoneLookup> zones;
  private final BiFunction<Question, Resolution, Resolution> tamper;

  private SignedZones(Map<Name, ZoneLookup> zones, BiFunction<Question, Resolution, Resolution> tamper) {
    this.zones = new TreeMap<>(zones);
    this.tamper = tamper;
  }

  public static SignedZones of(List<Zone> zones) {
    Map<Name, ZoneLookup> byOrigin = new TreeMap<>();
    zones.forEach(z -> byOrigin.put(z.origin(), new ZoneLookup(z)));
    return new SignedZones(byOrigin, (q, r) -> r);
  }

  /** The same zones, with {@code tamper} rewriting every response before it is returned. */
  public SignedZones tampered(BiFunction<Question, Resolution, Resolution> tamper) {
    return new SignedZones(zones, tamper);
  }

  @Override
  public Resolution resolve(Question question, boolean checkingDisabled) {
    return tamper.apply(question, answer(question, 0));
  }

  private Resolution answer(Question question, int depth) {
    ZoneLookup zone = zoneFor(question.name(), question.type());
    if (zone == null || depth > MAX_CHAIN) {
      return Resolution.servfail(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY, "no zone for " + question);
    }
    Lookup lookup = zone.lookup(question.name(), question.type(), true);
    if (lookup instanceof Lookup.Referral) {
      return Resolution.servfail(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY, "referral for " + question);
    }
    List<RRset> answer = lookup.answer();
    if (lookup instanceof Lookup.Answer && !answer.isEmpty() && question.type() != Type.CNAME) {
      RRset last = answer.get(answer.size() - 1);
      if (last.getType() == Type.CNAME && question.type() != Type.CNAME) {
        // the chain leaves the zone: resolve its target as the iterator would (RFC 1034 section 5.3.3)
        Name target = ((CNAMERecord) last.first()).getTarget();
        Resolution rest = answer(new Question(target, question.type(), question.dclass()), depth + 1);
        if (rest.rcode() == Rcode.SERVFAIL) {
          return rest;
        }
        List<RRset> chain = new ArrayList<>(answer);
        chain.addAll(rest.answer());
        return new Resolution(rest.rcode(), chain, rest.authority(), SecurityStatus.INDETERMINATE, null);
      }
    }
    return new Resolution(lookup.rcode(), answer, lookup.authority(), SecurityStatus.INDETERMINATE, null);
  }

  private ZoneLookup zoneFor(Name name, int type) {
    Name from = type == Type.DS && !name.equals(Name.root) && zones.containsKey(name) ? new Name(name, 1) : name;
    for (Name n = from; ; n = new Name(n, 1)) {
      ZoneLookup z = zones.get(n);
      if (z != null) {
        return z;
      }
      if (n.equals(Name.root)) {
        return null;
      }
    }
  }
}
