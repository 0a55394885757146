package org.rootmirror.resolver.iterate;

import org.xbill.DNS.ExtendedErrorCodeOption;

/** What one resolution may still spend, shared by the lookups nested in it. */
final class Budget {
  final IterativeResolver.Limits limits;
  private int queries;
  private int nsLookups;

  Budget(IterativeResolver.Limits limits) {
    this.limits = limits;
  }

  void query() throws Failure {
    if (++queries > limits.queries()) {
      throw new Failure(ExtendedErrorCodeOption.OTHER, "gave up after " + limits.queries() + " queries");
    }
  }

  boolean nsLookup() {
    return ++nsLookups <= limits.nsLookups();
  }
}
