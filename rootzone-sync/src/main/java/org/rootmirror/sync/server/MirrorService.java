package org.rootmirror.sync.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;
import org.rootmirror.sync.server.net.MirrorServer;
import org.rootmirror.sync.server.net.NetCounters;
import org.rootmirror.sync.server.net.ServerNetOptions;
import org.rootmirror.sync.server.query.ResponseCounters;
import org.rootmirror.sync.server.query.RootQueryHandler;
import org.rootmirror.sync.server.query.ServerOptions;
import org.rootmirror.sync.server.xfr.AddressAcl;
import org.rootmirror.sync.server.xfr.NotifyReceiver;
import org.rootmirror.sync.server.xfr.NotifySender;
import org.rootmirror.sync.server.xfr.TransferHandler;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneStore;

/**
 * The mirror assembled in one readable place: listeners, the root query handler with transfers
 * and NOTIFY behind it, and NOTIFY out to secondaries, all reading the published zone.
 */
public final class MirrorService implements AutoCloseable {
  /**
   * @param transfers who may transfer the zone besides loopback
   * @param primaries whose NOTIFY starts a sync
   * @param secondaries told of each new serial with NOTIFY
   */
  public record Options(ServerNetOptions net, ServerOptions answers, AddressAcl transfers, AddressAcl primaries,
      List<InetSocketAddress> secondaries) {
    public Options {
      secondaries = List.copyOf(secondaries);
    }

    public static Options defaults() {
      return new Options(ServerNetOptions.defaults(), ServerOptions.defaults(), AddressAcl.none(), AddressAcl.none(), List.of());
    }

    public Options withNet(ServerNetOptions net) {
      return new Options(net, answers, transfers, primaries, secondaries);
    }
  }

  private final MirrorServer server;
  private final RootQueryHandler handler;
  private final NotifySender notifier;

  private MirrorService(MirrorServer server, RootQueryHandler handler, NotifySender notifier) {
    this.server = server;
    this.handler = handler;
    this.notifier = notifier;
  }

  /**
   * Starts serving {@code published}; IXFR differences come from {@code store} (null: AXFR only),
   * and a NOTIFY from a primary calls {@code onNotify}.
   */
  public static MirrorService start(Options options, PublishedZone published, ZoneStore store,
      Consumer<InetAddress> onNotify) throws IOException {
    NotifyReceiver notifies = new NotifyReceiver(options.primaries(), onNotify);
    TransferHandler transfers = new TransferHandler(published, store, AddressAcl.loopback().with(options.transfers()), notifies);
    RootQueryHandler handler = new RootQueryHandler(published, options.answers(), transfers);
    NotifySender notifier = null;
    if (!options.secondaries().isEmpty()) {
      notifier = NotifySender.start(options.secondaries(), NotifySender.Settings.defaults());
      notifier.follow(published);
    }
    try {
      return new MirrorService(MirrorServer.start(options.net(), handler), handler, notifier);
    } catch (IOException | RuntimeException e) {
      if (notifier != null) {
        notifier.close();
      }
      throw e;
    }
  }

  /** The addresses listened on, with the ports actually bound. */
  public List<InetSocketAddress> localAddresses() {
    return server.localAddresses();
  }

  /** Packets and connections so far, for metrics and tests. */
  public NetCounters counters() {
    return server.counters();
  }

  /** Responses to queries by RCODE (transfers and NOTIFY not included), for metrics. */
  public ResponseCounters responses() {
    return handler.counters();
  }

  @Override
  public void close() throws IOException {
    try {
      server.close();
    } finally {
      if (notifier != null) {
        notifier.close();
      }
    }
  }
}
