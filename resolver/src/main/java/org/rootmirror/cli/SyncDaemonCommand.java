package org.rootmirror.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.random.RandomGenerator;
import org.rootmirror.cli.config.ConfigKey;
import org.rootmirror.cli.config.Settings;
import org.rootmirror.sync.SyncService;
import org.rootmirror.sync.server.MirrorService;
import org.rootmirror.sync.server.net.Addresses;
import org.rootmirror.sync.server.net.ListenException;
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
    PrintWriter err = spec.commandLine().getErr();
    Map<ConfigKey, List<String>> given = new EnumMap<>(ConfigKey.class);
    options.given(given);
    serve.given(given);
    Settings settings = ConfigOption.commandLineOnly(given, err, "rootmirror sync-daemon");
    if (settings == null || SyncOptions.noRootAnchors(settings, err, "rootmirror sync-daemon")) {
      return 2;
    }
    MirrorService.Options serving;
    try {
      serving = ServeOptions.mirror(settings, ServeOptions.listening(listen, ServerNetOptions.defaults(), "--listen"));
    } catch (IllegalArgumentException e) {
      err.println("rootmirror sync-daemon: " + e.getMessage());
      return 2;
    }
    Clock clock = Clock.systemUTC();
    PublishedZone published = new PublishedZone();
    ZoneStore store = new ZoneStore(settings.stateDir());
    SyncService service = new SyncService(SyncOptions.zoneSync(settings, published, clock, store), published, clock,
        RandomGenerator.getDefault());
    // serve first: until a valid zone is published the mirror answers SERVFAIL (issue 4)
    MirrorService mirror;
    try {
      mirror = MirrorService.start(serving, published, store, primary -> service.notified(primary));
    } catch (ListenException e) {
      throw e.forOption("--listen");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // side by side, within Shutdown.DEADLINE; a sync under way is abandoned (the store is atomic)
      Shutdown.closeAll("rootmirror sync-daemon", err, Shutdown.DEADLINE, Shutdown.part("sync", service),
          Shutdown.part("mirror", mirror));
      stopped.countDown();
    }, "shutdown"));
    service.start(settings.runtimeDir());
    err.println("rootmirror sync-daemon: serving on " + Addresses.show(mirror.localAddresses()) + ", control socket " + SyncOptions.socket(settings));
    stopped.await();
    return 0;
  }
}
