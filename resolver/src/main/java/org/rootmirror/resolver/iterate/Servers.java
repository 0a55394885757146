package org.rootmirror.resolver.iterate;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.xbill.DNS.Name;

/** The servers of one zone: addresses known so far and NS names still to look up. */
final class Servers {
  /** How the servers are asked. */
  enum Kind {
    /** Authoritative servers, asked iteratively (RD=0). */
    AUTHORITATIVE,
    /** The local root copy: no packet at all (RFC 8806). */
    LOCAL_ROOT,
    /** A configured forwarder, asked the whole question with RD=1 (RFC 1034 section 5.3.1). */
    FORWARDER
  }

  final Name zone;
  final Kind kind;
  final List<InetSocketAddress> addresses = new ArrayList<>();
  final Deque<Name> unresolved = new ArrayDeque<>();
  /**
   * Whether these are the zone's own NS set from its authoritative answers, cached above the
   * parent's delegation (RFC 2181 section 5.4.1): when they all fail, the parent is asked again.
   */
  boolean childSide;
  /** Whom to ask when all of these fail (mirrors to the public roots), or null. */
  final Fallback fallback;

  /** The servers to ask next; may fail (the public roots while priming fails). */
  @FunctionalInterface
  interface Fallback {
    Servers get(Budget budget) throws Failure;
  }

  Servers(Name zone, Kind kind, Fallback fallback) {
    this.zone = zone;
    this.kind = kind;
    this.fallback = fallback;
  }

  boolean local() {
    return kind == Kind.LOCAL_ROOT;
  }

  boolean forwarder() {
    return kind == Kind.FORWARDER;
  }
}
