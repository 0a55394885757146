package org.rootmirror.dnssec.validate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.dnssec.zone.Zone;
import org.xbill.DNS.SOARecord;

/**
 * Validates a whole zone: zone, trust anchors and validation time in, report out; no I/O and no
 * clock. The checks: (1) the apex DNSKEY RRset is signed by a key a trust anchor names; (2) every
 * authoritative RRset has a valid signature by a zone key; (3) the NSEC chain is complete and its
 * bitmaps exact; (4) below delegations there is only glue; (5) ZONEMD matches; (6) only the
 * algorithms of {@link Algorithms} count. ZONEMD is computed while signatures are checked.
 */
public final class ZoneValidator {
  private final TrustAnchors anchors;
  private final boolean requireZonemd;

  /**
   * @param requireZonemd whether a zone without a verifiable ZONEMD record is invalid
   */
  public ZoneValidator(TrustAnchors anchors, boolean requireZonemd) {
    this.anchors = anchors;
    this.requireZonemd = requireZonemd;
  }

  public ValidationReport validate(Zone zone, Instant time) {
    long start = System.nanoTime(); // only to report the time taken
    CompletableFuture<ZonemdCheck> zonemd = CompletableFuture.supplyAsync(() -> ZonemdCheck.run(zone, requireZonemd));
    ZoneShape shape = ZoneShape.of(zone);
    KeyTrust trust = KeyTrust.check(zone, anchors, time);
    SignatureCheck signatures =
        SignatureCheck.run(zone, shape, new RRsetVerifier(zone.origin(), trust.zoneKeys, time));
    List<Problem> nsec = NsecChainCheck.run(zone, shape);
    ZonemdCheck digest = zonemd.join();

    List<Problem> problems = new ArrayList<>();
    problems.addAll(shape.problems);
    problems.addAll(trust.problems);
    problems.addAll(signatures.problems);
    problems.addAll(nsec);
    problems.addAll(digest.problems);
    Instant expiry = earliest(trust.expiry, signatures.expiry);
    SOARecord soa = zone.soa();
    ValidationReport.Counts counts = new ValidationReport.Counts(
        zone.records().size(),
        zone.nodes().values().stream().mapToInt(java.util.Map::size).sum(),
        shape.delegations.size(),
        shape.glue,
        shape.authoritative.size(),
        trust.signaturesVerified + signatures.signaturesVerified);
    return new ValidationReport(zone.origin(), soa == null ? -1 : soa.getSerial(), time, problems, counts,
        digest.outcome, expiry, Duration.ofNanos(System.nanoTime() - start));
  }

  private static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isBefore(b) ? a : b;
  }
}
