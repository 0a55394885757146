package org.rootmirror.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.rootmirror.cli.config.ConfigKey;
import org.rootmirror.cli.config.Defaults;
import org.rootmirror.cli.config.Settings;
import org.rootmirror.resolver.validate.ValidationConfig;
import org.rootmirror.metrics.Metrics;
import org.rootmirror.metrics.MetricsServer;
import org.rootmirror.resolver.ResolverStack;
import org.rootmirror.resolver.iterate.SocketUpstream;
import org.rootmirror.resolver.net.ResolverService;
import org.rootmirror.sync.SyncService;
import org.rootmirror.sync.accept.NoZoneServed;
import org.rootmirror.sync.accept.ZoneSync;
import org.rootmirror.sync.control.ControlRequest;
import org.rootmirror.sync.control.ControlServer;
import org.rootmirror.sync.server.MirrorService;
import org.rootmirror.sync.server.net.Addresses;
import org.rootmirror.sync.server.net.ListenException;
import org.rootmirror.sync.server.net.ServerNetOptions;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rootmirror run}: the whole service in one process: the sync schedule, the mirror serving
 * the validated root on loopback, and the validating resolver that starts every lookup from it.
 * Stops cleanly on SIGTERM. Its settings come from the configuration file ({@code --config}),
 * each option given overriding the file's key of the same name.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Keep the root zone current, serve it, and resolve from it; stop with SIGTERM.",
        "Clients use the resolver (--listen); the mirror (--mirror-listen) serves other resolvers."})
