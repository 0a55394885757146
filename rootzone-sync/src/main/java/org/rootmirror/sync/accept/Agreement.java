package org.rootmirror.sync.accept;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.rootmirror.sync.source.FetchContext;
import org.rootmirror.sync.source.FetchException;
import org.rootmirror.sync.source.FetchResult;
import org.rootmirror.sync.source.Known;
import org.rootmirror.sync.source.ZoneSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneMDRecord;

/**
 * {@code require-agreement = N}: a new serial is accepted only when N different sources report
 * the same SOA serial and ZONEMD digest. Guards against one compromised or stale source that
 * still serves a validly signed zone (a replayed older one, or a withheld update).
 */
final class Agreement {
  private final SyncPolicy policy;

  Agreement(SyncPolicy policy) {
    this.policy = policy;
  }

  /** Empty when enough sources agree with {@code candidate}, else why not. */
  Optional<String> check(ZoneSync.Attempt.Valid candidate, ZoneSource from, List<ZoneSource> all, SyncRequest request) {
    int needed = policy.requireAgreement();
    if (needed <= 1) {
      return Optional.empty();
    }
    String want = fingerprint(candidate.zone());
    int agreeing = 1;
    List<String> others = new ArrayList<>();
    for (ZoneSource s : all) {
      if (s == from || s.uri().equals(from.uri())) {
        continue;
      }
      try {
        FetchResult r = s.fetch(new FetchContext(policy.limits(), Known.NOTHING, null, request.progress()));
        if (r instanceof FetchResult.Fetched f) {
          String got = fingerprint(ZoneFile.parse(f.text(), s.uri().toString(), Name.root));
          if (got.equals(want)) {
            agreeing++;
          } else {
            others.add(s.uri() + " reports " + got);
          }
        }
      } catch (FetchException | IOException e) {
        others.add(s.uri() + ": " + (e instanceof FetchException f ? f.problem() : e.getMessage()));
      }
      if (agreeing >= needed) {
        return Optional.empty();
      }
    }
    return Optional.of("only " + agreeing + " of the " + needed + " sources required agree on " + want
        + (others.isEmpty() ? "" : "; " + String.join("; ", others)));
  }

  /** "serial S, ZONEMD hex..." from the SOA and the apex ZONEMD records. */
  static String fingerprint(Zone zone) {
    String digests = zone.apex(Type.ZONEMD).stream()
        .map(r -> HexFormat.of().formatHex(((ZoneMDRecord) r).getDigest()))
        .sorted()
        .collect(Collectors.joining(","));
    long serial = zone.soa() == null ? -1 : zone.soa().getSerial();
    return "serial " + serial + ", ZONEMD " + (digests.isEmpty() ? "none" : digests);
  }
}
