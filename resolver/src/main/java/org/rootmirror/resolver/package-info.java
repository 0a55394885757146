/** The recursive resolver that starts every lookup from the local validated root (RFC 8806). */
package org.rootmirror.resolver;
