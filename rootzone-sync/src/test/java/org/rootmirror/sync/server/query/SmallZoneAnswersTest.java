package org.rootmirror.sync.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rootmirror.sync.server.testing.HandlerClient.edns;
import static org.rootmirror.sync.server.testing.HandlerClient.query;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.sync.server.testing.HandlerClient;
import org.rootmirror.sync.store.PublishedZone;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** RFC 1034 section 4.3.2 on the small zone: referrals, glue (RFC 9471), denial. */
class SmallZoneAnswersTest {
  private final PublishedZone published = SmallZone.published();
  private final HandlerClient client = SmallZone.client(published, SmallZone.OPTIONS);

  @Test
  void inDomainGlueIsRequiredAndSiblingGlueIsOptional() {
    var table = new RootQueryHandler(published, SmallZone.OPTIONS, null).table().orElseThrow();
    var aaa = table.lookup(Name.fromConstantString("x.aaa."), Type.A).plain().wire();
    assertEquals(2, aaa.additionalCount(0), "ns1.aaa. and ns2.aaa. are below aaa.");
    assertEquals(0, aaa.optionalRRsets());
    var com = table.lookup(Name.fromConstantString("x.com."), Type.A).plain().wire();
    assertEquals(0, com.additionalCount(0));
    assertEquals(3, com.optionalRRsets(), "a.gtld-servers.net A and AAAA, b A");
    assertEquals(-1, aaa.fit(aaa.length(0) - 1), "required glue that does not fit truncates");
    assertEquals(0, com.fit(com.length(0)), "optional glue that does not fit is left out");
  }

  @Test
  void aReferralToATldWithoutGlueHasAnEmptyAdditionalSection() {
    Message response = client.ask(edns(query("www.zz.", Type.A), 1232, true));
    assertEquals(List.of(Type.OPT), response.getSection(Section.ADDITIONAL).stream().map(Record::getType).toList());
    assertEquals(List.of(Type.NS, Type.NSEC, Type.RRSIG),
        response.getSection(Section.AUTHORITY).stream().map(Record::getType).toList());
  }

  @Test
  void aDsQueryForAnUnsignedTldIsNoDataWithItsNsec() {
    Message response = client.ask(edns(query("ZZ.", Type.DS), 1232, true));
    assertEquals(Rcode.NOERROR, response.getRcode());
    assertTrue(response.getHeader().getFlag(Flags.AA));
    assertTrue(response.getSection(Section.ANSWER).isEmpty());
    assertEquals(List.of(Type.SOA, Type.RRSIG, Type.NSEC, Type.RRSIG),
        response.getSection(Section.AUTHORITY).stream().map(Record::getType).toList());
    assertEquals(Name.fromConstantString("zz."), response.getSection(Section.AUTHORITY).get(2).getName());
  }

  @Test
  void apexNsAnswersCarryTheRootServersAddresses() {
    Message response = client.ask(query(".", Type.NS));
    assertTrue(response.getHeader().getFlag(Flags.AA));
    assertEquals(2, response.getSection(Section.ANSWER).size());
    assertEquals(3, response.getSection(Section.ADDITIONAL).size());
  }

  @Test
  void rrsigQueriesAtTheApexGetEverySignature() {
    Message response = client.ask(query(".", Type.RRSIG));
    assertTrue(response.getSection(Section.ANSWER).stream().allMatch(r -> r.getType() == Type.RRSIG));
    assertEquals(5, response.getSection(Section.ANSWER).size(), "SOA, NS, NSEC, DNSKEY, ZONEMD");
  }

  @Test
  void aNameSortingBeforeEveryTldIsDeniedByTheApexNsec() {
    Message response = client.ask(edns(query("a.", Type.A), 1232, true));
    assertEquals(Rcode.NXDOMAIN, response.getRcode());
    List<Record> nsecs = response.getSection(Section.AUTHORITY).stream().filter(r -> r.getType() == Type.NSEC).toList();
    assertEquals(1, nsecs.size(), "the apex NSEC covers both a. and *.");
    assertEquals(Name.root, nsecs.get(0).getName());
  }
}
