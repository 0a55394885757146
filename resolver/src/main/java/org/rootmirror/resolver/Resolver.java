package org.rootmirror.resolver;

import java.util.List;
import org.xbill.DNS.RRset;

/**
 * Resolves questions. The implementations stack: a cache in front, DNSSEC validation as a
 * decorator around the iterator that talks to authorities (STYLE: the validator wraps the
 * recursor, it does not live inside it).
 */
public interface Resolver {
  /**
   * Resolves {@code question}, blocking until done; callers run it on a virtual thread (one per
   * resolution). Never throws for DNS failures: those are SERVFAIL resolutions with an error.
   *
   * @param checkingDisabled the client's CD bit (RFC 4035 section 3.2.2): validate, but hand
   *     back bogus data instead of a SERVFAIL
   */
  Resolution resolve(Question question, boolean checkingDisabled);

  /**
   * The answer if it can be given at once without blocking (a cache hit), else null. The front
   * end calls this on its listener thread and starts a resolution only on null.
   */
  default Resolution cached(Question question, boolean checkingDisabled) {
    return null;
  }

  /**
   * Offers RRsets that validated SECURE on their own from an answer that failed as a whole (a
   * valid DNAME before a forged CNAME): each RRset is judged on its own (RFC 4035 section 5.3), so
   * a cache may keep them, as Unbound and Knot Resolver do. Does nothing unless overridden.
   */
  default void keepSecure(List<RRset> rrsets) {}
}
