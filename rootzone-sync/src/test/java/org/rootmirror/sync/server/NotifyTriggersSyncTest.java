package org.rootmirror.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.sync.SyncService;
import org.rootmirror.sync.accept.SyncPolicy;
import org.rootmirror.sync.accept.ZoneSync;
import org.rootmirror.sync.server.net.ServerNetOptions;
import org.rootmirror.sync.server.xfr.AddressAcl;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneStore;
import org.rootmirror.sync.testing.MutableClock;
import org.rootmirror.sync.testing.RootZoneVersions;
import org.rootmirror.sync.testing.StaticSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** RFC 1996 end to end: a NOTIFY from a configured primary makes the daemon fetch the new serial at once. */
class NotifyTriggersSyncTest {
  private static final Instant SIGNED = Instant.parse("2026-11-01T00:00:00Z");

  @TempDir Path state;
  @TempDir Path runtime;

  @Test
  void notifyFromAPrimaryPublishesTheNewSerialWithoutWaitingForTheTimer() throws Exception {
    RootZoneVersions versions = new RootZoneVersions(SIGNED);
    MutableClock clock = new MutableClock(SIGNED.plus(Duration.ofHours(1)));
    PublishedZone published = new PublishedZone();
    StaticSource source = new StaticSource("https://primary.test/root.zone").serve(versions.text(1));
    ZoneStore store = new ZoneStore(state);
    ZoneSync sync = new ZoneSync(List.of(source), uri -> null, store, published, versions.anchors(), clock, SyncPolicy.defaults());
    MirrorService.Options options = MirrorService.Options.defaults()
        .withNet(ServerNetOptions.defaults().withAddresses(List.of(InetAddress.getLoopbackAddress())).withPort(0));
    options = new MirrorService.Options(options.net(), options.answers(), options.transfers(),
        AddressAcl.parse(List.of("127.0.0.0/8")), List.of());
    try (SyncService service = new SyncService(sync, published, clock, new Random(3));
        MirrorService mirror = MirrorService.start(options, published, store, service::notified)) {
      service.start(runtime);
      await(() -> published.current().isPresent());
      assertEquals(versions.serial(1), published.current().orElseThrow().serial());

      source.serve(versions.text(2)); // the primary has a new zone, and says so
      Message reply = notify(mirror.localAddresses().get(0), versions.serial(2));
      assertEquals(Rcode.NOERROR, reply.getRcode());
      assertTrue(reply.getHeader().getFlag(Flags.AA));
      await(() -> published.current().orElseThrow().serial() == versions.serial(2));
    }
  }

  private static Message notify(InetSocketAddress mirror, long serial) throws IOException {
    Message m = Message.newQuery(Record.newRecord(Name.root, Type.SOA, DClass.IN));
    m.getHeader().setOpcode(Opcode.NOTIFY);
    m.getHeader().setFlag(Flags.AA);
    m.getHeader().unsetFlag(Flags.RD);
    SimpleResolver r = new SimpleResolver(mirror);
    r.setTimeout(Duration.ofSeconds(5));
    return r.send(m);
  }

  private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out");
      Thread.sleep(20);
    }
  }
}
