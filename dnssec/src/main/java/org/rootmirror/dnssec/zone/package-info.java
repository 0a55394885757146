/** Immutable zones: records read from master files and grouped into RRsets in canonical order. */
package org.rootmirror.dnssec.zone;
