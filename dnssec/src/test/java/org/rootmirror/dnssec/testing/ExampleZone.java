package org.rootmirror.dnssec.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * A small unsigned zone with every shape an authoritative lookup meets: apex data, in-zone names,
 * empty non-terminals, a wildcard, CNAME chains (in the zone, out of it, a loop), a DNAME, and
 * delegations with and without DS, at the first and second level, with glue below the cut.
 */
public final class ExampleZone {
  public static final Name ORIGIN = Name.fromConstantString("example.");

  public static final String TEXT =
      """
      $ORIGIN example.
      $TTL 3600
      @              SOA    ns1 hostmaster 2026010101 7200 3600 1209600 300
      @              NS     ns1
      @              NS     ns2
      @              A      192.0.2.1
      ns1            A      192.0.2.53
      ns2            AAAA   2001:db8::53
      www            A      192.0.2.80
      www            AAAA   2001:db8::80
      a.b.c          TXT    "below two empty non-terminals"
      *.wild         TXT    "from the wildcard"
      *.wild         A      192.0.2.99
      alias          CNAME  www
      chain1         CNAME  chain2
      chain2         CNAME  alias
      out            CNAME  www.example.net.
      loop1          CNAME  loop2
      loop2          CNAME  loop1
      dname          DNAME  target
      host.target    A      192.0.2.7
      secure         NS     ns1.secure
      secure         NS     ns.example.net.
      secure         DS     31589 13 2 3490A6806D47F17A34C29E2CE80E8A999FFBE4BE2C5C1E3CF6B7C26A7C06B4A3
      ns1.secure     A      192.0.2.10
      ns1.secure     AAAA   2001:db8::10
      deep.secure    TXT    "occluded by the cut"
      insecure       NS     ns1.insecure
      insecure       NS     ns.example.net.
      ns1.insecure   A      192.0.2.20
      deleg.ent      NS     ns.example.net.
      """;

  /** Names the zone is authoritative for that own records (delegation points included, glue not). */
  public static final List<String> OWNERS = List.of("example.", "ns1.example.", "ns2.example.", "www.example.",
      "a.b.c.example.", "*.wild.example.", "alias.example.", "chain1.example.", "chain2.example.", "out.example.",
      "loop1.example.", "loop2.example.", "dname.example.", "host.target.example.", "secure.example.",
      "insecure.example.", "deleg.ent.example.");

  /** The empty non-terminals: ancestors of owners, below the apex, that own nothing. */
  public static final List<String> EMPTY_NON_TERMINALS =
      List.of("b.c.example.", "c.example.", "wild.example.", "target.example.", "ent.example.");

  /** The delegations without DS, which Opt-Out leaves out of an NSEC3 chain. */
  public static final List<String> UNSIGNED_DELEGATIONS = List.of("insecure.example.", "deleg.ent.example.");

  private ExampleZone() {}

  public static List<Record> records() {
    try {
      return ZoneFile.parse(TEXT.getBytes(UTF_8), "example zone", ORIGIN).records();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
