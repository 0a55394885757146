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
  private volatile ManagedKeys keys;

  private AnchorTracking(ManagedKeysStore store, ManagedKeys keys) {
    this.store = store;
    this.keys = keys;
  }

  /** These anchors, always. */
  public static AnchorTracking fixed(TrustAnchors anchors) {
    return new AnchorTracking(null, ManagedKeys.seeded(Name.root, anchors));
  }

  /**
   * The state kept in {@code stateDir}, or a new one seeded from {@code configured} when there is
   * none, or when it grew from other anchors than {@code configured} (the operator changed them:
   * their word wins, and tracking starts again from it).
   *
   * @throws IOException when the state file cannot be read or is damaged: the message names it and
   *     says how to start again; the sync must not guess which keys to trust
   */
  public static AnchorTracking open(Path stateDir, TrustAnchors configured) throws IOException {
    ManagedKeysStore store = new ManagedKeysStore(stateDir);
    Optional<ManagedKeys> kept;
    try {
      kept = store.read();
    } catch (IOException e) {
      throw new IOException("cannot use the tracked trust anchors: " + e.getMessage() + "; check the file, or remove "
          + store.file() + " to start again from the configured anchors", e);
    }
    if (kept.isPresent() && !kept.get().seed().fingerprint().equals(configured.fingerprint())) {
      log.warn("the trust anchors configured are not those {} grew from: tracking starts again from the configured ones",
          store.file());
      kept = Optional.empty();
    }
    return new AnchorTracking(store, kept.orElseGet(() -> ManagedKeys.seeded(Name.root, configured)));
  }

  /** The anchors in force. */
  public TrustAnchors trusted() {
    return keys.trusted();
  }

  /** The tracked state, for status and metrics. */
  public ManagedKeys keys() {
    return keys;
  }

  /** Whether this tracks at all (false: fixed anchors). */
  public boolean tracking() {
    return store != null;
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
    store.write(o.keys());
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
          + " install current anchors (root-anchors.xml from IANA, checked with `rootmirror anchor verify`) with --anchors,"
          + " which starts tracking again from them");
    }
  }
}
