package org.rootmirror.resolver.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Supplier;
import org.rootmirror.dnssec.zone.ZoneLookup;
import org.rootmirror.resolver.ResolverStack;
import org.rootmirror.resolver.iterate.RootCopy;
import org.rootmirror.resolver.iterate.SocketUpstream;
import org.rootmirror.resolver.iterate.Upstream;
import org.rootmirror.resolver.net.ResolverService;
import org.rootmirror.sync.server.net.ServerNetOptions;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;

/**
 * rootmirror's whole resolver ({@link ResolverStack} behind a {@link ResolverService} on
 * 127.0.0.1, an ephemeral port) resolving through a {@link MiniInternet}, with the mini-internet's
 * root as its local copy and root KSK as its trust anchor: what a client on the host would query.
 */
public final class LoopbackResolver implements AutoCloseable {
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);

  private final ResolverStack stack;
  private final ResolverService service;

  private LoopbackResolver(ResolverStack stack, ResolverService service) {
    this.stack = stack;
    this.service = service;
  }

  /**
   * @param copy the local root (null for none), read for each root question
   * @param upstream how the iterator reaches the authorities (a {@link SocketUpstream}, or one in front of it)
   */
  public static LoopbackResolver start(MiniInternet net, Supplier<RootCopy> copy, Upstream upstream, InstantSource time) throws IOException {
    var options = ResolverStack.Options.defaults().withHints(net.rootHints()).withUpstreamPort(net.port());
    ResolverStack stack = ResolverStack.build(options, copy, net.trustAnchors(), upstream, time);
    ResolverService service = ResolverService.start(ResolverService.Options.defaults()
        .withNet(ServerNetOptions.defaults().withAddresses(List.of(InetAddress.getLoopbackAddress())).withPort(0)), stack.resolver(), time);
    return new LoopbackResolver(stack, service);
  }

  /** On the system clock, sockets straight to the authorities, and a root copy valid for a week. */
  public static LoopbackResolver start(MiniInternet net) throws IOException {
    InstantSource time = InstantSource.system();
    RootCopy copy = rootCopy(net, time.instant().plus(Duration.ofDays(7)));
    return start(net, () -> copy, new SocketUpstream(), time);
  }

  /** The mini-internet's root zone as a local copy that expires at {@code expiry}. */
  public static RootCopy rootCopy(MiniInternet net, Instant expiry) {
    return new RootCopy(new ZoneLookup(net.rootZone()), net.rootZone().soa().getSerial(), expiry);
  }

  public ResolverStack stack() {
    return stack;
  }

  /** Where the front end listens (UDP and TCP). */
  public InetSocketAddress address() {
    return service.localAddresses().get(0);
  }

  /** Asks {@code name}/{@code type} in class IN with EDNS (1232 bytes) and DO, over UDP or TCP. */
  public Message ask(String name, int type, boolean tcp) throws IOException {
    return send(Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, DClass.IN)), tcp);
  }

  /** Sends {@code query} (RD set by {@link Message#newQuery}) with EDNS and DO, as a stub would. */
  public Message send(Message query, boolean tcp) throws IOException {
    SimpleResolver client = new SimpleResolver(address());
    client.setTimeout(CLIENT_TIMEOUT);
    client.setTCP(tcp);
    client.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
    return client.send(query);
  }

  @Override
  public void close() throws IOException {
    service.close();
  }
}
