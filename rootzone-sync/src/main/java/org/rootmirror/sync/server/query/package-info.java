/**
 * The query handlers: read a query's header, question and OPT record from its bytes, decide what
 * kind of response it gets, and write the response, from the root's precomputed answer tables
 * ({@link org.rootmirror.sync.server.query.RootQueryHandler}) or from any zones' lookups, encoded
 * per query ({@link org.rootmirror.sync.server.query.ZoneQueryHandler}).
 */
package org.rootmirror.sync.server.query;
