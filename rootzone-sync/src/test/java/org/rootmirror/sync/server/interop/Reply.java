package org.rootmirror.sync.server.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * What a response says, reduced to what two servers of the same zone must agree on: the RCODE,
 * the AA and TC flags, and each section as a set of records (order aside; RRsets compare as the
 * sets of their records), each record in canonical form (RFC 4034 section 6.2: names lower case,
 * so the query's case, which servers copy into owner names by compression, does not count) with
 * its TTL. The OPT record is left out of the additional section.
 */
record Reply(int rcode, boolean aa, boolean tc, Set<String> answer, Set<String> authority, Set<String> additional,
    int size, Message message) {

  static Reply parse(byte[] wire) {
    Message m;
    try {
      m = new Message(wire);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse a response of " + wire.length + " bytes", e);
    }
    return new Reply(m.getRcode(), m.getHeader().getFlag(Flags.AA), m.getHeader().getFlag(Flags.TC),
        canonical(m, Section.ANSWER), canonical(m, Section.AUTHORITY), canonical(m, Section.ADDITIONAL), wire.length, m);
  }

  /** The additional section's A and AAAA records: the glue. */
  Set<String> glue() {
    Set<String> glue = new TreeSet<>();
    for (Record r : message.getSection(Section.ADDITIONAL)) {
      if (r.getType() == Type.A || r.getType() == Type.AAAA) {
        glue.add(canonical(r));
      }
    }
    return glue;
  }

  /** RFC 6891 section 7, RFC 3225 section 3: whether there is an OPT record, its version, and the DO bit copied. */
  String ednsEcho() {
    OPTRecord opt = message.getOPT();
    return opt == null ? "none" : "version " + opt.getVersion() + ((opt.getFlags() & ExtendedFlags.DO) != 0 ? " DO" : "");
  }

  /** One line: RCODE, flags, the counts of each section and the size. */
  String summary() {
    return "%s%s%s an=%d ns=%d ar=%d (%d bytes)".formatted(Rcode.string(rcode), aa ? " aa" : "", tc ? " tc" : "",
        answer.size(), authority.size(), additional.size(), size);
  }

  private static Set<String> canonical(Message m, int section) {
    Set<String> records = new TreeSet<>();
    for (Record r : m.getSection(section)) {
      if (r.getType() != Type.OPT) {
        records.add(canonical(r));
      }
    }
    return records;
  }

  static String canonical(Record r) {
    try {
      return Record.fromWire(r.toWireCanonical(), Section.ANSWER).toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot re-read " + r, e);
    }
  }
}
