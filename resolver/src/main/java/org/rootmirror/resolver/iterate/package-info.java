/** Iterative resolution: from the root down through referrals to an answer (RFC 1034 section 5.3.3). */
package org.rootmirror.resolver.iterate;
