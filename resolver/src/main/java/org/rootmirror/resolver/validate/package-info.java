/**
 * DNSSEC validation for the resolver: chains of trust from the closest trust anchor, negative trust
 * anchors, signatures and proofs of denial (RFC 4033-4035, 5155, 6840, 7646).
 */
package org.rootmirror.resolver.validate;
