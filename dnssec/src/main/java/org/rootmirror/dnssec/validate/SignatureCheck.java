package org.rootmirror.dnssec.validate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rootmirror.dnssec.zone.Zone;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;

/**
 * Check 2: every authoritative RRset has at least one RRSIG that verifies with a zone key and is
 * valid at the validation time; unsigned authoritative data is an error. RRsets are checked in
 * parallel: the work is independent and CPU-bound.
 */
final class SignatureCheck {
  /** What checking one RRset found. */
  private record Result(Problem problem, Instant expiry) {}

  final List<Problem> problems = new ArrayList<>();
  Instant expiry;
  int signaturesVerified;

  static SignatureCheck run(Zone zone, ZoneShape shape, RRsetVerifier verifier) {
    List<RRset> work = new ArrayList<>();
    for (Map.Entry<Name, Map<Integer, RRset>> e : zone.nodes().entrySet()) {
      Name name = e.getKey();
      Map<Integer, RRset> node = e.getValue();
      for (RRset set : node.values()) {
        if (!shape.authoritative(name, set.getType())) {
          continue; // signatures over non-authoritative data are ZoneShape's to report
        }
        work.add(set);
      }
    }
    List<Result> results = work.parallelStream().map(set -> check(set, verifier)).filter(Objects::nonNull).toList();
    SignatureCheck check = new SignatureCheck();
    for (Result r : results) {
      if (r.problem != null) {
        check.problems.add(r.problem);
      } else {
        check.signaturesVerified++;
        if (check.expiry == null || r.expiry.isBefore(check.expiry)) {
          check.expiry = r.expiry;
        }
      }
    }
    return check;
  }

  private static Result check(RRset set, RRsetVerifier verifier) {
    Name name = set.getName();
    int type = set.getType();
    if (set.size() == 0) {
      return new Result(Problem.error(name, type, Reason.ORPHAN_SIGNATURE, "RRSIG without the RRset it covers"), null);
    }
    if (set.sigs().isEmpty()) {
      return new Result(Problem.error(name, type, Reason.NO_SIGNATURE, ""), null);
    }
    RRsetVerifier.Outcome outcome = verifier.verify(set);
    if (outcome.ok()) {
      return new Result(null, outcome.verified().getExpire());
    }
    List<RRsetVerifier.Failure> failures = outcome.failures();
    RRsetVerifier.Failure first = failures.get(0);
    String detail = failures.size() == 1
        ? first.detail()
        : String.join("; ", failures.stream().map(Object::toString).toList());
    return new Result(Problem.error(name, type, first.keyTag(), first.reason(), detail), null);
  }
}
