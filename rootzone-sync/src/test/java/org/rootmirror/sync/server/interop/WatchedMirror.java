package org.rootmirror.sync.server.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.rootmirror.sync.server.QueryHandler;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.server.net.MirrorServer;
import org.rootmirror.sync.server.net.ServerNetOptions;
import org.rootmirror.sync.server.query.Query;
import org.rootmirror.sync.server.query.RootQueryHandler;
import org.rootmirror.sync.server.query.ServerOptions;
import org.rootmirror.sync.server.xfr.AddressAcl;
import org.rootmirror.sync.server.xfr.NotifyReceiver;
import org.rootmirror.sync.server.xfr.TransferHandler;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The mirror wired as {@link org.rootmirror.sync.server.MirrorService} wires it (root answers,
 * transfers to loopback, no NOTIFY), on 127.12.12.12, the address the shipped snippets name,
 * and an ephemeral port, noting every question it is asked: MirrorService counts packets, and
 * the snippet tests need to know which were zone transfers.
 */
final class WatchedMirror implements AutoCloseable {
  /** The address every snippet in docs/snippets names. */
  static final String ADDRESS = "127.12.12.12";

  /** One question the mirror was asked. */
  record Asked(Transport transport, InetSocketAddress client, Name qname, int qtype) {
    boolean isTransfer() {
      return qtype == Type.AXFR || qtype == Type.IXFR;
    }

    @Override
    public String toString() {
      return transport + " " + client + " " + qname + " " + Type.string(qtype);
    }
  }

  private final MirrorServer server;
  private final List<Asked> asked;

  private WatchedMirror(MirrorServer server, List<Asked> asked) {
    this.server = server;
    this.asked = asked;
  }

  /** Serves {@code snapshot} on {@link #ADDRESS} and an ephemeral port. */
  static WatchedMirror start(ZoneSnapshot snapshot) throws IOException {
    return start(snapshot, InetAddress.getByName(ADDRESS), 0);
  }

  /** Serves {@code snapshot} on {@code address} and {@code port} (0: an ephemeral one). */
  static WatchedMirror start(ZoneSnapshot snapshot, InetAddress address, int port) throws IOException {
    PublishedZone published = new PublishedZone();
    published.publish(snapshot);
    TransferHandler transfers = new TransferHandler(published, null, AddressAcl.loopback(), NotifyReceiver.refusingAll());
    QueryHandler root = new RootQueryHandler(published, ServerOptions.defaults(), transfers);
    List<Asked> asked = new CopyOnWriteArrayList<>();
    QueryHandler watched = (query, transport, client, out) -> {
      byte[] bytes = new byte[query.remaining()];
      query.duplicate().get(bytes);
      if (bytes.length >= 12) {
        Query q = Query.parse(bytes, 0, bytes.length);
        if (q.wellFormed() && q.hasQuestion()) {
          asked.add(new Asked(transport, client, q.qname(), q.qtype()));
        }
      }
      root.handle(query, transport, client, out);
    };
    ServerNetOptions net = ServerNetOptions.defaults()
        .withAddresses(List.of(address)).withPort(port).withUdpThreads(2);
    return new WatchedMirror(MirrorServer.start(net, watched), asked);
  }

  InetSocketAddress address() {
    return server.localAddresses().get(0);
  }

  int port() {
    return address().getPort();
  }

  /** The questions asked so far, in the order they arrived. */
  List<Asked> asked() {
    return List.copyOf(asked);
  }

  /** Whether the zone was transferred (AXFR or IXFR, over TCP as RFC 5936 section 4.2 has it). */
  boolean transferred() {
    return asked.stream().anyMatch(a -> a.isTransfer() && a.transport() == Transport.TCP);
  }

  @Override
  public void close() throws IOException {
    InetSocketAddress address = address();
    server.close();
    try {
      Tools.awaitReleased(address, "the mirror");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
