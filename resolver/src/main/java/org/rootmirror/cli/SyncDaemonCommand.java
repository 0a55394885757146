package org.rootmirror.cli;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.random.RandomGenerator;
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
 * {@code rootmirror sync-daemon}: keeps the zone current, serves it as a root server, and answers
 * {@code refresh} and {@code status} on the control socket, until SIGTERM. The mirror part of
 * {@code rootmirror run}.
 */
@Command(name = "sync-daemon", mixinStandardHelpOptions = true,
    description = "Keep the root zone current in the state directory and serve it; stop with SIGTERM.")
final class SyncDaemonCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SyncOptions options;
  @Mixin ServeOptions serve;

  @Option(names = "--listen", paramLabel = "ADDR:PORT", description = "Address and port to serve the root zone on, repeatable, one port for all (default: 127.12.12.12:53 and [::1]:53, RFC 8806).")
  List<String> listen;

  @Override
  public Integer call() throws Exception {
    Clock clock = Clock.systemUTC();
    PublishedZone published = new PublishedZone();
    ZoneStore store = new ZoneStore(options.stateDir);
    MirrorService.Options serving = serve.options(listen, ServerNetOptions.defaults());
    SyncService service = new SyncService(options.zoneSync(published, clock, store), published, clock, RandomGenerator.getDefault());
    // serve first: until a valid zone is published the mirror answers SERVFAIL (issue 4)
    MirrorService mirror = MirrorService.start(serving, published, store, primary -> service.notified(primary));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try (mirror) {
        service.close(); // removes the control socket, stops the scheduler after a running sync
      } catch (Exception e) {
        System.err.println("rootmirror sync-daemon: stopping: " + e.getMessage());
      }
      stopped.countDown();
    }, "shutdown"));
    service.start(options.runtimeDir);
    spec.commandLine().getErr().println("rootmirror sync-daemon: serving on " + mirror.localAddresses()
        + ", control socket " + options.socket());
    stopped.await();
    return 0;
  }
}
