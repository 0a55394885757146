/** ZONEMD (RFC 8976): the message digest over a whole zone's contents. */
package org.rootmirror.dnssec.zonemd;
