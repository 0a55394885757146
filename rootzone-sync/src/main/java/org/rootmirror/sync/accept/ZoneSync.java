package org.rootmirror.sync.accept;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.dnssec.validate.Problem;
import org.rootmirror.dnssec.validate.ValidationReport;
import org.rootmirror.dnssec.validate.ZoneValidator;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.rootmirror.sync.accept.SyncOutcome.Result;
import org.rootmirror.sync.changes.ChangeCounters;
import org.rootmirror.sync.changes.ChangeRecorder;
import org.rootmirror.sync.source.FetchContext;
import org.rootmirror.sync.source.FetchException;
import org.rootmirror.sync.source.FetchResult;
import org.rootmirror.sync.source.Known;
import org.rootmirror.sync.source.ZoneSource;
import org.rootmirror.sync.store.PublishedZone;
import org.rootmirror.sync.store.StoredZone;
import org.rootmirror.sync.store.ZoneMetadata;
import org.rootmirror.sync.store.ZoneSnapshot;
import org.rootmirror.sync.store.ZoneStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Serial;
import org.xbill.DNS.Type;

/**
 * The sync pipeline: fetch, parse, validate (at the clock's time), refuse an older serial unless
 * forced, store, publish. Sources are tried in order until one gives a valid zone or says the
 * held one is current; a zone that fails any check is kept under rejected/ and never served.
 */
public final class ZoneSync {
  private static final Logger log = LoggerFactory.getLogger(ZoneSync.class);

  private final List<ZoneSource> sources;
  private final Function<URI, ZoneSource> adHoc;
  private final ZoneStore store;
  private final PublishedZone published;
  private final AnchorTracking anchors;
  private final Clock clock;
  private final SyncPolicy policy;
  private final Agreement agreement;
  private final AtomicReference<SyncStatus> status = new AtomicReference<>(SyncStatus.NEVER);
  private final SyncCounters counters = new SyncCounters();
  private final ChangeRecorder changes;
  private final Object startLock = new Object();
  private boolean storedLoaded;
  private final StopGate gate = new StopGate();
  private final AtomicReference<SyncRunning> running = new AtomicReference<>();

  /**
   * @param adHoc makes a source for a URI given with {@code --source} that is not configured
   * @param anchors the trust anchors, fixed: never tracked, nothing written
   */
  public ZoneSync(List<ZoneSource> sources, Function<URI, ZoneSource> adHoc, ZoneStore store,
      PublishedZone published, TrustAnchors anchors, Clock clock, SyncPolicy policy) {
    this(sources, adHoc, store, published, AnchorTracking.fixed(anchors), clock, policy);
  }

  /**
   * @param adHoc makes a source for a URI given with {@code --source} that is not configured
   * @param anchors the trust anchors, tracked (RFC 5011) from the zones this accepts
   */
  public ZoneSync(List<ZoneSource> sources, Function<URI, ZoneSource> adHoc, ZoneStore store,
      PublishedZone published, AnchorTracking anchors, Clock clock, SyncPolicy policy) {
    this.sources = List.copyOf(sources);
    this.adHoc = adHoc;
    this.store = store;
    this.published = published;
    this.anchors = anchors;
    this.clock = clock;
    this.policy = policy;
    this.agreement = new Agreement(policy);
    this.changes = new ChangeRecorder(store);
  }

  /** The trust anchors this validates with, and their tracking. */
  public AnchorTracking anchors() {
    return anchors;
  }

  public SyncStatus status() {
    return status.get();
  }

  /** The sync under way (holding the writer lock in this process), if any. */
  public Optional<SyncRunning> running() {
    return Optional.ofNullable(running.get());
  }

  /** What each source gave, by result, since this sync was made. */
  public SyncCounters counters() {
    return counters;
  }

  /** What the versions published since this sync was made changed: TLDs and DS records added and removed. */
  public ChangeCounters changeCounters() {
    return changes.counters();
  }

  public List<ZoneSource> sources() {
    return sources;
  }

  /** The state directory the zones are stored in. */
  public java.nio.file.Path stateDir() {
    return store.dir();
  }

  /**
   * Publishes the newest stored version that is still valid at the clock's time, without the
   * network; empty when there is none (never synced, or everything stored has expired). One
   * unchanged since it was validated under these anchors is published before it is validated
   * again ({@link StoredZoneStart}).
   */
  public Optional<ZoneSnapshot> loadStored() throws IOException {
    return new StoredZoneStart(store, published, anchors.trusted().fingerprint(), this::validator, clock).load();
  }

