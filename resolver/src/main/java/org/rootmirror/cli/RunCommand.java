package org.rootmirror.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.random.RandomGenerator;
import org.rootmirror.metrics.Metrics;
import org.rootmirror.metrics.MetricsServer;
import org.rootmirror.resolver.ResolverStack;
import org.rootmirror.resolver.iterate.SocketUpstream;
import org.rootmirror.resolver.net.ResolverService;
import org.rootmirror.sync.SyncService;
import org.rootmirror.sync.accept.ZoneSync;
import org.rootmirror.sync.server.MirrorService;
import org.rootmirror.sync.server.net.ServerNetOptions;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rootmirror run}: the whole service in one process: the sync schedule, the mirror serving
 * the validated root on loopback, and the validating resolver that starts every lookup from it.
 * Stops cleanly on SIGTERM.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Keep the root zone current, serve it, and resolve from it; stop with SIGTERM.",
        "Clients use the resolver (--listen); the mirror (--mirror-listen) serves other resolvers."})
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SyncOptions sync;
  @Mixin ServeOptions serve;
  @Mixin ResolverOptions resolver;

  @Option(names = "--mirror-listen", paramLabel = "ADDR:PORT",
      description = "Address and port the mirror serves the root zone on, repeatable, one port for all (default: 127.12.12.12:53; "
          + "the resolver holds 127.0.0.1 and ::1).")
  List<String> mirrorListen;

  @Option(names = "--metrics", paramLabel = "ADDR:PORT|off", defaultValue = "127.0.0.1:" + MetricsServer.DEFAULT_PORT,
      description = "Where to serve Prometheus metrics (http://ADDR:PORT/metrics), or off (default: ${DEFAULT-VALUE}).")
  String metrics;

  @Override
  public Integer call() throws Exception {
    Clock clock = Clock.systemUTC();
    MirrorService.Options mirrorOptions;
    ResolverService.Options resolverOptions;
    ResolverStack.Options stackOptions;
    InetSocketAddress metricsAddress;
    try {
      ServerNetOptions mirrorDefaults = ServerNetOptions.defaults().withAddresses(List.of(InetAddress.getByName("127.12.12.12")));
      mirrorOptions = serve.options(mirrorListen, mirrorDefaults);
      resolverOptions = resolver.service();
      stackOptions = resolver.stack();
      metricsAddress = "off".equals(metrics) ? null : ServeOptions.listenAddress(metrics, "--metrics");
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("rootmirror run: " + e.getMessage());
      return 2;
    }
    PublishedZone published = new PublishedZone();
    ZoneStore store = new ZoneStore(sync.stateDir);
    ZoneSync zoneSync = sync.zoneSync(published, clock, store);
    SyncService service = new SyncService(zoneSync, published, clock, RandomGenerator.getDefault());
    RootCopyFeed rootCopy = RootCopyFeed.following(published);
    ResolverStack stack = ResolverStack.build(stackOptions, rootCopy, sync.trustAnchors(), new SocketUpstream(), clock);
    MirrorService mirror = MirrorService.start(mirrorOptions, published, store, primary -> service.notified(primary));
    ResolverService resolving;
    try {
      resolving = ResolverService.start(resolverOptions, stack.resolver());
    } catch (Exception e) {
      mirror.close();
      throw e;
    }
    MetricsServer metricsListener;
    try {
      metricsListener = metricsAddress == null ? null : MetricsServer.start(metricsAddress,
          Metrics.builder(clock).zone(published).sync(zoneSync).mirror(mirror).resolver(resolving, stack).build());
    } catch (IOException e) {
      try (mirror; resolving) {
        throw new IOException("cannot serve metrics on " + metrics + ": " + e.getMessage(), e);
      }
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try (mirror; resolving; metricsListener) {
        service.close(); // removes the control socket, stops the scheduler after a running sync
      } catch (Exception e) {
        System.err.println("rootmirror run: stopping: " + e.getMessage());
      }
      stopped.countDown();
    }, "shutdown"));
    // the stored zone, if any, is published before the schedule's first fetch
    service.start(sync.runtimeDir);
    spec.commandLine().getErr().println("rootmirror run: resolver on " + resolving.localAddresses() + ", mirror on "
        + mirror.localAddresses() + ", control socket " + sync.socket() + ", metrics "
        + (metricsListener == null ? "off" : "on " + metricsListener.uri()));
    stopped.await();
    return 0;
  }
}
