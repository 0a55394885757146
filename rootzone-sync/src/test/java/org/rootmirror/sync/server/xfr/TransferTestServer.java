package org.rootmirror.sync.server.xfr;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import org.rootmirror.sync.server.QueryHandler;
import org.rootmirror.sync.server.net.MirrorServer;
import org.rootmirror.sync.server.net.ServerNetOptions;
import org.rootmirror.sync.server.query.RootQueryHandler;
import org.rootmirror.sync.server.query.ServerOptions;
import org.rootmirror.sync.store.PublishedZone;

/**
 * A transfer handler behind the project's own listeners and root query handler on 127.0.0.1 (an
 * ephemeral port, UDP and TCP): the query handler answers the SOA query the transfer clients send
 * first and hands AXFR, IXFR and NOTIFY to the handler under test.
 */
final class TransferTestServer implements AutoCloseable {
  private final MirrorServer server;

  private TransferTestServer(MirrorServer server) {
    this.server = server;
  }

  static TransferTestServer start(QueryHandler transfers, PublishedZone published) throws IOException {
    ServerNetOptions net = ServerNetOptions.defaults()
        .withAddresses(List.of(InetAddress.getByName("127.0.0.1"))).withPort(0).withUdpThreads(1);
    return new TransferTestServer(
        MirrorServer.start(net, new RootQueryHandler(published, ServerOptions.defaults(), transfers)));
  }

  int port() {
    return address().getPort();
  }

  InetSocketAddress address() {
    return server.localAddresses().get(0);
  }

  URI uri(String scheme) {
    return URI.create(scheme + "://127.0.0.1:" + port());
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
