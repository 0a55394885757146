package org.rootmirror.resolver.validate;

import java.time.InstantSource;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.rootmirror.dnssec.anchor.TrustAnchor;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.resolver.Question;
import org.rootmirror.resolver.Resolution;
import org.rootmirror.resolver.Resolver;
import org.rootmirror.resolver.cache.SecurityStatus;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Root key trust anchor sentinel (RFC 8509): lets a user find out which root KSKs this resolver
 * trusts, by asking {@code root-key-sentinel-is-ta-<key tag>.<domain>} and {@code
 * root-key-sentinel-not-ta-<key tag>.<domain>}. Section 3.2: for an A or AAAA question whose
 * leftmost label is a sentinel label, an answer validated as Secure, without CD, becomes SERVFAIL
 * when "is-ta" names a key tag that is not among the root's trust anchors, or "not-ta" names one
 * that is; every other answer passes unchanged. Sits above the cache: the verdict depends on the
 * trust anchors in force, not on the cached data.
 */
public final class KeySentinel implements Resolver {
  /** Section 2: the key tag is five decimal digits, with leading zeros. */
  private static final Pattern LABEL = Pattern.compile("root-key-sentinel-(is|not)-ta-(\\d{5})");

  private final Resolver inner;
  private final TrustAnchors anchors;
  private final InstantSource clock;

  public KeySentinel(Resolver inner, TrustAnchors anchors, InstantSource clock) {
    this.inner = Objects.requireNonNull(inner);
    this.anchors = Objects.requireNonNull(anchors);
    this.clock = Objects.requireNonNull(clock);
  }

  @Override
  public Resolution resolve(Question question, boolean checkingDisabled) {
    return apply(question, checkingDisabled, inner.resolve(question, checkingDisabled));
  }

  @Override
  public Resolution cached(Question question, boolean checkingDisabled) {
    Resolution hit = inner.cached(question, checkingDisabled);
    return hit == null ? null : apply(question, checkingDisabled, hit);
  }

  private Resolution apply(Question question, boolean checkingDisabled, Resolution resolution) {
    if (checkingDisabled || resolution.status() != SecurityStatus.SECURE
        || question.type() != Type.A && question.type() != Type.AAAA || question.name().labels() < 2) {
      return resolution;
    }
    Matcher m = LABEL.matcher(question.name().getLabelString(0).toLowerCase(java.util.Locale.ROOT));
    if (!m.matches()) {
      return resolution;
    }
    int keyTag = Integer.parseInt(m.group(2));
    boolean trusted = rootKeyTags().contains(keyTag);
    boolean isTa = m.group(1).equals("is");
    if (isTa != trusted) {
      return Resolution.servfail(ExtendedErrorCodeOption.OTHER,
          "root key sentinel (RFC 8509): key " + m.group(2) + (trusted ? " is" : " is not") + " a trust anchor of this resolver");
    }
    return resolution;
  }

  /** The key tags of the root trust anchors in force now. */
  private Set<Integer> rootKeyTags() {
    return anchors.validAt(clock.instant()).stream()
        .filter(a -> a.zone().equals(Name.root))
        .map(TrustAnchor::keyTag)
        .collect(Collectors.toSet());
  }
}
