package org.rootmirror.sync.accept;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.dnssec.rollover.KeyState;
import org.rootmirror.dnssec.rollover.ManagedKeys;
import org.rootmirror.sync.store.ManagedKeysStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;

/**
 * The root trust anchors the sync validates with. Tracked: RFC 5011 state in the state directory
 * ({@link ManagedKeysStore}), seeded from the configured or built-in anchors and then fed the DNSKEY
 * RRset of every zone accepted, so the anchors follow the root's key rollovers while the service
 * runs. Fixed: the anchors given, never changed (tests, and tools that validate one file).
 */
public final class AnchorTracking {
  private static final Logger log = LoggerFactory.getLogger(AnchorTracking.class);

  private final ManagedKeysStore store;
  private final TrustAnchors configured;
  private volatile ManagedKeys keys;
  /** The file's text as this process last read or wrote it: another text is someone else's write. */
  private String known;

  private AnchorTracking(ManagedKeysStore store, TrustAnchors configured, ManagedKeys keys, String known) {
    this.store = store;
    this.configured = configured;
    this.keys = keys;
    this.known = known;
  }

  /** These anchors, always. */
  public static AnchorTracking fixed(TrustAnchors anchors) {
    return new AnchorTracking(null, anchors, ManagedKeys.seeded(Name.root, anchors), "");
  }

  /**
   * The state kept in {@code stateDir}; a new one seeded from {@code configured} when there is
   * none, or when it was made under other configured anchors (the operator changed them: their
   * word wins, and tracking starts again from it).
   *
   * @throws IOException when the state file cannot be read or is damaged: the message names it and
   *     says how to start again; the sync must not guess which keys to trust
   */
  public static AnchorTracking open(Path stateDir, TrustAnchors configured) throws IOException {
    ManagedKeysStore store = new ManagedKeysStore(stateDir);
    AnchorTracking tracking = new AnchorTracking(store, configured, ManagedKeys.seeded(Name.root, configured), "");
    tracking.adopt(read(store));
    return tracking;
  }

  /**
   * Replaces the state in {@code stateDir} with {@code anchors}, verified by the caller (RFC 9718:
   * IANA's signed root-anchors.xml), as a new seed; {@code configured} is what the operator
   * configures, recorded so that the next start keeps this seed. A running daemon takes it at its
   * next sync.
   */
  public static void install(Path stateDir, TrustAnchors configured, TrustAnchors anchors) throws IOException {
    new ManagedKeysStore(stateDir).write(ManagedKeys.seeded(Name.root, anchors), configured.fingerprint());
  }

  /** The anchors in force. */
  public TrustAnchors trusted() {
    return keys.trusted();
  }

  /** The tracked state, for status and metrics. */
  public ManagedKeys keys() {
    return keys;
  }

  /**
   * Takes in a state another process wrote since ({@code rootmirror anchor update}); called before
   * each sync.
   *
   * @throws IOException as {@link #open} does
   */
  public synchronized void reload() throws IOException {
    if (store != null) {
      adopt(read(store));
    }
  }

  /**
   * Takes in the apex DNSKEY RRset of a zone that validated under {@link #trusted()}, and keeps the
   * new state.
   *
   * @throws IOException when the new state cannot be written (the old one stays on disk)
   */
  public synchronized void observe(RRset dnskeys, Instant now) throws IOException {
    if (store == null || dnskeys == null) {
      return;
    }
    ManagedKeys.Observation o = keys.observe(dnskeys, now);
    known = store.write(o.keys(), configured.fingerprint());
    keys = o.keys();
    for (ManagedKeys.Change c : o.changes()) {
      KeyState to = c.after() == null ? null : c.after().state();
      if (to == KeyState.MISSING || to == KeyState.REVOKED) {
        log.warn("root trust anchor {}", c);
      } else {
        log.info("root trust anchor {}", c);
      }
    }
    if (keys.trusted().all().isEmpty()) {
      log.error("no root key is trusted any more (every tracked key is revoked or removed): no zone will be accepted;"
          + " install current anchors with `rootmirror anchor update`, or name them with --anchors (IANA's root-anchors.xml,"
          + " checked with `rootmirror anchor verify`)");
    }
  }

  private synchronized void adopt(Optional<ManagedKeysStore.Kept> kept) {
    if (kept.isEmpty() || kept.get().text().equals(known)) {
      return;
    }
    known = kept.get().text();
    if (!kept.get().configured().equals(configured.fingerprint())) {
      log.warn("the trust anchors configured are not those {} was made under: tracking starts again from the configured ones",
          store.file());
      keys = ManagedKeys.seeded(Name.root, configured);
      return;
    }
    if (keys.started() || !keys.seed().fingerprint().equals(kept.get().keys().seed().fingerprint())) {
      log.info("root trust anchors read from {}: {} in force", store.file(), kept.get().keys().trusted().all().size());
    }
    keys = kept.get().keys();
  }

  private static Optional<ManagedKeysStore.Kept> read(ManagedKeysStore store) throws IOException {
    try {
      return store.read();
    } catch (IOException e) {
      throw new IOException("cannot use the tracked trust anchors: " + e.getMessage() + "; check the file, or remove "
          + store.file() + " to start again from the configured anchors", e);
    }
  }
}
