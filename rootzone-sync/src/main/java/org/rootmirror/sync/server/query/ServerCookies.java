package org.rootmirror.sync.server.query;

import java.net.InetAddress;
import java.time.Clock;

/**
 * Makes server cookies in the interoperable format of RFC 9018 section 4: version 1, three
 * reserved bytes, a 32-bit timestamp in seconds, and SipHash-2-4 over the client cookie, those
 * eight bytes and the client's address, keyed with the server secret. The server never requires
 * a cookie (RFC 7873 section 5.2.3), so it issues a fresh one with every response instead of
 * checking the one the client returned.
 */
final class ServerCookies {
  /** Bytes in a client cookie (RFC 7873 section 4.1). */
  static final int CLIENT_LENGTH = 8;
  /** Bytes in the server cookies made here (RFC 9018 section 4). */
  static final int SERVER_LENGTH = 16;

  private final SipHash siphash;
  private final Clock clock;

  ServerCookies(byte[] secret, Clock clock) {
    this.siphash = new SipHash(secret);
    this.clock = clock;
  }

  /**
   * Writes the 16-byte server cookie for the client cookie at {@code in[clientCookie]} and the
   * client's address (null when unknown, as in tests) to {@code out[at]}.
   */
  void write(byte[] in, int clientCookie, InetAddress client, byte[] out, int at) {
    byte[] address = client == null ? new byte[0] : client.getAddress();
    byte[] hashed = new byte[CLIENT_LENGTH + 8 + address.length];
    System.arraycopy(in, clientCookie, hashed, 0, CLIENT_LENGTH);
    long seconds = Math.floorDiv(clock.millis(), 1000L); // serial-number arithmetic wraps it (RFC 1982)
    hashed[8] = 1; // version; hashed[9..11] reserved, zero
    hashed[12] = (byte) (seconds >>> 24);
    hashed[13] = (byte) (seconds >>> 16);
    hashed[14] = (byte) (seconds >>> 8);
    hashed[15] = (byte) seconds;
    System.arraycopy(address, 0, hashed, 16, address.length);
    long hash = siphash.hash(hashed, hashed.length);
    System.arraycopy(hashed, CLIENT_LENGTH, out, at, 8);
    for (int i = 0; i < 8; i++) {
      out[at + 8 + i] = (byte) (hash >>> (8 * i)); // SipHash output bytes are little-endian
    }
  }
}
