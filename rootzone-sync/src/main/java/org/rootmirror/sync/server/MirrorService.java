package org.rootmirror.sync.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.rootmirror.sync.server.limit.RateLimitOptions;
import org.rootmirror.sync.server.limit.RateLimitedHandler;
import org.rootmirror.sync.server.limit.ResponseRateLimiter;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mirror assembled in one readable place: listeners, response rate limiting when they are
 * reachable from outside this host, the root query handler with transfers and NOTIFY behind it,
 * and NOTIFY out to secondaries, all reading the published zone.
 */
public final class MirrorService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MirrorService.class);

  /**
   * @param transfers who may transfer the zone besides loopback
   * @param primaries whose NOTIFY starts a sync
   * @param secondaries told of each new serial with NOTIFY
   * @param rateLimit response rate limiting of UDP answers to clients outside loopback; applied
   *     only when some listening address is not a loopback one (on loopback alone no such client
   *     can reach the mirror)
   */
  public record Options(ServerNetOptions net, ServerOptions answers, AddressAcl transfers, AddressAcl primaries,
      List<InetSocketAddress> secondaries, RateLimitOptions rateLimit) {
    public Options {
      secondaries = List.copyOf(secondaries);
      Objects.requireNonNull(rateLimit, "rateLimit");
    }

    /** With the default rate limiting. */
    public Options(ServerNetOptions net, ServerOptions answers, AddressAcl transfers, AddressAcl primaries,
        List<InetSocketAddress> secondaries) {
      this(net, answers, transfers, primaries, secondaries, RateLimitOptions.defaults());
    }

    public static Options defaults() {
      return new Options(ServerNetOptions.defaults(), ServerOptions.defaults(), AddressAcl.none(), AddressAcl.none(), List.of());
    }

    public Options withNet(ServerNetOptions net) {
      return new Options(net, answers, transfers, primaries, secondaries, rateLimit);
    }

    public Options withRateLimit(RateLimitOptions rateLimit) {
      return new Options(net, answers, transfers, primaries, secondaries, rateLimit);
    }

    /** Whether responses are rate limited: enabled, and listening somewhere besides loopback. */
    public boolean rateLimited() {
      return rateLimit.enabled() && net.addresses().stream().anyMatch(a -> !a.isLoopbackAddress());
    }
  }

  private final MirrorServer server;
  private final RootQueryHandler handler;
  private final NotifySender notifier;
  private final ResponseRateLimiter limiter;

  private MirrorService(MirrorServer server, RootQueryHandler handler, NotifySender notifier, ResponseRateLimiter limiter) {
    this.server = server;
    this.handler = handler;
    this.notifier = notifier;
    this.limiter = limiter;
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
    QueryHandler served = handler;
    ResponseRateLimiter limiter = null;
    if (options.rateLimited()) {
      limiter = new ResponseRateLimiter(options.rateLimit());
      served = new RateLimitedHandler(handler, limiter, System::nanoTime);
      RateLimitOptions r = options.rateLimit();
      String slip = r.slip() == 0 ? "none of the rest sent" : r.slip() == 1 ? "the rest sent truncated" : "one in " + r.slip() + " of the rest sent truncated";
      log.info("rate limiting UDP responses to clients outside loopback: {} a second per /24 or /56 and kind of response, {}, {} s window",
          r.responsesPerSecond(), slip, r.window().toSeconds());
    }
    NotifySender notifier = null;
    if (!options.secondaries().isEmpty()) {
      notifier = NotifySender.start(options.secondaries(), NotifySender.Settings.defaults());
      notifier.follow(published);
    }
    try {
      return new MirrorService(MirrorServer.start(options.net(), served), handler, notifier, limiter);
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

  /** The response rate limiter, when responses are limited ({@link Options#rateLimited()}), for metrics. */
  public Optional<ResponseRateLimiter> rateLimiter() {
    return Optional.ofNullable(limiter);
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
