package org.rootmirror.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code rootmirror run} tells systemd (Type=notify): READY=1 once the resolver listens,
 * a STATUS line that follows the published zone, WATCHDOG=1 while the process is healthy, and
 * STOPPING=1 on shutdown. Does nothing when not started by systemd.
 *
 * <p>Ready means "the first zone is serving or the fallback is in place": a stored zone is
 * published before the resolver opens, and without one the resolver starts at the public root
 * servers (RFC 8806 section 2 allows a resolver to fall back) until the first fetch validates.
 */
final class Readiness implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);
  private static final Readiness NONE = new Readiness(null, null);

  private final SdNotify notify;
  private final PublishedZone published;
  private ScheduledExecutorService watchdog;
  private boolean withoutRootCopy;

  private Readiness(SdNotify notify, PublishedZone published) {
    this.notify = notify;
    this.published = published;
  }

  /** Readiness reported to {@code $NOTIFY_SOCKET}, or a no-op without it. */
  static Readiness notifyWhen(PublishedZone published, Map<String, String> env) {
    try {
      return SdNotify.fromEnvironment(env).map(n -> new Readiness(n, published)).orElse(NONE);
    } catch (IOException | RuntimeException | LinkageError e) {
      // no native library for this platform, say: run without notifications, and let systemd's
      // start timeout say so rather than refusing to serve
      LOG.warn("cannot notify systemd at {}: {}", env.get("NOTIFY_SOCKET"), e.toString());
      return NONE;
    }
  }

  /** For {@code anchors = none}: no zone will ever be published, and STATUS says so. */
  Readiness withoutRootCopy() {
    if (this != NONE) {
      withoutRootCopy = true;
    }
    return this;
  }

  /** Reports readiness now, follows the zone in STATUS, and starts the watchdog if asked for. */
  void ready(Map<String, String> env, long pid) {
    if (notify == null) {
      return;
    }
    published.onChange(zone -> send("STATUS=" + status(zone)));
    send("READY=1\nSTATUS=" + (withoutRootCopy ? NO_ROOT_COPY : status(published.current())));
    watchdogInterval(env, pid).ifPresent(every -> {
      watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "systemd-watchdog");
        t.setDaemon(true);
        return t;
      });
      // a ping proves the JVM still runs its threads (no deadlock of the scheduler, no
      // out-of-memory spiral in the collector); systemd restarts the service when pings stop
      watchdog.scheduleAtFixedRate(() -> send("WATCHDOG=1"), 0, every.toMillis(), TimeUnit.MILLISECONDS);
    });
  }

  /** Tells systemd the stop it asked for is under way. */
  void stopping() {
    if (notify != null) {
      send("STOPPING=1\nSTATUS=stopping");
    }
  }

  static final String NO_ROOT_COPY = "no root trust anchor: no local root copy, resolving from the root hints";

  /** The STATUS line for the published zone (shown by {@code systemctl status}). */
  static String status(Optional<ZoneSnapshot> zone) {
    return zone.map(z -> "serving root zone serial " + z.serial())
        .orElse("resolving from the root servers until a root zone validates");
  }

  /**
   * Half of {@code $WATCHDOG_USEC} (sd_watchdog_enabled(3): ping at half the timeout), when the
   * watchdog is on and meant for this process ({@code $WATCHDOG_PID} unset or ours).
   */
  static Optional<Duration> watchdogInterval(Map<String, String> env, long pid) {
    String usec = env.get("WATCHDOG_USEC");
    String forPid = env.get("WATCHDOG_PID");
    if (usec == null || (forPid != null && !forPid.equals(Long.toString(pid)))) {
      return Optional.empty();
    }
    try {
      long micros = Long.parseLong(usec);
      return micros > 0 ? Optional.of(Duration.ofNanos(micros * 1000 / 2)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private void send(String state) {
    try {
      notify.send(state);
    } catch (IOException e) {
      LOG.warn("cannot notify systemd: {}", e.toString());
    }
  }

  @Override
  public void close() throws IOException {
    if (watchdog != null) {
      watchdog.shutdownNow();
    }
    if (notify != null) {
      notify.close();
    }
  }
}
