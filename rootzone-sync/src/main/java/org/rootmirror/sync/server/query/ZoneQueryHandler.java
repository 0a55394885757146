package org.rootmirror.sync.server.query;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rootmirror.dnssec.zone.Lookup;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneLookup;
import org.rootmirror.sync.server.QueryHandler;
import org.rootmirror.sync.server.ResponseSink;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.server.answer.EncodedSections;
import org.rootmirror.sync.server.limit.LimitedLog;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/**
 * Answers authoritatively for any set of zones, each asked through its {@link ZoneLookup} and
 * encoded per query. After the checks of {@link QueryPipeline}: CHAOS outside class IN; the
 * served zone with the longest origin that holds the name, except that a DS question for a
 * served zone's apex goes to its parent when that is served too (RFC 4035 section 3.1.4.1: DS
 * lives on the parent side); REFUSED for a name in no served zone (as NSD and Knot answer); the
 * lookup's RCODE and AA bit (ANY over UDP: one RRset, RFC 8482 section 4.1); then the sections, cut as {@link ResponseWriter} cuts them (a
 * referral's in-domain glue required, RFC 9471; other additional RRsets sent while they fit).
 *
 * <p>Not on a hot path: every response is looked up and encoded when asked, where the root
 * handler copies bytes precomputed per snapshot. Meant for tests and small zones.
 */
public final class ZoneQueryHandler implements QueryHandler {
  private static final LimitedLog.Kind FAILED = LimitedLog.of(LoggerFactory.getLogger(ZoneQueryHandler.class))
      .kind(Level.ERROR, "queries answered SERVFAIL because the zone lookup failed");

  private final Map<Name, ZoneLookup> zones = new HashMap<>();
  private final QueryPipeline pipeline;

  /** Serves {@code zones} (distinct origins; none at all makes a server that refuses everything). */
  public ZoneQueryHandler(List<ZoneLookup> zones, ServerOptions options) {
    for (ZoneLookup z : zones) {
      if (this.zones.putIfAbsent(z.zone().origin(), z) != null) {
        throw new IllegalArgumentException("two zones at " + z.zone().origin());
      }
    }
    this.pipeline = new QueryPipeline(options, null, this::answer);
  }

  /** Serves {@code zones}, each through a new {@link ZoneLookup}. */
  public static ZoneQueryHandler of(Collection<Zone> zones, ServerOptions options) {
    return new ZoneQueryHandler(zones.stream().map(ZoneLookup::new).toList(), options);
  }

  /** The origins served. */
  public List<Name> origins() {
    return List.copyOf(zones.keySet());
  }

  @Override
  public void handle(ByteBuffer query, Transport transport, InetSocketAddress client, ResponseSink out) throws IOException {
    pipeline.handle(query, transport, client, out);
  }

  private ByteBuffer answer(Query q, int limit, InetAddress address, Transport transport) {
    ResponseWriter writer = pipeline.writer();
    if (q.qclass != DClass.IN) {
      return pipeline.chaos(q, limit, address);
    }
    Name qname = questionName(q);
    ZoneLookup zone = zoneFor(qname, q.qtype);
    if (zone == null) {
      return writer.write(q, null, Rcode.REFUSED, false, limit, address);
    }
    Lookup lookup;
    try {
      lookup = zone.lookup(qname, q.qtype, q.dnssecOk);
    } catch (RuntimeException e) {
      FAILED.failure(e, "cannot answer {} {} from {}; answered SERVFAIL", qname, Type.string(q.qtype), zone.zone().origin());
      return writer.write(q, null, Rcode.SERVFAIL, false, limit, address);
    }
    if (q.qtype == Type.ANY && transport == Transport.UDP && lookup instanceof Lookup.Answer a && a.answer().size() > 1) {
      lookup = new Lookup.Answer(List.of(oneForAny(a.answer())), a.authority(), a.additional());
    }
    return writer.write(q, encode(qname, lookup), lookup.rcode(), lookup.authoritative(), limit, address);
  }

  /**
   * The one RRset an ANY question over UDP gets (RFC 8482 section 4.1), chosen as NSD chooses: the
   * first of A, AAAA, SOA, MX or PTR, else the first that is not DNSSEC data, else the first.
   */
  private static RRset oneForAny(List<RRset> sets) {
    RRset ordinary = null;
    for (RRset set : sets) {
      switch (set.getType()) {
        case Type.A, Type.AAAA, Type.SOA, Type.MX, Type.PTR -> {
          return set;
        }
        case Type.DNSKEY, Type.RRSIG, Type.NSEC, Type.NSEC3 -> { }
        default -> ordinary = ordinary == null ? set : ordinary;
      }
    }
    return ordinary != null ? ordinary : sets.get(0);
  }

  /** The closest enclosing served zone; for DS at a served apex, the closest one above it. */
  private ZoneLookup zoneFor(Name qname, int qtype) {
    int labels = qname.labels();
    ZoneLookup found = null;
    for (int skip = 0; skip < labels && found == null; skip++) {
      Name candidate = skip == 0 ? qname : new Name(qname, skip);
      found = zones.get(candidate);
      if (found != null && qtype == Type.DS && skip == 0 && !qname.equals(Name.root)) {
        // RFC 4035 section 3.1.4.1: a server for both sides answers DS from the parent
        ZoneLookup parent = zoneFor(new Name(qname, 1), Type.A);
        if (parent != null) {
          return parent;
        }
      }
    }
    return found;
  }

  /** The question name, already checked by {@link Query} to be well formed and uncompressed. */
  private static Name questionName(Query q) {
    try {
      return new Name(new DNSInput(ByteBuffer.wrap(q.msg, q.qname, q.qnameLength).slice()));
    } catch (WireParseException e) {
      throw new IllegalStateException("Query accepted a name dnsjava cannot read", e);
    }
  }

  /**
   * The lookup's sections as records, RRSIGs after the RRset they cover. A referral's glue for
   * names at or below the cut is required (RFC 9471 section 3); every other additional RRset is
   * optional.
   */
  private static EncodedSections encode(Name qname, Lookup lookup) {
    Name cut = lookup instanceof Lookup.Referral referral ? referral.cut() : null;
    List<Record> required = new ArrayList<>();
    List<List<Record>> optional = new ArrayList<>();
    for (RRset set : lookup.additional()) {
      if (cut != null && set.getName().subdomain(cut)) {
        required.addAll(records(List.of(set)));
      } else {
        optional.add(records(List.of(set)));
      }
    }
    return EncodedSections.of(qname, records(lookup.answer()), records(lookup.authority()), required, optional);
  }

  private static List<Record> records(List<RRset> sets) {
    List<Record> records = new ArrayList<>();
    for (RRset set : sets) {
      records.addAll(set.rrs(false));
      records.addAll(set.sigs());
    }
    return records;
  }
}
