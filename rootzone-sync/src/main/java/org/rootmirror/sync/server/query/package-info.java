/**
 * The query handler: reads a query's header, question and OPT record from its bytes, decides
 * what kind of response it gets, and writes the response from the answer tables.
 */
package org.rootmirror.sync.server.query;
