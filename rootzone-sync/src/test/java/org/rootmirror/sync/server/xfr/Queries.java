package org.rootmirror.sync.server.xfr;

import java.nio.ByteBuffer;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Queries as clients send them, for calling a handler directly. */
final class Queries {
  private Queries() {}

  static Message axfr(int id) {
    return query(id, Name.root, Type.AXFR);
  }

  /** An IXFR query carrying the client's serial in an SOA in the authority section (RFC 1995 section 3). */
  static Message ixfr(int id, long serial) {
    Message m = query(id, Name.root, Type.IXFR);
    m.addRecord(new SOARecord(Name.root, DClass.IN, 0, Name.root, Name.root, serial, 0, 0, 0, 0), Section.AUTHORITY);
    return m;
  }

  static Message query(int id, Name name, int type) {
    Message m = new Message(id);
    m.addRecord(Record.newRecord(name, type, DClass.IN), Section.QUESTION);
    return m;
  }

  /** A NOTIFY for the root zone as a primary sends it (RFC 1996 section 3.7), the new SOA as a hint. */
  static Message notify(int id, SOARecord soa) {
    Message m = new Message(id);
    m.getHeader().setOpcode(Opcode.NOTIFY);
    m.getHeader().setFlag(Flags.AA);
    m.addRecord(Record.newRecord(Name.root, Type.SOA, DClass.IN), Section.QUESTION);
    if (soa != null) {
      m.addRecord(soa, Section.ANSWER);
    }
    return m;
  }

  /** {@code m} with an OPT record of EDNS version {@code version}, DO set. */
  static Message withEdns(Message m, int version) {
    m.addRecord(new OPTRecord(1232, 0, version, ExtendedFlags.DO), Section.ADDITIONAL);
    return m;
  }

  static ByteBuffer wire(Message m) {
    return ByteBuffer.wrap(m.toWire());
  }
}
