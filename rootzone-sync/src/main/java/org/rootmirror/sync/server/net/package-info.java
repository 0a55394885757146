/**
 * The listeners: UDP and TCP sockets (RFC 7766) that read DNS messages, hand each to a {@link
 * org.rootmirror.sync.server.QueryHandler} and write what it sends back; no DNS beyond framing.
 */
package org.rootmirror.sync.server.net;
