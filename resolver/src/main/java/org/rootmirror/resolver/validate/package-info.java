/** DNSSEC validation for the resolver: chains of trust, signatures and proofs of denial (RFC 4033-4035, 5155, 6840). */
package org.rootmirror.resolver.validate;
