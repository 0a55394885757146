/**
 * Zone transfers out and NOTIFY both ways: AXFR (RFC 5936) and IXFR (RFC 1995) of the published
 * snapshot to allowed clients, NOTIFY (RFC 1996) to secondaries when a new serial is published, and
 * NOTIFY from configured primaries turned into a sync.
 */
package org.rootmirror.sync.server.xfr;
