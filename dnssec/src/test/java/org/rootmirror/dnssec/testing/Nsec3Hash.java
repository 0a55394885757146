package org.rootmirror.dnssec.testing;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.xbill.DNS.Name;

/** NSEC3 hashing written out from RFC 5155 section 5, independent of dnsjava's, to check code that uses dnsjava's. */
public final class Nsec3Hash {
  private static final String BASE32HEX = "0123456789abcdefghijklmnopqrstuv";

  private Nsec3Hash() {}

  /** IH(salt, x, 0) = H(x || salt), IH(salt, x, k) = H(IH(salt, x, k-1) || salt), x the lower-cased wire name. */
  public static byte[] hash(Name name, int iterations, byte[] salt) {
    try {
      byte[] wire = Name.fromConstantString(name.toString().toLowerCase()).toWire();
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] h = sha1.digest(concat(wire, salt));
      for (int i = 0; i < iterations; i++) {
        h = sha1.digest(concat(h, salt));
      }
      return h;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The hashed owner label: the hash in base32hex without padding, lower case (RFC 4648 section 7). */
  public static String label(Name name, int iterations, byte[] salt) {
    return base32hex(hash(name, iterations, salt));
  }

  public static String base32hex(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(BASE32HEX.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(BASE32HEX.charAt((buffer << (5 - bits)) & 31));
    }
    return out.toString();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
