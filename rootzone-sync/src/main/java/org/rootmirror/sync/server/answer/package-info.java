/**
 * The answer engine: tables precomputed from a published snapshot at publish time, so answering
 * a query is a lookup and a copy of wire bytes encoded in advance.
 */
package org.rootmirror.sync.server.answer;
