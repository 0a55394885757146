package org.rootmirror.resolver.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.InstantSource;
import java.util.List;
import org.rootmirror.resolver.Resolver;
import org.rootmirror.sync.server.net.MirrorServer;
import org.rootmirror.sync.server.net.NetCounters;
import org.rootmirror.sync.server.net.ServerNetOptions;
import org.rootmirror.sync.server.xfr.AddressAcl;

/**
 * The resolver's front end assembled in one place: rootzone-sync's UDP and TCP listeners with a
 * {@link ResolverQueryHandler} in front of the {@link Resolver}.
 *
 * <pre>{@code
 * try (ResolverService service = ResolverService.start(ResolverService.Options.defaults(), resolver)) {
 *   log.info("resolving for {}", service.localAddresses());
 * }
 * }</pre>
 */
public final class ResolverService implements AutoCloseable {
  /**
   * The most resolutions in flight: {@code rootmirror run} takes a bound from its heap, at most this
   * (MemoryBudget in the command line package), since each may hold 128 KB of replies.
   */
  public static final int DEFAULT_MAX_IN_FLIGHT = 4096;

  /**
   * @param net where to listen and the listeners' limits
   * @param clients who may query; others get REFUSED
   * @param maxInFlight the most resolutions running at once
   */
  public record Options(ServerNetOptions net, AddressAcl clients, int maxInFlight) {
    public Options {
      if (maxInFlight < 1) {
        throw new IllegalArgumentException("resolutions in flight must be at least 1: " + maxInFlight);
      }
    }

    /**
     * 127.0.0.1 and ::1 port 53, clients on loopback only (127.0.0.0/8 and ::1/128), 4096
     * resolutions in flight; the listeners' other settings as the mirror's defaults.
     */
    public static Options defaults() {
      try {
        List<InetAddress> loopback = List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"));
        return new Options(ServerNetOptions.defaults().withAddresses(loopback), AddressAcl.loopback(), DEFAULT_MAX_IN_FLIGHT);
      } catch (UnknownHostException e) {
        throw new AssertionError("literal addresses need no lookup", e);
      }
    }

    public Options withNet(ServerNetOptions net) {
      return new Options(net, clients, maxInFlight);
    }

    public Options withClients(AddressAcl clients) {
      return new Options(net, clients, maxInFlight);
    }

    public Options withMaxInFlight(int maxInFlight) {
      return new Options(net, clients, maxInFlight);
    }
  }

  private final MirrorServer server;
  private final ResolverQueryHandler handler;

  private ResolverService(MirrorServer server, ResolverQueryHandler handler) {
    this.server = server;
    this.handler = handler;
  }

  /** Binds every address over UDP and TCP and starts answering from {@code resolver}, on the system clock. */
  public static ResolverService start(Options options, Resolver resolver) throws IOException {
    return start(options, resolver, InstantSource.system());
  }

  /**
   * Binds every address over UDP and TCP and starts answering from {@code resolver}, whose cache
   * counts TTLs on {@code time}.
   */
  public static ResolverService start(Options options, Resolver resolver, InstantSource time) throws IOException {
    ResolverQueryHandler handler = new ResolverQueryHandler(resolver, options.clients(), options.maxInFlight(), time);
    try {
      return new ResolverService(MirrorServer.start(options.net(), handler), handler);
    } catch (IOException | RuntimeException e) {
      handler.close();
      throw e;
    }
  }

  /** The addresses listened on, with the ports actually bound. */
  public List<InetSocketAddress> localAddresses() {
    return server.localAddresses();
  }

  /** Responses by RCODE, cache hits and misses. */
  public ResolverCounters counters() {
    return handler.counters();
  }

  /** Packets and connections so far. */
  public NetCounters netCounters() {
    return server.counters();
  }

  /** Closes the listeners, then waits briefly for the resolutions still running (their answers are dropped). */
  @Override
  public void close() throws IOException {
    try {
      server.close();
    } finally {
      handler.close();
    }
  }
}
