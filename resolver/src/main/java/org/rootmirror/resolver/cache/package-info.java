/**
 * The resolver's cache: positive RRsets, negative answers (RFC 2308), TTL bounds, serve-stale
 * (RFC 8767) and prefetch hints, on Caffeine with per-entry expiry; pure, thread-safe, no I/O.
 */
package org.rootmirror.resolver.cache;
