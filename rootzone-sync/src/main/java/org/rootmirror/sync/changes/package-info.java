/**
 * What changed in the root zone from one published version to the next: delegations added and
 * removed, their NS RRsets, glue and DS RRsets, and the apex DNSKEY RRset; kept in the state
 * directory one JSON line per serial, for {@code rootmirror changes} and the metrics.
 */
package org.rootmirror.sync.changes;
