package org.rootmirror.resolver.iterate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.resolver.iterate.Bailiwick.Dropped;
import org.rootmirror.resolver.iterate.Bailiwick.Filtered;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class BailiwickTest {
  private static final Name COM = name("com.");
  private static final Name EXAMPLE = name("example.com.");
  private static final String SIG_RDATA =
      "8 3 3600 20300101000000 20200101000000 1 example.com. AAAA";
  private static final String DS_RDATA =
      "12345 8 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF";

  private static Name name(String s) {
    return Name.fromConstantString(s);
  }

  private static Record rr(String owner, int type, String rdata) {
    try {
      return Record.fromString(name(owner), type, DClass.IN, 3600, rdata, Name.root);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A response with {@code records} in the answer section. */
  private static Message response(Record... records) {
    return message(List.of(records), List.of(), List.of());
  }

  private static Message message(List<Record> answer, List<Record> authority, List<Record> extra) {
    var m = new Message();
    answer.forEach(r -> m.addRecord(r, Section.ANSWER));
    authority.forEach(r -> m.addRecord(r, Section.AUTHORITY));
    extra.forEach(r -> m.addRecord(r, Section.ADDITIONAL));
    return m;
  }

  private static List<Record> droppedRecords(Filtered f) {
    return f.dropped().stream().map(Dropped::record).toList();
  }

  @Test
  void anAnswerForTheQueryNameInTheZoneIsKept() {
    var a = rr("www.example.com.", Type.A, "192.0.2.1");
    var f = Bailiwick.filter(response(a), EXAMPLE, name("www.example.com."));
    assertEquals(List.of(a), f.answer());
    assertTrue(f.dropped().isEmpty());
  }

  @Test
  void anAnswerForAnUnrelatedNameIsDropped() {
    var good = rr("www.example.com.", Type.A, "192.0.2.1");
    var sameZone = rr("mail.example.com.", Type.A, "192.0.2.2");
    var otherZone = rr("www.bank.test.", Type.A, "203.0.113.66");
    var f =
        Bailiwick.filter(response(good, sameZone, otherZone), EXAMPLE, name("www.example.com."));
    assertEquals(List.of(good), f.answer());
    assertEquals(List.of(sameZone, otherZone), droppedRecords(f));
    assertEquals("outside the zone", f.dropped().get(1).reason());
  }

  @Test
  void aCnameChainIsFollowedInsideTheZoneInAnyOrder() {
    var target = rr("host.example.com.", Type.A, "192.0.2.7");
    var second = rr("alias.example.com.", Type.CNAME, "host.example.com.");
    var first = rr("www.example.com.", Type.CNAME, "alias.example.com.");
    var f = Bailiwick.filter(response(target, second, first), EXAMPLE, name("www.example.com."));
    assertEquals(List.of(target, second, first), f.answer());
  }

  @Test
  void aCnameLeavingTheZoneIsKeptButNotTheRecordsAtItsTarget() {
    var cname = rr("www.example.com.", Type.CNAME, "cdn.other.net.");
    var forged = rr("cdn.other.net.", Type.A, "203.0.113.66");
    var f = Bailiwick.filter(response(cname, forged), EXAMPLE, name("www.example.com."));
    assertEquals(List.of(cname), f.answer());
    assertEquals(List.of(forged), droppedRecords(f));
  }

  @Test
  void aDnameInTheZoneSubstitutesTheQueryName() {
    var dname = rr("old.example.com.", Type.DNAME, "new.example.com.");
    var synth = rr("www.old.example.com.", Type.CNAME, "www.new.example.com.");
    var a = rr("www.new.example.com.", Type.A, "192.0.2.9");
    var unrelated = rr("x.new.example.com.", Type.A, "192.0.2.10");
    var f =
        Bailiwick.filter(
            response(dname, synth, a, unrelated), EXAMPLE, name("www.old.example.com."));
    assertEquals(List.of(dname, synth, a), f.answer());
    assertEquals(List.of(unrelated), droppedRecords(f));
  }

  @Test
  void signaturesAreKeptOnlyBesideTheirRRset() {
    var a = rr("www.example.com.", Type.A, "192.0.2.1");
    var sigA = rr("www.example.com.", Type.RRSIG, "A " + SIG_RDATA);
    var sigMx = rr("www.example.com.", Type.RRSIG, "MX " + SIG_RDATA);
    var f = Bailiwick.filter(response(a, sigA, sigMx), EXAMPLE, name("www.example.com."));
    assertEquals(List.of(a, sigA), f.answer());
    assertEquals(List.of(sigMx), droppedRecords(f));
  }

  @Test
  void aReferralTowardTheQueryNameIsKeptWithItsGlueAndDs() {
    var ns1 = rr("example.com.", Type.NS, "ns1.example.com.");
    var ns2 = rr("example.com.", Type.NS, "ns.hoster.net.");
    var ds = rr("example.com.", Type.DS, DS_RDATA);
    var glue = rr("ns1.example.com.", Type.A, "192.0.2.53");
    var f =
        Bailiwick.filter(
            message(List.of(), List.of(ns1, ns2, ds), List.of(glue)),
            COM,
            name("www.example.com."));
    assertEquals(List.of(ns1, ns2, ds), f.authority());
    assertEquals(List.of(glue), f.additional());
    assertTrue(f.dropped().isEmpty());
  }

  @Test
  void anNsForTheParentZoneIsDropped() {
    var rootNs = rr(".", Type.NS, "a.root-servers.evil.");
    var glue = rr("a.root-servers.evil.", Type.A, "203.0.113.66");
    var f =
        Bailiwick.filter(
            message(List.of(), List.of(rootNs), List.of(glue)), COM, name("www.example.com."));
    assertTrue(f.authority().isEmpty());
    assertTrue(f.additional().isEmpty());
    assertEquals(List.of(rootNs, glue), droppedRecords(f));
    assertEquals("outside the zone", f.dropped().get(0).reason());
  }

  @Test
  void aSidewaysDelegationIsDropped() {
    var sideways = rr("bank.com.", Type.NS, "ns.evil.com.");
    var glue = rr("ns.evil.com.", Type.A, "203.0.113.66");
    var f =
        Bailiwick.filter(
            message(List.of(), List.of(sideways), List.of(glue)), COM, name("www.example.com."));
    assertTrue(f.authority().isEmpty());
    assertEquals("not toward the query name", f.dropped().get(0).reason());
    assertEquals("glue for a name no NS names", f.dropped().get(1).reason());
  }

  @Test
  void aDelegationBelowTheQueryNameIsDropped() {
    var deeper = rr("a.www.example.com.", Type.NS, "ns.example.com.");
    var f =
        Bailiwick.filter(
            message(List.of(), List.of(deeper), List.of()), COM, name("www.example.com."));
    assertTrue(f.authority().isEmpty());
  }

  @Test
  void glueForANameNoNsNamesIsDropped() {
    var ns = rr("example.com.", Type.NS, "ns1.example.com.");
    var glue = rr("ns1.example.com.", Type.A, "192.0.2.53");
    var stray = rr("www.example.com.", Type.A, "203.0.113.66");
    var f =
        Bailiwick.filter(
            message(List.of(), List.of(ns), List.of(glue, stray)), COM, name("www.example.com."));
    assertEquals(List.of(glue), f.additional());
    assertEquals(List.of(stray), droppedRecords(f));
    assertEquals("glue for a name no NS names", f.dropped().get(0).reason());
  }

  @Test
  void glueOutsideTheZoneIsDroppedEvenWhenAnNsNamesIt() {
    var ns = rr("example.com.", Type.NS, "ns.hoster.net.");
    var glue = rr("ns.hoster.net.", Type.AAAA, "2001:db8::66");
    var f =
        Bailiwick.filter(
            message(List.of(), List.of(ns), List.of(glue)), COM, name("www.example.com."));
    assertEquals(List.of(ns), f.authority());
    assertTrue(f.additional().isEmpty());
    assertEquals("glue outside the zone", f.dropped().get(0).reason());
  }

  @Test
  void soaInTheAuthoritySectionIsKeptOnlyForTheZoneOrBelow() {
    var soa = rr("example.com.", Type.SOA, "ns1.example.com. host.example.com. 1 2 3 4 5");
    var parentSoa = rr("com.", Type.SOA, "a.gtld.net. host.com. 1 2 3 4 5");
    var nsec = rr("a.example.com.", Type.NSEC, "z.example.com. A RRSIG NSEC");
    var foreignNsec = rr("a.other.com.", Type.NSEC, "z.other.com. A RRSIG NSEC");
    var f =
        Bailiwick.filter(
            message(List.of(), List.of(soa, parentSoa, nsec, foreignNsec), List.of()),
            EXAMPLE,
            name("nope.example.com."));
    assertEquals(List.of(soa, nsec), f.authority());
    assertEquals(List.of(parentSoa, foreignNsec), droppedRecords(f));
  }

  @Test
  void otherTypesInTheAuthorityAndAdditionalSectionsAreDropped() {
    var a = rr("www.example.com.", Type.A, "192.0.2.1");
    var mx = rr("example.com.", Type.MX, "10 mail.example.com.");
    var txt = rr("example.com.", Type.TXT, "\"hello\"");
    var ds = rr("example.com.", Type.DS, DS_RDATA);
    var m = message(List.of(a), List.of(mx, ds), List.of(txt));
    m.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    var f = Bailiwick.filter(m, EXAMPLE, name("www.example.com."));
    assertEquals(List.of(a), f.answer());
    assertTrue(f.authority().isEmpty());
    assertTrue(f.additional().isEmpty());
    assertEquals(List.of(mx, ds, txt), droppedRecords(f)); // OPT is not zone data: not listed
  }

  @Test
  void namesAreComparedWithoutRegardToCase() {
    var cname = rr("WWW.Example.COM.", Type.CNAME, "Host.EXAMPLE.com.");
    var a = rr("host.example.com.", Type.A, "192.0.2.7");
    var ns = rr("EXAMPLE.com.", Type.NS, "NS1.example.COM.");
    var glue = rr("ns1.EXAMPLE.com.", Type.A, "192.0.2.53");
    var f =
        Bailiwick.filter(
            message(List.of(cname, a), List.of(ns), List.of(glue)),
            name("Example.Com."),
            name("www.example.com."));
    assertEquals(List.of(cname, a), f.answer());
    assertEquals(List.of(ns), f.authority());
    assertEquals(List.of(glue), f.additional());
    assertTrue(f.dropped().isEmpty());
  }
}