  /**
   * {@link #loadStored} once per process, however many callers ask: the first loads, the others
   * wait for it and get what it published. Lets {@code run} start reading the stored zone before
   * its listeners while the schedule still does it first thing when started on its own.
   */
  public Optional<ZoneSnapshot> loadStoredAtStart() throws IOException {
    synchronized (startLock) {
      if (storedLoaded) {
        return published.current();
      }
      storedLoaded = true;
      return loadStored();
    }
  }

  private void republishStored() {
    try {
      loadStored();
    } catch (IOException e) {
      log.warn("cannot reload the stored zone: {}", e.getMessage());
    }
  }

  /**
   * Abandons the syncs running: nothing is written to the store from now on, a write under way
   * is waited for up to {@code wait}, and the syncs fetching or validating are interrupted. Every
   * sync after this one fails at once. The process may end when this returns.
   *
   * @return false when a write was still under way at the deadline (it is atomic all the same)
   */
  public boolean stop(Duration wait) {
    return gate.stop(wait);
  }

  /** Whether {@link #stop} was called: outcomes from now on are abandoned syncs, not failures. */
  public boolean stopping() {
    return gate.stopped();
  }

  /** Runs one sync under the store's writer lock; BUSY when another sync holds it. */
  public SyncOutcome sync(SyncRequest request) {
    gate.enter();
    long start = System.nanoTime();
    try {
      return gate.stopped() ? abandoned(start) : syncUnlocked(request);
    } catch (RuntimeException e) {
      if (gate.stopped()) {
        // a library refusing work once the JVM shuts down (dnsjava cannot add its shutdown hook
        // then): part of the stop, not a fault to report with a stack trace
        return abandoned(start);
      }
      throw e;
    } finally {
      gate.leave();
    }
  }

  private SyncOutcome syncUnlocked(SyncRequest request) {
    long start = System.nanoTime();
    Optional<ZoneStore.WriterLock> lock;
    try {
      lock = store.lock(request.lockWait().toMillis());
    } catch (IOException e) {
      return finish(Result.FAILED, heldSerial(), null, "cannot take the writer lock: " + e.getMessage(), List.of(), start);
    }
    if (lock.isEmpty()) {
      return finish(Result.BUSY, heldSerial(), null, "another sync is running", List.of(), start);
    }
    try (ZoneStore.WriterLock held = lock.get()) {
      running.set(new SyncRunning(clock.instant(), null));
      return syncLocked(request, start);
    } catch (IOException e) {
      return finish(Result.FAILED, heldSerial(), null, "releasing the writer lock: " + e.getMessage(), List.of(), start);
    } finally {
      running.set(null);
    }
  }

