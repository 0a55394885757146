/** The Prometheus endpoint: the components' own counters read at scrape time and served over HTTP on loopback. */
package org.rootmirror.metrics;
