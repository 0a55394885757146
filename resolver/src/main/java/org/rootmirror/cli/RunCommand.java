package org.rootmirror.cli;

import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.random.RandomGenerator;
import org.rootmirror.resolver.ResolverStack;
import org.rootmirror.resolver.iterate.SocketUpstream;
import org.rootmirror.resolver.net.ResolverService;
import org.rootmirror.sync.SyncService;
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

  @Override
  public Integer call() throws Exception {
    Clock clock = Clock.systemUTC();
    MirrorService.Options mirrorOptions;
    ResolverService.Options resolverOptions;
    ResolverStack.Options stackOptions;
    try {
      ServerNetOptions mirrorDefaults = ServerNetOptions.defaults().withAddresses(List.of(InetAddress.getByName("127.12.12.12")));
      mirrorOptions = serve.options(mirrorListen, mirrorDefaults);
      resolverOptions = resolver.service();
      stackOptions = resolver.stack();
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("rootmirror run: " + e.getMessage());
      return 2;
    }
    PublishedZone published = new PublishedZone();
    ZoneStore store = new ZoneStore(sync.stateDir);
    SyncService service = new SyncService(sync.zoneSync(published, clock, store), published, clock, RandomGenerator.getDefault());
    RootCopyFeed rootCopy = RootCopyFeed.following(published);
    ResolverStack stack = ResolverStack.build(stackOptions, rootCopy, sync.trustAnchors(), new SocketUpstream(), clock);
    MirrorService mirror = MirrorService.start(mirrorOptions, published, store, primary -> service.notified(primary));
    ResolverService resolving;
    try {
      resolving = ResolverService.start(resolverOptions, stack.resolver(), clock);
    } catch (Exception e) {
      mirror.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Readiness readiness = Readiness.notifyWhen(published, System.getenv());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      readiness.stopping();
      try (mirror; resolving; readiness) {
        service.close(); // removes the control socket, stops the scheduler after a running sync
      } catch (Exception e) {
        System.err.println("rootmirror run: stopping: " + e.getMessage());
      }
      stopped.countDown();
    }, "shutdown"));
    // the stored zone, if any, is published before the schedule's first fetch
    service.start(sync.runtimeDir);
    readiness.ready(System.getenv(), ProcessHandle.current().pid());
    spec.commandLine().getErr().println("rootmirror run: resolver on " + resolving.localAddresses() + ", mirror on "
        + mirror.localAddresses() + ", control socket " + sync.socket());
    stopped.await();
    return 0;
  }
}