  private SyncOutcome syncLocked(SyncRequest request, long start) {
    try {
      anchors.reload(); // `rootmirror anchor update` may have installed new anchors since
    } catch (IOException e) {
      return finish(Result.FAILED, heldSerial(), null, e.getMessage(), List.of(), start);
    }
    ZoneMetadata held = heldMetadata();
    long heldSerial = held == null ? -1 : held.serial();
    List<String> attempts = new ArrayList<>();
    for (ZoneSource source : candidates(request, attempts)) {
      running.updateAndGet(r -> new SyncRunning(r == null ? clock.instant() : r.since(), source.uri()));
      Attempt attempt = attempt(source, held, request);
      if (gate.stopped()) {
        return abandoned(start); // whatever the source gave, or failed with for being interrupted
      }
      switch (attempt) {
        case Attempt.Unchanged u -> {
          counters.record(source.uri(), SyncCounters.UNCHANGED);
          if (published.current().isEmpty()) {
            republishStored(); // withdrawn for want of a check; a confirmed zone may serve again
          }
          return finish(Result.UNCHANGED, heldSerial, source.uri(), u.why(), attempts, start);
        }
        case Attempt.Failed f -> {
          counters.record(source.uri(), f.result());
          log.warn("source {} failed: {}", source.uri(), f.why());
          attempts.add(source.uri() + ": " + f.why());
        }
        case Attempt.Valid v -> {
          Optional<String> disagreement = agreement.check(v, source, sources, request);
          if (disagreement.isPresent()) {
            counters.record(source.uri(), SyncCounters.DISAGREEMENT);
            attempts.add(source.uri() + ": " + disagreement.get());
            return finish(Result.FAILED, heldSerial, null, disagreement.get(), attempts, start);
          }
          // the version held, when it is the one served: what the new one changed is measured from it
          Zone heldZone = published.current().filter(s -> held != null && s.serial() == held.serial()).map(ZoneSnapshot::zone).orElse(null);
          try {
            ZoneMetadata meta = gate.write(() -> {
              // RFC 5011: the apex DNSKEY RRset just validated moves the tracked anchors on, before
              // the metadata records which anchors the zone is valid under
              anchors.observe(v.zone().rrset(v.zone().origin(), Type.DNSKEY), clock.instant());
              return store.save(v.text(), metadata(v, source));
            }).metadata();
            ZoneSnapshot snapshot = new ZoneSnapshot(v.zone(), meta, v.report());
            published.publish(snapshot);
            counters.record(source.uri(), SyncCounters.UPDATED);
            log.info("published {} from {}: {}", meta.serial(), source.uri(), v.report().summary());
            recordChanges(held, heldZone, snapshot);
            return finish(Result.UPDATED, heldSerial, source.uri(), v.report().summary(), attempts, start, meta.serial());
          } catch (IOException e) {
            counters.record(source.uri(), SyncCounters.STORE);
            attempts.add(source.uri() + ": cannot store: " + e.getMessage());
            return finish(Result.FAILED, heldSerial, null, "cannot store the zone: " + e.getMessage(), attempts, start);
          } catch (StopGate.Stopped e) {
            return abandoned(start);
          }
        }
      }
    }
    String why = attempts.isEmpty() ? "no source to try" : "every source failed";
    return finish(Result.FAILED, heldSerial, null, why, attempts, start);
  }

  /** Adds what {@code now} changed to the change log; a failure there is logged, and never fails the sync. */
  private void recordChanges(ZoneMetadata held, Zone heldZone, ZoneSnapshot now) {
    try {
      gate.write(() -> changes.record(held, heldZone, now));
    } catch (IOException e) {
      log.warn("published {}, but cannot record what it changed: {}", now.serial(), e.getMessage());
    } catch (RuntimeException e) {
      log.error("published {}, but recording what it changed failed (a bug)", now.serial(), e);
    } catch (StopGate.Stopped e) {
      // stopping: this serial goes unrecorded, and the next one is compared with it all the same
    }
  }

  private List<ZoneSource> candidates(SyncRequest request, List<String> attempts) {
    if (request.onlySource() == null) {
      return sources;
    }
    for (ZoneSource s : sources) {
      if (s.uri().equals(request.onlySource())) {
        return List.of(s);
      }
    }
    try {
      return List.of(adHoc.apply(request.onlySource()));
    } catch (IllegalArgumentException e) {
      counters.record(request.onlySource(), SyncCounters.UNSUPPORTED);
      attempts.add(request.onlySource() + ": " + e.getMessage());
      return List.of();
    }
  }

  /** One source, fetch to validated zone. */
  Attempt attempt(ZoneSource source, ZoneMetadata held, SyncRequest request) {
    boolean conditional = held != null && !request.force();
    Known known = conditional ? known(held, source) : Known.NOTHING;
    Zone current = conditional ? published.current().map(ZoneSnapshot::zone).orElse(null) : null;
    FetchResult result;
    try {
      result = source.fetch(new FetchContext(policy.limits(), known, current, request.progress()));
    } catch (FetchException e) {
      return new Attempt.Failed(SyncCounters.failed(e.kind()), e.problem());
    }
    if (result instanceof FetchResult.Unchanged u) {
      return new Attempt.Unchanged(u.why());
    }
    FetchResult.Fetched fetched = (FetchResult.Fetched) result;
    Zone zone;
    try {
      zone = ZoneFile.parse(fetched.text(), source.uri().toString(), Name.root);
    } catch (IOException e) {
      reject(fetched.text(), OptionalLong.empty(), source, "unparsable: " + e.getMessage());
      return new Attempt.Failed(SyncCounters.UNPARSABLE, "unparsable: " + e.getMessage());
    }
    boolean requireZonemd = held != null && held.zonemdVerified();
    ValidationReport report = validator(requireZonemd).validate(zone, clock.instant());
    if (!report.valid()) {
      reject(fetched.text(), report.serial() >= 0 ? OptionalLong.of(report.serial()) : OptionalLong.empty(), source, report(report));
      return new Attempt.Failed(SyncCounters.INVALID, report.summary());
    }
    long serial = report.serial();
    if (held != null && !request.force()) {
      // RFC 1982 serial arithmetic: the root's serial is a date and wraps only in theory
      if (Serial.compare(serial, held.serial()) < 0) {
        return new Attempt.Failed(SyncCounters.OLDER_SERIAL, "serial " + serial + " is older than the held " + held.serial() + " (use --force to accept)");
      }
      if (serial == held.serial()) {
        return new Attempt.Unchanged("serial " + serial + " is the one held");
      }
    }
    return new Attempt.Valid(zone, fetched.text(), fetched, report);
  }

