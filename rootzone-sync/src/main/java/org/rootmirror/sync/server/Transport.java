package org.rootmirror.sync.server;

/** How a query arrived: decides response size limits (UDP) and whether transfers are allowed (TCP). */
public enum Transport {
  UDP,
  TCP
}
