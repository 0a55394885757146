package org.rootmirror.sync.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** SipHash-2-4 gives the reference outputs of Aumasson and Bernstein's paper and code. */
class SipHashTest {
  @Test
  void matchesTheReferenceVectors() {
    byte[] key = new byte[16];
    byte[] message = new byte[64];
    for (int i = 0; i < 16; i++) {
      key[i] = (byte) i;
    }
    for (int i = 0; i < 64; i++) {
      message[i] = (byte) i;
    }
    SipHash siphash = new SipHash(key);
    assertEquals(0x726fdb47dd0e0e31L, siphash.hash(message, 0), "empty message");
    assertEquals(0xa129ca6149be45e5L, siphash.hash(message, 15), "the paper's example, 15 bytes");
    assertEquals(0x93f5f5799a932462L, siphash.hash(message, 8), "one whole block");
  }
}
