package org.rootmirror.dnssec.validate;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rootmirror.dnssec.validate.ValidationReport.Zonemd;
import org.rootmirror.dnssec.validate.ValidationReport.Zonemd.State;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zonemd.ZoneDigest;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneMDRecord;

/**
 * Check 5: ZONEMD verification (RFC 8976 section 4). Stricter than the RFC in one way, on purpose:
 * every supported ZONEMD record must match, not just one, since a publisher never emits a wrong
 * digest and a mismatch means the data differs from what was digested.
 */
final class ZonemdCheck {
  final List<Problem> problems = new ArrayList<>();
  Zonemd outcome;

  static ZonemdCheck run(Zone zone, boolean required) {
    ZonemdCheck c = new ZonemdCheck();
    c.check(zone, required);
    return c;
  }

  private void check(Zone zone, boolean required) {
    Name origin = zone.origin();
    List<Record> records = zone.apex(Type.ZONEMD);
    if (records.isEmpty()) {
      if (required) {
        problems.add(Problem.error(origin, Type.ZONEMD, Reason.ZONEMD_MISSING, ""));
      }
      outcome = new Zonemd(State.ABSENT, "");
      return;
    }
    SOARecord soa = zone.soa();
    List<ZoneMDRecord> supported = new ArrayList<>();
    List<String> unsupported = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    boolean malformed = false;
    for (Record r : records) {
      ZoneMDRecord z = (ZoneMDRecord) r;
      String what = describe(z);
      if (soa != null && z.getSerial() != soa.getSerial()) {
        problems.add(Problem.error(origin, Type.ZONEMD, Reason.ZONEMD_SERIAL_MISMATCH,
            what + " has serial " + z.getSerial() + ", SOA has " + soa.getSerial()));
        malformed = true;
      }
      // RFC 8976 section 2.4: at most one record per scheme and hash algorithm
      if (!seen.add(z.getScheme() << 8 | z.getHashAlgorithm())) {
        problems.add(Problem.error(origin, Type.ZONEMD, Reason.ZONEMD_DUPLICATE, what));
        malformed = true;
      }
      if (ZoneDigest.supported(z.getScheme(), z.getHashAlgorithm())) {
        supported.add(z);
      } else {
        unsupported.add(what);
      }
    }
    if (!unsupported.isEmpty()) {
      // not passed silently: an error when ZONEMD is required and nothing else can be verified
      boolean fatal = required && supported.isEmpty();
      String detail = String.join(", ", unsupported);
      problems.add(fatal
          ? Problem.error(origin, Type.ZONEMD, Reason.ZONEMD_UNSUPPORTED, detail)
          : Problem.warning(origin, Type.ZONEMD, Reason.ZONEMD_UNSUPPORTED, detail));
    }
    if (supported.isEmpty()) {
      outcome = new Zonemd(malformed ? State.FAILED : State.UNSUPPORTED, String.join(", ", unsupported));
      return;
    }
    int[] hashes = supported.stream().mapToInt(ZoneMDRecord::getHashAlgorithm).distinct().toArray();
    Map<Integer, byte[]> digests = ZoneDigest.compute(origin, zone.records(), hashes);
    List<String> verified = new ArrayList<>();
    for (ZoneMDRecord z : supported) {
      byte[] computed = digests.get(z.getHashAlgorithm());
      if (MessageDigest.isEqual(computed, z.getDigest())) {
        verified.add(describe(z));
      } else {
        problems.add(Problem.error(origin, Type.ZONEMD, Reason.DIGEST_MISMATCH,
            describe(z) + ": computed " + HexFormat.of().formatHex(computed, 0, 8) + "..., record has "
                + HexFormat.of().formatHex(z.getDigest(), 0, Math.min(8, z.getDigest().length)) + "..."));
        malformed = true;
      }
    }
    outcome = malformed ? new Zonemd(State.FAILED, String.join(", ", verified)) : new Zonemd(State.VERIFIED, String.join(", ", verified));
  }

  private static String describe(ZoneMDRecord z) {
    String scheme = z.getScheme() == ZoneDigest.SCHEME_SIMPLE ? "SIMPLE" : "scheme " + z.getScheme();
    String hash = switch (z.getHashAlgorithm()) {
      case ZoneDigest.HASH_SHA384 -> "SHA-384";
      case ZoneDigest.HASH_SHA512 -> "SHA-512";
      default -> "hash " + z.getHashAlgorithm();
    };
    return scheme + " " + hash;
  }
}
