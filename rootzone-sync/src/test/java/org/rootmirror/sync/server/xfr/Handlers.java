package org.rootmirror.sync.server.xfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneMetadata;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.rootmirror.sync.store.ZoneStore;
import org.rootmirror.sync.testing.TestZones;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/** Calling a transfer handler directly, as a listener would, and reading its messages with dnsjava. */
final class Handlers {
  private Handlers() {}

  static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 40053);
  /** TEST-NET-1 (RFC 5737): only an address value here, no packet goes there. */
  static final InetSocketAddress STRANGER = new InetSocketAddress("192.0.2.1", 40053);

  static PublishedZone publishing(ZoneSnapshot snapshot) {
    PublishedZone published = new PublishedZone();
    published.publish(snapshot);
    return published;
  }

  static TransferHandler handler(ZoneSnapshot snapshot, ZoneStore store) {
    return new TransferHandler(publishing(snapshot), store, AddressAcl.loopback(), NotifyReceiver.refusingAll());
  }

  static CollectingSink ask(TransferHandler handler, Message query, Transport transport, InetSocketAddress client)
      throws IOException {
    CollectingSink sink = new CollectingSink();
    handler.handle(Queries.wire(query), transport, client, sink);
    return sink;
  }

  static CollectingSink ask(TransferHandler handler, Message query) throws IOException {
    return ask(handler, query, Transport.TCP, LOCAL);
  }

  /** An unsigned zone published as if validated: for what does not depend on the data. */
  static ZoneSnapshot unsigned(List<Record> records) {
    Zone zone = TestZones.zone(records);
    ZoneMetadata meta = new ZoneMetadata(zone.soa().getSerial(), URI.create("file:/test"), null, Instant.EPOCH,
        "test", Instant.EPOCH, false, null, null);
    return new ZoneSnapshot(zone, meta, null);
  }

  static Set<String> withoutTrailingSoa(List<Record> answers) {
    return TestZones.recordSet(answers.subList(0, answers.size() - 1));
  }

  static void assertHeader(Message m, int id, int rcode) {
    assertEquals(id, m.getHeader().getID());
    assertTrue(m.getHeader().getFlag(Flags.QR), "QR");
    assertEquals(Opcode.QUERY, m.getHeader().getOpcode());
    assertEquals(rcode, m.getRcode(), () -> "rcode " + Rcode.string(m.getRcode()));
  }
}
