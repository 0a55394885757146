/**
 * Bounds on what a remote client can make the servers do besides answering: log lines that a
 * packet can trigger ({@link org.rootmirror.sync.server.limit.LimitedLog}), and response rate
 * limiting of UDP answers to spoofable sources ({@link
 * org.rootmirror.sync.server.limit.ResponseRateLimiter}, applied by {@link
 * org.rootmirror.sync.server.limit.RateLimitedHandler}). Pure arithmetic on an injected clock, so
 * tests step time instead of waiting for it.
 */
package org.rootmirror.sync.server.limit;