  private ZoneValidator validator(boolean zonemdSeen) {
    // RFC 8976 gives no downgrade protection: once a zone had a ZONEMD, one missing is an attack
    return new ZoneValidator(anchors.trusted(), policy.requireZonemd() || zonemdSeen);
  }

  private void reject(byte[] text, OptionalLong serial, ZoneSource source, String report) {
    Instant at = clock.instant();
    try {
      gate.write(() -> store.reject(text, serial, at, "source: " + source.uri() + "\nrejected at: " + at + "\n" + report + "\n"));
    } catch (IOException e) {
      log.warn("cannot keep the rejected zone from {}: {}", source.uri(), e.getMessage());
    } catch (StopGate.Stopped e) {
      // stopping: the rejected copy is only for the operator's eyes
    }
  }

  private static String report(ValidationReport report) {
    StringBuilder sb = new StringBuilder(report.summary()).append('\n');
    for (Problem p : report.problems()) {
      sb.append(p).append('\n');
    }
    return sb.toString();
  }

  private ZoneMetadata metadata(Attempt.Valid v, ZoneSource source) {
    ValidationReport r = v.report();
    return new ZoneMetadata(r.serial(), source.uri(), null /* the store computes it */, clock.instant(), r.summary(), r.earliestExpiry(),
        r.zonemd().state() == ValidationReport.Zonemd.State.VERIFIED, v.fetched().etag(), v.fetched().modified(), anchors.trusted().fingerprint());
  }

  /** The validators to send: only those this same source gave for the zone held. */
  private static Known known(ZoneMetadata held, ZoneSource source) {
    boolean same = source.uri().equals(held.source());
    return new Known(held.serial(), same ? held.etag() : null, same ? held.modified() : null, -1);
  }

  /**
   * The published zone's metadata, else the newest stored one's (an expired zone still sets the
   * floor for serials); null when nothing was ever stored.
   */
  public ZoneMetadata heldMetadata() {
    Optional<ZoneSnapshot> current = published.current();
    if (current.isPresent()) {
      return current.get().metadata();
    }
    try {
      return store.newest().map(StoredZone::metadata).orElse(null);
    } catch (IOException e) {
      log.warn("cannot list stored zones: {}", e.getMessage());
      return null;
    }
  }

  private long heldSerial() {
    ZoneMetadata held = heldMetadata();
    return held == null ? -1 : held.serial();
  }

  /** A sync given up because the daemon is stopping: the zone held stays as it was, on disk and served. */
  private SyncOutcome abandoned(long start) {
    long held = heldSerial();
    return new SyncOutcome(Result.FAILED, held, held, null, "abandoned: rootmirror is stopping", List.of(), clock.instant(),
        Duration.ofNanos(System.nanoTime() - start));
  }

  private SyncOutcome finish(Result result, long oldSerial, URI source, String summary, List<String> attempts, long start) {
    return finish(result, oldSerial, source, summary, attempts, start, oldSerial);
  }

  private SyncOutcome finish(Result result, long oldSerial, URI source, String summary, List<String> attempts, long start,
      long newSerial) {
    Instant now = clock.instant();
    SyncOutcome outcome = new SyncOutcome(result, oldSerial, newSerial, source, summary, attempts, now,
        Duration.ofNanos(System.nanoTime() - start));
    if (result != Result.BUSY) {
      status.updateAndGet(s -> s.after(outcome));
    }
    return outcome;
  }

  /** What trying one source gave. */
  sealed interface Attempt {
    record Valid(Zone zone, byte[] text, FetchResult.Fetched fetched, ValidationReport report) implements Attempt {}

    record Unchanged(String why) implements Attempt {}

    /** @param result the metrics label, e.g. {@code failed_timeout} */
    record Failed(String result, String why) implements Attempt {}
  }
}
