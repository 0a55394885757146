/**
 * The mirror server: answers as a root server would, from the published snapshot only. Four hops
 * from socket to answer: a listener ({@code net}) hands the query bytes to a {@link
 * org.rootmirror.sync.server.QueryHandler}, which looks the answer up in tables precomputed at
 * publish time ({@code answer}) and writes the response.
 */
package org.rootmirror.sync.server;
