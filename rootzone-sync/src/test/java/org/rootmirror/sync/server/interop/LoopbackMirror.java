package org.rootmirror.sync.server.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import org.rootmirror.sync.server.MirrorService;
import org.rootmirror.sync.server.net.NetCounters;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneSnapshot;

/** The mirror as the interoperability tests run it: MirrorService with its defaults, on 127.0.0.1 and an ephemeral port. */
final class LoopbackMirror {
  private LoopbackMirror() {}

  /** Publishes {@code snapshot} and serves it; {@code localAddresses().get(0)} says where. */
  static MirrorService start(ZoneSnapshot snapshot) throws IOException {
    PublishedZone published = new PublishedZone();
    published.publish(snapshot);
    MirrorService.Options defaults = MirrorService.Options.defaults();
    MirrorService.Options options = new MirrorService.Options(
        defaults.net().withAddresses(List.of(InetAddress.getByName("127.0.0.1"))).withPort(0).withUdpThreads(2),
        defaults.answers(), defaults.transfers(), defaults.primaries(), defaults.secondaries());
    return MirrorService.start(options, published, null, notifier -> {});
  }

  /** The queries {@code mirror} has read, over UDP and TCP. */
  static long queriesRead(MirrorService mirror) {
    NetCounters counters = mirror.counters();
    return counters.udpReceived() + counters.tcpQueries();
  }
}
