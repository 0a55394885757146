/** Whole-zone validation: DNSSEC from the trust anchors down, NSEC chain, delegations and ZONEMD. */
package org.rootmirror.dnssec.validate;
