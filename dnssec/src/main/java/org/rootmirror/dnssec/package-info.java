/** The bottom layer: proves a whole zone authentic (DNSSEC from trust anchors, and ZONEMD); no network, no clock. */
package org.rootmirror.dnssec;
