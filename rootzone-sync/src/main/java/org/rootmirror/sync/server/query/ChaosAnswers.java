package org.rootmirror.sync.server.query;

import java.util.ArrayList;
import java.util.List;
import org.rootmirror.sync.server.answer.EncodedSections;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;

/**
 * The server's answers in class CHAOS: TXT records for {@code id.server.} (RFC 4892 section 2),
 * {@code hostname.bind.} and {@code version.bind.}, each one configurable and each one off when
 * its text is null. Encoded once; TTL 0, as nothing should cache them.
 */
final class ChaosAnswers {
  private record Entry(byte[] name, EncodedSections answer) {}

  private final List<Entry> entries = new ArrayList<>();

  ChaosAnswers(ServerOptions options) {
    add("id.server.", options.idServer());
    add("hostname.bind.", options.hostnameBind());
    add("version.bind.", options.versionBind());
  }

  private void add(String name, String text) {
    if (text != null) {
      Name owner = Name.fromConstantString(name);
      entries.add(new Entry(owner.toWire(), EncodedSections.of(owner, List.of(new TXTRecord(owner, DClass.CH, 0, text)))));
    }
  }

  /** The answer for the name at {@code msg[offset..offset+length)} (any case), or null when there is none. */
  EncodedSections lookup(byte[] msg, int offset, int length) {
    for (Entry e : entries) {
      if (e.name.length == length && sameIgnoringCase(msg, offset, e.name)) {
        return e.answer;
      }
    }
    return null;
  }

  private static boolean sameIgnoringCase(byte[] msg, int offset, byte[] name) {
    for (int i = 0; i < name.length; i++) {
      int a = msg[offset + i] & 0xFF;
      if ((a >= 'A' && a <= 'Z' ? a + 32 : a) != name[i]) {
        return false; // the names here are lower case (RFC 4343)
      }
    }
    return true;
  }
}
