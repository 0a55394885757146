package org.rootmirror.sync.schedule;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.rootmirror.sync.accept.NoZoneServed;
import org.rootmirror.sync.accept.SyncOutcome;
import org.rootmirror.sync.accept.SyncRequest;
import org.rootmirror.sync.accept.ZoneSync;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.SOARecord;

/**
 * Runs the sync on Quartz: one scheduler, RAM job store, two jobs. The refresh job never runs twice
 * at once and re-arms itself from {@link Timers#nextCheck}; the expiry job withdraws the zone when
 * {@link Timers#expired} says so. Quartz fires on the system clock; every decision uses the
 * injected {@link Clock}, so tests decide what time it is.
 */
public final class SyncScheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SyncScheduler.class);
  private static final JobKey REFRESH = JobKey.jobKey("refresh", "rootmirror");
  private static final JobKey EXPIRY = JobKey.jobKey("expiry", "rootmirror");
  private static final TriggerKey REFRESH_TRIGGER = TriggerKey.triggerKey("refresh", "rootmirror");
  /** How often expiry is checked: signatures of the root expire on the hour. */
  static final Duration EXPIRY_CHECK = Duration.ofMinutes(1);
  /** How long {@link #close()} lets a write to the store under way finish: one write, fsync and rename. */
  public static final Duration STOP_WAIT = Duration.ofMillis(400);

  private final ZoneSync sync;
  private final PublishedZone published;
  private final Clock clock;
  private final RandomGenerator random;
  private final Scheduler scheduler;
  private final AtomicReference<Instant> nextCheck = new AtomicReference<>();
  private volatile long warnedSerial = -1;
  private final String meanwhile;

  public SyncScheduler(ZoneSync sync, PublishedZone published, Clock clock, RandomGenerator random) throws SchedulerException {
    this(sync, published, clock, random, NoZoneServed.MIRROR_MEANWHILE);
  }

  /** @param meanwhile what answers while no zone is served, for the warning (see {@link NoZoneServed}) */
  public SyncScheduler(ZoneSync sync, PublishedZone published, Clock clock, RandomGenerator random, String meanwhile)
      throws SchedulerException {
    this.meanwhile = meanwhile;
    this.sync = sync;
    this.published = published;
    this.clock = clock;
    this.random = random;
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", "rootmirror");
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    p.setProperty("org.quartz.threadPool.threadCount", "2");
    p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
    p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
    this.scheduler = new StdSchedulerFactory(p).getScheduler();
    scheduler.setJobFactory((bundle, s) -> bundle.getJobDetail().getKey().equals(REFRESH) ? new RefreshJob() : new ExpiryJob());
  }

  /**
   * Publishes the newest valid stored zone at once (no network), then starts checking: the first
   * check right away, expiry every minute.
   */
  public void start() throws SchedulerException, IOException {
    sync.loadStoredAtStart();
    JobDetail refresh = JobBuilder.newJob(RefreshJob.class).withIdentity(REFRESH).build();
    scheduler.scheduleJob(refresh, TriggerBuilder.newTrigger().withIdentity(REFRESH_TRIGGER).startNow().build());
    JobDetail expiry = JobBuilder.newJob(ExpiryJob.class).withIdentity(EXPIRY).build();
    Trigger everyMinute = TriggerBuilder.newTrigger().startNow()
        .withSchedule(SimpleScheduleBuilder.simpleSchedule()
            .withIntervalInMilliseconds(EXPIRY_CHECK.toMillis()).repeatForever().withMisfireHandlingInstructionNextWithRemainingCount())
        .build();
    scheduler.scheduleJob(expiry, everyMinute);
    nextCheck.set(clock.instant());
    scheduler.start();
  }

  /** When the next scheduled check is due, by the injected clock; empty before start. */
  public Optional<Instant> nextCheck() {
    return Optional.ofNullable(nextCheck.get());
  }

  /** Runs one scheduled check now and re-arms the timer from its outcome. */
  SyncOutcome refresh() {
    SyncOutcome outcome = sync.sync(SyncRequest.SCHEDULED);
    if (sync.stopping()) {
      return outcome; // abandoned: the scheduler is shut down, there is nothing to re-arm
    }
    if (outcome.result() == SyncOutcome.Result.BUSY) {
      return outcome; // an operator's refresh is running; it re-arms nothing, the next check stays
    }
    SOARecord soa = published.current().map(z -> z.zone().soa()).orElse(null);
    Duration wait = Timers.nextCheck(outcome, soa, random);
    nextCheck.set(clock.instant().plus(wait));
    if (!outcome.succeeded() && published.current().isEmpty()) {
      // issue 11: a failed first sync must not pass unnoticed at INFO
      log.warn("{}; {}; next try in {} s", outcome.describe(), NoZoneServed.advice(meanwhile), wait.toSeconds());
    } else {
      log.info("{}; next check in {} s", outcome.describe(), wait.toSeconds());
    }
    try {
      Trigger next = TriggerBuilder.newTrigger().withIdentity(REFRESH_TRIGGER).forJob(REFRESH)
          .startAt(Date.from(Instant.now().plus(wait))).build();
      scheduler.rescheduleJob(REFRESH_TRIGGER, next);
    } catch (SchedulerException e) {
      if (!sync.stopping()) { // else stopped meanwhile: no timer is wanted
        log.error("cannot re-arm the refresh timer: {}", e.getMessage());
      }
    }
    return outcome;
  }

  /** Withdraws the zone when it has expired; warns when it is about to. */
  void checkExpiry() {
    Optional<ZoneSnapshot> current = published.current();
    if (current.isEmpty()) {
      return;
    }
    ZoneSnapshot zone = current.get();
    Instant now = clock.instant();
    Optional<String> expired = Timers.expired(zone, sync.status().lastSuccess(), now);
    if (expired.isPresent()) {
      published.withdraw();
      log.error("zone withdrawn: {}; serving SERVFAIL until a valid zone is fetched", expired.get());
      return;
    }
    Optional<String> soon = Timers.expiringSoon(zone, now);
    if (soon.isPresent() && warnedSerial != zone.serial()) {
      warnedSerial = zone.serial();
      log.warn(soon.get());
    }
  }

  /**
   * Stops the timers and abandons a sync under way ({@link ZoneSync#stop}): waits up to {@code
   * wait} for a write to the store to end, never for a fetch or a validation.
   *
   * @return false when a write was still under way at the deadline
   */
  public boolean close(Duration wait) throws SchedulerException {
    boolean quiet = sync.stop(wait);
    // do not wait for the job's thread: Quartz would block until the abandoned sync returns
    scheduler.shutdown(false);
    return quiet;
  }

  @Override
  public void close() throws SchedulerException {
    close(STOP_WAIT);
  }

  /** Quartz's handle on {@link #refresh()}; never two at once. */
  @DisallowConcurrentExecution
  private final class RefreshJob implements Job {
    @Override
    public void execute(JobExecutionContext context) {
      refresh();
    }
  }

  /** Quartz's handle on {@link #checkExpiry()}. */
  @DisallowConcurrentExecution
  private final class ExpiryJob implements Job {
    @Override
    public void execute(JobExecutionContext context) {
      checkExpiry();
    }
  }
}
