package org.rootmirror.sync.accept;

/**
 * What the operator is told, in the log at WARN and by {@code rootmirror status}, while no valid
 * root zone is served: that none is, what answers meanwhile, and what to check.
 */
public final class NoZoneServed {
  /** In {@code run}: the resolver iterates from the root hints. */
  public static final String RESOLVER_MEANWHILE = "the resolver uses the public root servers meanwhile";
  /** In {@code sync-daemon}: the mirror has nothing to serve. */
  public static final String MIRROR_MEANWHILE = "the mirror answers SERVFAIL meanwhile";

  private NoZoneServed() {}

  /** e.g. "no root zone is served; the resolver uses the public root servers meanwhile; check ...". */
  public static String advice(String meanwhile) {
    return "no root zone is served; " + meanwhile + "; check the network and the sources (--source), "
        + "or download root.zone and give it with --source file:/path/to/root.zone";
  }
}
