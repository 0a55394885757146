package org.rootmirror.sync;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.quartz.SchedulerException;
import org.rootmirror.sync.accept.NoZoneServed;
import org.rootmirror.sync.accept.SyncOutcome;
import org.rootmirror.sync.accept.SyncRequest;
import org.rootmirror.sync.accept.ZoneSync;
import org.rootmirror.sync.control.ControlRequest;
import org.rootmirror.sync.control.ControlServer;
import org.rootmirror.sync.control.DaemonNote;
import org.rootmirror.sync.control.StatusView;
import org.rootmirror.sync.schedule.SyncScheduler;
import org.rootmirror.sync.server.limit.LimitedLog;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The running sync: the schedule plus the control socket that answers {@code refresh} and
 * {@code status}. Publishes into the {@link PublishedZone} the server and resolver read.
 */
public final class SyncService implements AutoCloseable {
  /** A NOTIFY's source can be forged: the syncs it starts are logged a few lines a minute at most. */
  private static final LimitedLog.Kind NOTIFIED = LimitedLog.of(LoggerFactory.getLogger(SyncService.class))
      .kind(Level.INFO, "syncs started by NOTIFY");

  /** The control socket's file name in the runtime directory. */
  public static final String SOCKET = "control.sock";

  private final ZoneSync sync;
  private final PublishedZone published;
  private final Clock clock;
  private final SyncScheduler scheduler;
  private final String meanwhile;
  private ControlServer control;

  public SyncService(ZoneSync sync, PublishedZone published, Clock clock, RandomGenerator random) throws SchedulerException {
    this(sync, published, clock, random, NoZoneServed.MIRROR_MEANWHILE);
  }

  /** @param meanwhile what answers while no zone is served, for the log and status ({@link NoZoneServed}) */
  public SyncService(ZoneSync sync, PublishedZone published, Clock clock, RandomGenerator random, String meanwhile)
      throws SchedulerException {
    this.sync = sync;
    this.published = published;
    this.clock = clock;
    this.meanwhile = meanwhile;
    this.scheduler = new SyncScheduler(sync, published, clock, random, meanwhile);
  }

  /**
   * Publishes the stored zone, starts the schedule and listens on {@code runtimeDir}/control.sock;
   * leaves a {@link DaemonNote} in the state directory, so that a {@code refresh} given only the
   * state directory finds this daemon.
   */
  public void start(Path runtimeDir) throws IOException, SchedulerException {
    scheduler.start();
    control = ControlServer.start(runtimeDir.resolve(SOCKET), this::handle);
    try {
      DaemonNote.write(sync.stateDir(), control.path());
    } catch (IOException e) {
      LoggerFactory.getLogger(SyncService.class).warn("cannot leave a note in {}: {}; refresh and status find this daemon "
          + "only by its runtime directory {}", sync.stateDir(), e.getMessage(), runtimeDir);
    }
  }

  int handle(ControlRequest request, Consumer<String> reply) {
    return switch (request.command()) {
      case REFRESH -> {
        SyncOutcome outcome = sync.sync(SyncRequest.manual(request.force(), request.source(),
            (received, total) -> reply.accept("progress " + received + " " + total)));
        reply.accept(outcome.describe());
        outcome.attempts().forEach(a -> reply.accept("  " + a));
        yield outcome.result().exitCode();
      }
      case STATUS -> {
        StatusView view = status();
        reply.accept(request.json() ? view.json() : view.text().stripTrailing());
        yield view.exitCode();
      }
    };
  }

  /** A NOTIFY from a primary (RFC 1996): check now rather than at the next timer. */
  public SyncOutcome notified(java.net.InetAddress primary) {
    SyncOutcome outcome = sync.sync(SyncRequest.manual(false, null, null));
    NOTIFIED.log("NOTIFY from {}: {}", primary.getHostAddress(), outcome.describe());
    return outcome;
  }

  public StatusView status() {
    ZoneSnapshot current = published.current().orElse(null);
    // a withdrawn zone is still shown, marked as not serving
    return new StatusView(current == null ? sync.heldMetadata() : current.metadata(), current != null, sync.status(),
        sync.running().orElse(null), scheduler.nextCheck().orElse(null), clock.instant(),
        current == null ? NoZoneServed.advice(meanwhile) : null);
  }

  /**
   * Removes the control socket and stops the schedule, abandoning a sync under way: it writes
   * nothing more, and a write to the store already under way is given {@link
   * SyncScheduler#STOP_WAIT} to end. Quick (well under a second): the process may end when it
   * returns, leaving only complete versions in the state directory.
   */
  @Override
  public void close() throws IOException, SchedulerException {
    try {
      if (control != null) {
        control.close();
        DaemonNote.remove(sync.stateDir());
      }
    } finally {
      if (!scheduler.close(SyncScheduler.STOP_WAIT)) {
        LoggerFactory.getLogger(SyncService.class).warn("stopping during a write to the state directory: "
            + "it is atomic, the next start keeps the old version or the new one whole");
      }
    }
  }
}
