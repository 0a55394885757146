/** RFC 5011: the trust anchors of a zone following its key rollovers, fed by validated DNSKEY RRsets; pure, the time passed in. */
package org.rootmirror.dnssec.rollover;
