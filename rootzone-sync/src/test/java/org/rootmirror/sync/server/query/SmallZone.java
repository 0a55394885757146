package org.rootmirror.sync.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.rootmirror.sync.server.testing.HandlerClient;
import org.rootmirror.sync.server.testing.ServedZones;
import org.rootmirror.sync.store.PublishedZone;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;

/** What the protocol tests share: the small signed zone published, options with a fixed clock and secret, wire helpers. */
final class SmallZone {
  static final Instant NOW = Instant.parse("2026-08-01T12:00:00Z");
  static final ServerOptions OPTIONS = ServerOptions.defaults()
      .withCookieSecret("0123456789abcdef".getBytes()).withClock(Clock.fixed(NOW, ZoneOffset.UTC));

  private SmallZone() {}

  static PublishedZone published() {
    PublishedZone zone = new PublishedZone();
    zone.publish(ServedZones.small());
    return zone;
  }

  static HandlerClient client(PublishedZone published, ServerOptions options) {
    return new HandlerClient(new RootQueryHandler(published, options, null));
  }

  static CookieOption cookie(Message m) {
    List<EDNSOption> options = m.getOPT().getOptions(EDNSOption.Code.COOKIE);
    assertEquals(1, options.size());
    return (CookieOption) options.get(0);
  }

  static Message parse(byte[] wire) {
    try {
      return new Message(wire);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