final class RunCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Spec CommandSpec spec;
  @Mixin ConfigOption config;
  @Mixin SyncOptions sync;
  @Mixin ServeOptions serve;
  @Mixin ResolverOptions resolver;

  @Option(names = "--mirror-listen", paramLabel = "ADDR:PORT",
      description = "Address and port the mirror serves the root zone on, repeatable, one port for all (default: "
          + Defaults.MIRROR_LISTEN + "; the resolver holds 127.0.0.1 and ::1).")
  List<String> mirrorListen;

  @Option(names = "--max-memory", paramLabel = "SIZE",
      description = "The memory ceiling of the process, e.g. 512m or 2g: the launcher gives the JVM's heap all of it but an eighth "
          + "and 128 MB (default: " + Defaults.MAX_MEMORY + ").")
  String maxMemory;

  @Option(names = "--metrics", paramLabel = "ADDR:PORT|off",
      description = "Where to serve Prometheus metrics (http://ADDR:PORT/metrics), or off (default: " + Defaults.METRICS_LISTEN + ").")
  String metrics;

  /** The options given on the command line, by the key of the configuration file they override. */
  Map<ConfigKey, List<String>> given() {
    Map<ConfigKey, List<String>> given = new EnumMap<>(ConfigKey.class);
    sync.given(given);
    serve.given(given);
    resolver.given(given);
    Given.put(given, ConfigKey.MIRROR_LISTEN, mirrorListen);
    Given.put(given, ConfigKey.METRICS_LISTEN, metrics);
    Given.put(given, ConfigKey.MAX_MEMORY, maxMemory);
    return given;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Settings settings = config.settings(given(), err, "rootmirror run");
    if (settings == null) {
      return 2;
    }
    Clock clock = Clock.systemUTC();
    MemoryBudget memory = MemoryBudget.of(settings);
    if (memory.heapFollowsMaxMemory()) {
      log.info(memory.describe());
    } else {
      log.warn(memory.describe());
    }
    ResolverService.Options resolverOptions = ResolverOptions.service(settings, memory);
    ResolverStack.Options stackOptions;
    ValidationConfig validation;
    try {
      stackOptions = ResolverOptions.stack(settings);
      validation = ResolverOptions.validation(settings);
    } catch (IOException | IllegalArgumentException e) {
      err.println("rootmirror run: " + e.getMessage());
      return 2;
    }
    if (settings.rootAnchorsNone()) {
      return withoutRootCopy(settings, stackOptions, validation, resolverOptions, clock, err);
    }
    MirrorService.Options mirrorOptions = ServeOptions.mirror(settings,
        ServeOptions.listeningOn(settings.mirrorListen(), ServerNetOptions.defaults(), "--mirror-listen"));
    PublishedZone published = new PublishedZone();
    ZoneStore store = new ZoneStore(settings.stateDir());
    ZoneSync zoneSync = SyncOptions.zoneSync(settings, published, clock, store);
    // the resolver starts from the root anchors the sync tracks, not the configured ones; without
    // a local copy, the root keys it validates from them move the tracking on (RFC 5011)
    validation = ResolverOptions.validation(settings, zoneSync.anchors().trusted()).withRootKeys(keys -> {
      if (published.current().isEmpty()) {
        try {
          zoneSync.anchors().observe(keys, clock.instant());
        } catch (IOException e) {
          log.warn("cannot keep the root trust anchors the resolver saw: {}", e.getMessage());
        }
      }
    });
    // the stored zone is read while the schedule and the listeners start (the schedule waits for
    // this, and does not read it again): the first answers come from it sooner
    Thread.ofPlatform().name("load-stored").daemon().start(() -> {
      try {
        zoneSync.loadStoredAtStart();
      } catch (IOException e) {
        log.warn("cannot read the stored zones: {}", e.getMessage());
      }
    });
    SyncService service = new SyncService(zoneSync, published, clock, RandomGenerator.getDefault(), NoZoneServed.RESOLVER_MEANWHILE);
    // root questions wait until the stored zone is read: none goes to a public root meanwhile
    RootCopyFeed rootCopy = RootCopyFeed.starting(published);
    ResolverStack stack = ResolverStack.build(stackOptions, rootCopy, validation, new SocketUpstream(), clock);
    MirrorService mirror;
    try {
      mirror = MirrorService.start(mirrorOptions, published, store, primary -> service.notified(primary));
    } catch (ListenException e) {
      throw e.forOption("--mirror-listen");
    }
    ResolverService resolving;
    try {
      resolving = ResolverService.start(resolverOptions, stack.resolver(), clock);
    } catch (Exception e) {
      mirror.close();
      throw e instanceof ListenException listen ? listen.forOption("--listen") : e;
    }
    MetricsServer metricsListener;
    try {
      metricsListener = settings.metricsListen().isEmpty() ? null : MetricsServer.start(settings.metricsListen().get(),
          Metrics.builder(clock).zone(published).sync(zoneSync).mirror(mirror).resolver(resolving, stack).build());
    } catch (IOException e) {
      try (mirror; resolving) {
        throw new IOException("cannot serve metrics on " + settings.metricsListen().get() + ": " + e.getMessage(), e);
      }
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Readiness readiness = Readiness.notifyWhen(published, System.getenv());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      readiness.stopping();
      // side by side, within Shutdown.DEADLINE; a sync under way is abandoned (the store is atomic)
      Shutdown.closeAll("rootmirror run", err, Shutdown.DEADLINE, Shutdown.part("sync", service),
          Shutdown.part("mirror", mirror), Shutdown.part("resolver", resolving), Shutdown.part("metrics server", metricsListener),
          Shutdown.part("systemd notifier", readiness));
      stopped.countDown();
    }, "shutdown"));
    // the stored zone, if any, is validated and published before the schedule's first fetch; the
    // resolver already listens, and holds root questions until then (RootCopyFeed)
    try {
      service.start(settings.runtimeDir());
    } finally {
      rootCopy.known();
    }
    readiness.ready(System.getenv(), ProcessHandle.current().pid());
    err.println("rootmirror run: resolver on " + Addresses.show(resolving.localAddresses()) + ", mirror on "
        + Addresses.show(mirror.localAddresses()) + ", control socket " + SyncOptions.socket(settings) + ", metrics "
        + (metricsListener == null ? "off" : "on " + metricsListener.uri()));
    stopped.await();
    return 0;
  }

  /**
   * {@code [sync] anchors = none}: no root zone can be validated, so there is no sync schedule, no
   * mirror and no local root copy; the resolver iterates from the root hints and validates only
   * below the {@code trust-anchor} lines. The control socket still answers {@code status} (and
   * {@code refresh}, to say there is nothing to refresh).
   */
  private static int withoutRootCopy(Settings settings, ResolverStack.Options stackOptions, ValidationConfig validation,
      ResolverService.Options resolverOptions, Clock clock, PrintWriter err) throws Exception {
    log.warn(SyncOptions.noRootAnchorSummary(settings));
    PublishedZone published = new PublishedZone(); // nothing is ever published
    ResolverStack stack = ResolverStack.build(stackOptions, () -> null, validation, new SocketUpstream(), clock);
    ResolverService resolving;
    try {
      resolving = ResolverService.start(resolverOptions, stack.resolver(), clock);
    } catch (ListenException e) {
      throw e.forOption("--listen");
    }
    MetricsServer metricsListener;
    try {
      metricsListener = settings.metricsListen().isEmpty() ? null : MetricsServer.start(settings.metricsListen().get(),
          Metrics.builder(clock).zone(published).resolver(resolving, stack).build());
    } catch (IOException e) {
      try (resolving) {
        throw new IOException("cannot serve metrics on " + settings.metricsListen().get() + ": " + e.getMessage(), e);
      }
    }
    ControlServer control;
    try {
      control = ControlServer.start(SyncOptions.socket(settings), (request, reply) -> noRootCopyControl(settings, request, reply, clock));
    } catch (IOException e) {
      try (resolving; metricsListener) {
        throw e;
      }
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Readiness readiness = Readiness.notifyWhen(published, System.getenv()).withoutRootCopy();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      readiness.stopping();
      Shutdown.closeAll("rootmirror run", err, Shutdown.DEADLINE, Shutdown.part("control socket", control),
          Shutdown.part("resolver", resolving), Shutdown.part("metrics server", metricsListener),
          Shutdown.part("systemd notifier", readiness));
      stopped.countDown();
    }, "shutdown"));
    readiness.ready(System.getenv(), ProcessHandle.current().pid());
    err.println("rootmirror run: resolver on " + Addresses.show(resolving.localAddresses()) + ", mirror off (no root trust anchor), control socket "
        + SyncOptions.socket(settings) + ", metrics " + (metricsListener == null ? "off" : "on " + metricsListener.uri()));
    stopped.await();
    return 0;
  }

  /** The control socket's answers without a root copy. */
  static int noRootCopyControl(Settings settings, ControlRequest request, Consumer<String> reply, Clock clock) {
    return switch (request.command()) {
      case STATUS -> {
        reply.accept(request.json() ? SyncOptions.noRootAnchorJson(settings, clock.instant()) : SyncOptions.noRootAnchorSummary(settings));
        yield 1; // no root zone is served
      }
      case REFRESH -> {
        reply.accept("error: no root trust anchor ([sync] anchors = none): there is no local root copy to refresh; "
            + "remove that line (for the built-in anchors) or name an anchors file, then restart rootmirror");
        yield 2;
      }
    };
  }
}
