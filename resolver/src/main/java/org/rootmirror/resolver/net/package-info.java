/**
 * The resolver's front end: serves a {@link org.rootmirror.resolver.Resolver} to stub clients
 * over UDP and TCP on rootzone-sync's listeners, answering cache hits on the listener thread and
 * resolving misses on virtual threads.
 */
package org.rootmirror.resolver.net;
