/** Where the root zone comes from: one class per transport (HTTPS, FTP, AXFR/IXFR, file) behind {@link org.rootmirror.sync.source.ZoneSource}. */
package org.rootmirror.sync.source;
