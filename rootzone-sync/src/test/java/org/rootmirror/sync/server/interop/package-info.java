/**
 * The mirror against real DNS software from Debian: Unbound and BIND resolving and validating
 * through it, with the snippets in docs/snippets also Knot Resolver and PowerDNS Recursor, dig
 * and kdig reading it, and NSD answering the same queries from the same zone.
 */
package org.rootmirror.sync.server.interop;
