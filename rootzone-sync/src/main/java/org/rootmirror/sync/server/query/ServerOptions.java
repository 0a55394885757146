package org.rootmirror.sync.server.query;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

/**
 * How the server answers. {@link #defaults()}: UDP responses up to 1232 bytes; CHAOS {@code
 * id.server} and {@code hostname.bind} answer "rootmirror", {@code version.bind} answers
 * "rootmirror"; a random cookie secret made when the defaults are; the system clock in UTC.
 *
 * @param maxUdpPayload the largest UDP response, and the payload size the server's OPT record
 *     advertises (RFC 6891 section 6.2.5); 1232 by default, the DNS Flag Day 2020 value that
 *     avoids IP fragmentation; 512 to 65535
 * @param idServer the CHAOS TXT answer for {@code id.server.} (RFC 4892), or null to refuse it
 * @param hostnameBind the CHAOS TXT answer for {@code hostname.bind.}, or null to refuse it
 * @param versionBind the CHAOS TXT answer for {@code version.bind.}, or null to refuse it
 * @param cookieSecret the 16-byte SipHash key of server cookies (RFC 9018 section 4.4); servers
 *     that share an address should share it
 * @param clock where server cookies take their timestamps from (RFC 9018 section 4.3)
 */
public record ServerOptions(
    int maxUdpPayload, String idServer, String hostnameBind, String versionBind, byte[] cookieSecret, Clock clock) {
  public static final int DEFAULT_MAX_UDP_PAYLOAD = 1232;
  public static final String DEFAULT_IDENTITY = "rootmirror";

  public ServerOptions {
    if (maxUdpPayload < 512 || maxUdpPayload > 65535) {
      throw new IllegalArgumentException("maxUdpPayload must be 512 to 65535, not " + maxUdpPayload);
    }
    checkText("idServer", idServer);
    checkText("hostnameBind", hostnameBind);
    checkText("versionBind", versionBind);
    if (cookieSecret == null || cookieSecret.length != 16) {
      throw new IllegalArgumentException("the cookie secret must be 16 bytes");
    }
    cookieSecret = cookieSecret.clone();
    Objects.requireNonNull(clock, "clock");
  }

  public static ServerOptions defaults() {
    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    return new ServerOptions(DEFAULT_MAX_UDP_PAYLOAD, DEFAULT_IDENTITY, DEFAULT_IDENTITY, DEFAULT_IDENTITY, secret,
        Clock.systemUTC());
  }

  @Override
  public byte[] cookieSecret() {
    return cookieSecret.clone();
  }

  public ServerOptions withMaxUdpPayload(int bytes) {
    return new ServerOptions(bytes, idServer, hostnameBind, versionBind, cookieSecret, clock);
  }

  public ServerOptions withIdServer(String text) {
    return new ServerOptions(maxUdpPayload, text, hostnameBind, versionBind, cookieSecret, clock);
  }

  public ServerOptions withHostnameBind(String text) {
    return new ServerOptions(maxUdpPayload, idServer, text, versionBind, cookieSecret, clock);
  }

  public ServerOptions withVersionBind(String text) {
    return new ServerOptions(maxUdpPayload, idServer, hostnameBind, text, cookieSecret, clock);
  }

  /** Turns every CHAOS answer off: such queries are REFUSED. */
  public ServerOptions withoutChaos() {
    return new ServerOptions(maxUdpPayload, null, null, null, cookieSecret, clock);
  }

  public ServerOptions withCookieSecret(byte[] secret) {
    return new ServerOptions(maxUdpPayload, idServer, hostnameBind, versionBind, secret, clock);
  }

  public ServerOptions withClock(Clock c) {
    return new ServerOptions(maxUdpPayload, idServer, hostnameBind, versionBind, cookieSecret, c);
  }

  /** A TXT character-string holds at most 255 bytes (RFC 1035 section 3.3). */
  private static void checkText(String what, String text) {
    if (text != null && text.getBytes(StandardCharsets.UTF_8).length > 255) {
      throw new IllegalArgumentException(what + " is longer than a TXT string can be (255 bytes)");
    }
  }
}
