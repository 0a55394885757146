package org.rootmirror.resolver.validate;

import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;

/**
 * What the validator trusts and what it leaves alone: the trust anchors (for the root and any
 * other zones; none means no validation at all) and the negative trust anchors (RFC 7646, Unbound's
 * {@code domain-insecure}), names at or below which data is insecure without being checked.
 *
 * @param insecureDomains absolute names; their data is never bogus and never SECURE
 * @param rootKeys told of each root DNSKEY RRset validated from the trust anchors, with its
 *     signatures (RFC 5011 tracking fed by the resolver, when there is no local root copy)
 */
public record ValidationConfig(TrustAnchors anchors, Set<Name> insecureDomains, Consumer<RRset> rootKeys) {
  public ValidationConfig {
    Objects.requireNonNull(anchors, "anchors");
    Objects.requireNonNull(rootKeys, "rootKeys");
    insecureDomains = Set.copyOf(insecureDomains);
    for (Name name : insecureDomains) {
      if (!name.isAbsolute()) {
        throw new IllegalArgumentException("insecure domain " + name + " is not an absolute name");
      }
    }
  }

  /** Nobody told of the root's keys. */
  public ValidationConfig(TrustAnchors anchors, Set<Name> insecureDomains) {
    this(anchors, insecureDomains, keys -> {});
  }

  /** This configuration, telling {@code rootKeys} of each root DNSKEY RRset validated. */
  public ValidationConfig withRootKeys(Consumer<RRset> rootKeys) {
    return new ValidationConfig(anchors, insecureDomains, rootKeys);
  }

  /** {@code anchors}, no negative trust anchors. */
  public static ValidationConfig of(TrustAnchors anchors) {
    return new ValidationConfig(anchors, Set.of());
  }

  /** No validation: every answer passes through insecure, none is bogus. */
  public static ValidationConfig none() {
    return of(TrustAnchors.none());
  }

  /** Whether answers are validated at all: false with no trust anchor, for the operator to be told. */
  public boolean validating() {
    return anchors.validating();
  }
}
