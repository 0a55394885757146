package org.rootmirror.sync.server.interop;

import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One query as a resolver sends it to a root server: RD clear, class IN, with EDNS or without.
 *
 * @param udpPayload the EDNS buffer size advertised, or 0 for a query without EDNS
 * @param dnssecOk the DO bit (RFC 3225); only with EDNS
 */
record Probe(Name qname, int qtype, int udpPayload, boolean dnssecOk) {
  Probe {
    if (dnssecOk && udpPayload == 0) {
      throw new IllegalArgumentException("DO needs EDNS");
    }
  }

  boolean edns() {
    return udpPayload > 0;
  }

  /** The query with message ID {@code id}. */
  byte[] wire(int id) {
    Message query = Message.newQuery(Record.newRecord(qname, qtype, DClass.IN));
    query.getHeader().setID(id);
    query.getHeader().unsetFlag(Flags.RD); // as resolvers ask authoritative servers
    if (edns()) {
      query.addRecord(new OPTRecord(udpPayload, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    }
    return query.toWire();
  }

  /** As in a report: {@code WWW.example.COM./A EDNS 1232 DO}. */
  @Override
  public String toString() {
    return qname + "/" + Type.string(qtype) + (edns() ? " EDNS " + udpPayload + (dnssecOk ? " DO" : "") : " no EDNS");
  }
}
