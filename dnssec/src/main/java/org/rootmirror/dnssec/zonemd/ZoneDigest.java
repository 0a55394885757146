package org.rootmirror.dnssec.zonemd;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Computes the ZONEMD digest of a zone with the SIMPLE scheme (RFC 8976 section 3). dnsjava parses
 * ZONEMD records but does not compute them.
 */
public final class ZoneDigest {
  /** Scheme 1, SIMPLE (RFC 8976 section 5.3). */
  public static final int SCHEME_SIMPLE = 1;
  /** Hash algorithm 1, SHA-384 (RFC 8976 section 5.3). */
  public static final int HASH_SHA384 = 1;
  /** Hash algorithm 2, SHA-512 (RFC 8976 section 5.3). */
  public static final int HASH_SHA512 = 2;

  private ZoneDigest() {}

  /** Whether this implementation can compute digests for {@code scheme} and {@code hash}. */
  public static boolean supported(int scheme, int hash) {
    return scheme == SCHEME_SIMPLE && (hash == HASH_SHA384 || hash == HASH_SHA512);
  }

  /** The SIMPLE digest of the zone at {@code origin} made of {@code records}, with one hash algorithm. */
  public static byte[] compute(Name origin, Collection<? extends Record> records, int hash) {
    return compute(origin, records, new int[] {hash}).get(hash);
  }

  /**
   * The SIMPLE digests of the zone at {@code origin} made of {@code records}, one per hash
   * algorithm, computed in one pass over the canonical records.
   *
   * <p>RFC 8976 section 3.3: every record of the zone is included (glue, occluded data and RRSIGs
   * too) in canonical form and order (RFC 4034 sections 6.2 and 6.3), duplicates once, except the
   * apex ZONEMD RRset and the RRSIGs that cover it, and out-of-zone data.
   *
   * @throws IllegalArgumentException for a hash algorithm that is not supported
   */
  public static Map<Integer, byte[]> compute(
      Name origin, Collection<? extends Record> records, int... hashes) {
    MessageDigest[] digests = new MessageDigest[hashes.length];
    for (int i = 0; i < hashes.length; i++) {
      digests[i] = newDigest(hashes[i]);
    }
    Canonical[] sorted =
        records.parallelStream()
            .filter(r -> !excluded(origin, r))
            .map(Canonical::new)
            .sorted()
            .toArray(Canonical[]::new);
    Canonical previous = null;
    for (Canonical c : sorted) {
      if (previous != null && previous.sameRecord(c)) {
        continue; // RFC 8976 section 3.3.1.2: duplicate RRs are included once
      }
      for (MessageDigest d : digests) {
        d.update(c.wire);
      }
      previous = c;
    }
    Map<Integer, byte[]> result = new LinkedHashMap<>();
    for (int i = 0; i < hashes.length; i++) {
      result.put(hashes[i], digests[i].digest());
    }
    return result;
  }

  private static boolean excluded(Name origin, Record r) {
    if (!r.getName().equals(origin)) {
      // section 3.3.1.3 leaves out only the apex ZONEMD; out-of-zone data is not the zone's (3.1)
      return !r.getName().subdomain(origin);
    }
    return r.getType() == Type.ZONEMD
        || (r instanceof RRSIGRecord sig && sig.getTypeCovered() == Type.ZONEMD);
  }

  private static MessageDigest newDigest(int hash) {
    try {
      return switch (hash) {
        case HASH_SHA384 -> MessageDigest.getInstance("SHA-384");
        case HASH_SHA512 -> MessageDigest.getInstance("SHA-512");
        default -> throw new IllegalArgumentException("unsupported ZONEMD hash algorithm " + hash);
      };
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks a standard digest", e);
    }
  }

  /** A record in canonical wire form, ordered by owner name, type, then RDATA (RFC 4034 6.3). */
  private static final class Canonical implements Comparable<Canonical> {
    final Name name;
    final int type;
    final byte[] wire; // owner | type | class | TTL | RDLENGTH | RDATA, all canonical
    final int rdataStart;

    Canonical(Record r) {
      this.name = r.getName();
      this.type = r.getType();
      this.wire = r.toWireCanonical();
      this.rdataStart = name.length() + 10;
    }

    @Override
    public int compareTo(Canonical o) {
      int c = name.compareTo(o.name);
      if (c != 0) {
        return c;
      }
      c = Integer.compare(type, o.type);
      if (c != 0) {
        return c;
      }
      return Arrays.compareUnsigned(wire, rdataStart, wire.length, o.wire, o.rdataStart, o.wire.length);
    }

    boolean sameRecord(Canonical o) {
      // class is IN throughout a zone; owner, type and RDATA equal means a duplicate whatever the TTL
      return compareTo(o) == 0;
    }
  }
}
