package org.rootmirror.sync.server.xfr;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.rootmirror.sync.server.ResponseSink;
import org.rootmirror.sync.server.limit.LimitedLog;
import org.rootmirror.sync.server.net.Addresses;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * NOTIFY in (RFC 1996): a configured primary's is acknowledged and starts a sync, others' refused.
 *
 * <p>A NOTIFY for the root zone from a configured primary is acknowledged and starts a sync through
 * the callback; from anyone else it is answered REFUSED and changes nothing. RFC 1996 section 3.10
 * says to ignore such a NOTIFY; REFUSED is what NSD answers, and it tells a misconfigured primary
 * why nothing happens. After an acknowledged NOTIFY the mirror behaves as if the refresh interval
 * had come (RFC 1996 section 3.11).
 *
 * <p>The callback runs on a virtual thread of its own, never on the listener's, and at most one runs
 * at a time: NOTIFYs that arrive while it runs (a primary retransmitting, several primaries) make
 * it run once more afterwards, not once each. What a sync fetches is the callback's business; the
 * AXFR and IXFR sources ask for the SOA first, so a NOTIFY for a serial already held costs a query.
 *
 * <p>A NOTIFY comes over UDP, whose source anyone can forge: what it logs, refused or accepted,
 * is limited to a few lines a minute of each kind and a count of the rest ({@link LimitedLog}).
 */
public final class NotifyReceiver {
  private static final LimitedLog LOG = LimitedLog.of(LoggerFactory.getLogger(NotifyReceiver.class));

  private static final int IDLE = 0;
  private static final int RUNNING = 1;
  private static final int RUN_AGAIN = 2;

  private final AddressAcl primaries;
  private final Consumer<InetAddress> onNotify;
  private final AtomicInteger state = new AtomicInteger(IDLE);
  private final AtomicReference<InetAddress> lastFrom = new AtomicReference<>();
  private final LimitedLog.Kind refused;
  private final LimitedLog.Kind accepted;
  private final LimitedLog.Kind syncFailed;

  /**
   * @param primaries who may send NOTIFY: the addresses of the primaries the sync fetches from
   * @param onNotify starts a sync; given the primary that sent the NOTIFY
   */
  public NotifyReceiver(AddressAcl primaries, Consumer<InetAddress> onNotify) {
    this(primaries, onNotify, LOG);
  }

  /** As the public constructor, logging to {@code limited}: for tests, with their own clock. */
  NotifyReceiver(AddressAcl primaries, Consumer<InetAddress> onNotify, LimitedLog limited) {
    this.primaries = Objects.requireNonNull(primaries, "primaries");
    this.onNotify = Objects.requireNonNull(onNotify, "onNotify");
    this.refused = limited.kind(Level.INFO, "NOTIFY refused, not from a configured primary");
    this.accepted = limited.kind(Level.INFO, "NOTIFY from a primary");
    this.syncFailed = limited.kind(Level.WARN, "syncs started by NOTIFY that failed");
  }

  /** Refuses every NOTIFY: for a mirror that has no primary to hear from. */
  public static NotifyReceiver refusingAll() {
    return new NotifyReceiver(AddressAcl.none(), from -> { });
  }

  /** Answers one NOTIFY (opcode 4, QR clear, already decoded). */
  void handle(Message query, InetSocketAddress client, ResponseSink out) throws IOException {
    Record question = query.getQuestion();
    if (question == null) {
      out.send(Replies.error(query, Rcode.FORMERR)); // RFC 1996 section 3.7: QDCOUNT > 0
      return;
    }
    if (!primaries.allows(client.getAddress())) {
      refused.log("NOTIFY for {} from {} refused: not a configured primary", question.getName(), Addresses.show(client));
      out.send(Replies.error(query, Rcode.REFUSED));
      return;
    }
    if (question.getDClass() != DClass.IN || question.getType() != Type.SOA) {
      // RFC 1996 section 3.11: the only NOTIFY event defined is a changed SOA; the root zone is class IN
      out.send(Replies.error(query, Rcode.REFUSED));
      return;
    }
    if (!question.getName().equals(Name.root)) {
      out.send(Replies.error(query, Rcode.NOTAUTH)); // not a zone this server holds
      return;
    }
    out.send(Replies.notifyAcknowledged(query));
    accepted.log("NOTIFY from primary {}: starting a sync", Addresses.show(client));
    trigger(client.getAddress());
  }

  private void trigger(InetAddress from) {
    lastFrom.set(from);
    if (state.getAndUpdate(s -> s == IDLE ? RUNNING : RUN_AGAIN) == IDLE) {
      Thread.ofVirtual().name("rootmirror-notify-sync").start(this::drain);
    }
  }

  private void drain() {
    do {
      try {
        onNotify.accept(lastFrom.get());
      } catch (RuntimeException e) {
        syncFailed.failure(e, "the sync started by a NOTIFY failed");
      }
      // RUN_AGAIN -> RUNNING: go round once more; RUNNING -> IDLE: done
    } while (state.getAndUpdate(s -> s == RUN_AGAIN ? RUNNING : IDLE) == RUN_AGAIN);
  }
}
