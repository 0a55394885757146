/**
 * Iterative resolution: from the root down through referrals to an answer (RFC 1034 section
 * 5.3.3). {@link org.rootmirror.resolver.iterate.IterativeResolver} runs the chain and the descent,
 * {@code Referrals} finds a zone's servers, {@code Authorities} asks them, {@code ReferralDs} keeps
 * the DS (or its denial) that referrals carry, {@link
 * org.rootmirror.resolver.iterate.Bailiwick} says what of a reply may be believed.
 */
package org.rootmirror.resolver.iterate;
