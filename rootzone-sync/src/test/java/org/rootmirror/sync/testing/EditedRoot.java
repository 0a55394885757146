package org.rootmirror.sync.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.rootmirror.dnssec.testing.Fixtures;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The real root zone of 2026-07-31 and a next version made from it by hand with four changes: one
 * TLD removed ({@value #REMOVED}), one added ({@value #ADDED}), the DS of {@value #DS_CHANGED}
 * replaced, and one glue address of {@value #GLUE_CHANGED} changed. Unsigned: for comparing, not
 * validating. Skips the calling test when the fixtures are absent.
 */
public final class EditedRoot {
  public static final String REMOVED = "aaa.";
  public static final String ADDED = "newtld.";
  public static final String DS_CHANGED = "de.";
  public static final String GLUE_CHANGED = "zm.";
  public static final String NEW_DS = "12345 13 2 0102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F20";
  /** de.'s DS in the real zone. */
  public static final String OLD_DS = "26755 8 2 F341357809A5954311CCB82ADE114C6C1D724A75C0395137AA3978035425E78D";
  public static final String GLUE_OWNER = "pch.nic.zm.";
  public static final String OLD_GLUE = "204.61.216.73";
  public static final String NEW_GLUE = "192.0.2.73";

  private EditedRoot() {}

  public static Zone real() throws IOException {
    return ZoneFile.read(Fixtures.rootZone(Fixtures.ZONE_2026), Name.root);
  }

  /** {@code real} with the four changes, and its serial one higher. */
  public static Zone next(Zone real) throws IOException {
    Name removed = name(REMOVED);
    Name de = name(DS_CHANGED);
    Name glueOwner = name(GLUE_OWNER);
    List<Record> out = new ArrayList<>();
    for (Record r : real.records()) {
      if (r.getName().subdomain(removed)) {
        continue; // the delegation and all below it: NS, DS, NSEC, signatures, glue
      }
      if (r instanceof SOARecord soa) {
        out.add(new SOARecord(soa.getName(), soa.getDClass(), soa.getTTL(), soa.getHost(), soa.getAdmin(), soa.getSerial() + 1,
            soa.getRefresh(), soa.getRetry(), soa.getExpire(), soa.getMinimum()));
      } else if (r.getType() == Type.DS && r.getName().equals(de)) {
        out.add(Record.fromString(de, Type.DS, DClass.IN, r.getTTL(), NEW_DS, Name.root));
      } else if (r instanceof ARecord a && r.getName().equals(glueOwner) && a.getAddress().getHostAddress().equals(OLD_GLUE)) {
        out.add(Record.fromString(glueOwner, Type.A, DClass.IN, r.getTTL(), NEW_GLUE, Name.root));
      } else {
        out.add(r);
      }
    }
    Name added = name(ADDED);
    out.add(new NSRecord(added, DClass.IN, 172800, name("a.nic.newtld.")));
    out.add(new NSRecord(added, DClass.IN, 172800, name("b.nic.newtld.")));
    out.add(Record.fromString(added, Type.DS, DClass.IN, 86400, "54321 13 2 A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4B5B6B7B8B9BABBBCBDBEBFC0", Name.root));
    out.add(Record.fromString(name("a.nic.newtld."), Type.A, DClass.IN, 172800, "192.0.2.10", Name.root));
    out.add(Record.fromString(name("b.nic.newtld."), Type.AAAA, DClass.IN, 172800, "2001:db8::10", Name.root));
    return Zone.of(Name.root, out);
  }

  private static Name name(String s) throws TextParseException {
    return Name.fromString(s);
  }

}
