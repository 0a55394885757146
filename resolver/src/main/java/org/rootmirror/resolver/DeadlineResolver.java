package org.rootmirror.resolver;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.rootmirror.resolver.iterate.ResolutionDeadline;
import org.xbill.DNS.RRset;

/**
 * The top of the stack: gives each client question one deadline for all the lookups it takes
 * (the answer, the keys and DS records the validator fetches, NS addresses), so that a client
 * gets SERVFAIL with Extended DNS Error 22 in time rather than silence when no authority answers.
 */
final class DeadlineResolver implements Resolver {
  private final Resolver inner;
  private final InstantSource time;
  private final Duration limit;

  DeadlineResolver(Resolver inner, InstantSource time, Duration limit) {
    this.inner = inner;
    this.time = time;
    this.limit = limit;
  }

  @Override
  public Resolution resolve(Question question, boolean checkingDisabled) {
    return ResolutionDeadline.within(time.instant().plus(limit), () -> inner.resolve(question, checkingDisabled));
  }

  @Override
  public Resolution cached(Question question, boolean checkingDisabled) {
    return inner.cached(question, checkingDisabled);
  }

  @Override
  public void keepSecure(List<RRset> rrsets) {
    inner.keepSecure(rrsets);
  }
}
