package org.rootmirror.resolver.validate;

import java.util.List;
import java.util.Objects;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Type;

/**
 * Proofs of denial of existence from NSEC records (RFC 4035 section 5.4, RFC 6840 section 4, RFC
 * 8198 for aggressive use). Pure checks: the records given here have already had their
 * signatures verified, so this class only decides what they prove.
 *
 * <p>Names are compared in canonical DNS order (RFC 4034 section 6.1), which is {@link
 * Name#compareTo}: case-insensitive, label by label from the right.
 */
public final class NsecDenial {
  private static final Name WILDCARD_LABEL = Name.fromConstantString("*");

  private NsecDenial() {}

  /** What a set of NSEC records proves; {@link NotProven#reason()} is fit for an EDE text. */
  public sealed interface Result permits Proven, NotProven {
    default boolean proven() {
      return this instanceof Proven;
    }
  }

  /** The denial holds; {@code how} says which records prove it. */
  public record Proven(String how) implements Result {
    public Proven {
      Objects.requireNonNull(how);
    }
  }

  /** The denial does not hold; {@code reason} says what is missing or wrong. */
  public record NotProven(String reason) implements Result {
    public NotProven {
      Objects.requireNonNull(reason);
    }
  }

  /**
   * Whether {@code nsec} covers {@code name}: the name falls strictly between the owner and the
   * next name (RFC 4035 section 5.4). The last NSEC of a zone wraps to the apex and covers every
   * name of the zone after its owner. An NSEC at a delegation (NS set, SOA clear) or at a DNAME
   * covers no name below its owner (RFC 6840 section 4.1): those names belong to another zone.
   */
  public static boolean covers(NSECRecord nsec, Name name) {
    Name owner = nsec.getName();
    Name next = nsec.getNext();
    boolean between;
    if (wraps(nsec)) {
      // The last NSEC: its next name is the apex (RFC 4034 section 4.1.1), so it covers the
      // names of the zone after its owner.
      between = name.subdomain(next) && owner.compareTo(name) < 0;
    } else {
      between = owner.compareTo(name) < 0 && name.compareTo(next) < 0;
    }
    if (!between) {
      return false;
    }
    return !(isProperAncestor(owner, name) && cutsBelowOwner(nsec));
  }

  /**
   * Name error (NXDOMAIN) for {@code qname} in {@code zone}, RFC 4035 section 5.4: an NSEC covers
   * the name and an NSEC covers the wildcard at its closest encloser. The closest encloser is
   * derived from the covering NSEC: the longer of the common ancestors of the name with the
   * NSEC's owner and with its next name (RFC 6840 section 4.1 gives the same rule).
   */
  public static Result nameError(Name qname, Name zone, List<NSECRecord> nsecs) {
    if (!qname.subdomain(zone)) {
      return new NotProven(qname + " is not in zone " + zone);
    }
    List<NSECRecord> inZone = inZone(zone, nsecs);
    for (NSECRecord nsec : inZone) {
      if (nsec.getName().equals(qname)) {
        return new NotProven("NSEC at " + qname + " shows that the name exists");
      }
    }
    NSECRecord covering = find(inZone, qname);
    if (covering == null) {
      return new NotProven("no NSEC in zone " + zone + " covers " + qname);
    }
    return wildcardDenied(qname, covering, inZone);
  }

  /**
   * Aggressive negative caching (RFC 8198 section 5.1): whether two cached, validated NSEC
   * records prove that {@code qname} does not exist, one covering the name and one (possibly the
   * same record) covering the wildcard at the closest encloser.
   */
  public static boolean provesNonexistence(
      Name qname, NSECRecord covering, NSECRecord wildcardCovering) {
    if (!covers(covering, qname)) {
      return false;
    }
    Name wildcard = wildcardAt(closestEncloser(qname, covering));
    return wildcard != null && covers(wildcardCovering, wildcard);
  }

  /**
   * No data (NODATA) for {@code qname}/{@code qtype}, RFC 4035 section 5.4 and RFC 6840 section
   * 4.3-4.4. Proven by one of:
   *
   * <ul>
   *   <li>an NSEC at the name whose bitmap lacks the type and CNAME; for DS, an NSEC from the
   *       child apex (SOA set) is refused, and for any other type an NSEC from the parent side
   *       of a delegation (NS set, SOA clear) is refused;
   *   <li>an empty non-terminal: an NSEC covering the name whose next name is below it (RFC 4035
   *       section 3.1.3.2);
   *   <li>the wildcard case: an NSEC covering the name and an NSEC at the wildcard of the closest
   *       encloser whose bitmap lacks the type and CNAME.
   * </ul>
   */
  public static Result noData(Name qname, int qtype, List<NSECRecord> nsecs) {
    String type = Type.string(qtype);
    for (NSECRecord nsec : nsecs) {
      if (nsec.getName().equals(qname)) {
        return bitmapDenies(nsec, qname, qtype, "NSEC at " + qname);
      }
    }
    NSECRecord covering = find(nsecs, qname);
    if (covering == null) {
      return new NotProven("no NSEC matches or covers " + qname + " to deny " + type);
    }
    if (isProperAncestor(qname, covering.getNext())) {
      return new Proven("empty non-terminal " + qname + ": NSEC " + covering.getName()
          + " -> " + covering.getNext());
    }
    Name wildcard = wildcardAt(closestEncloser(qname, covering));
    if (wildcard == null) {
      return new NotProven("the wildcard at the closest encloser of " + qname + " is too long");
    }
    for (NSECRecord nsec : nsecs) {
      if (nsec.getName().equals(wildcard)) {
        Result atWildcard = bitmapDenies(nsec, wildcard, qtype, "wildcard NSEC at " + wildcard);
        if (atWildcard instanceof NotProven) {
          return atWildcard;
        }
        return new Proven("NSEC " + covering.getName() + " -> " + covering.getNext()
            + " covers " + qname + " and the NSEC at " + wildcard + " lacks " + type);
      }
    }
    return new NotProven("NSEC " + covering.getName() + " -> " + covering.getNext() + " covers "
        + qname + " but there is no NSEC at " + wildcard + " to deny " + type);
  }

  /**
   * A wildcard answer (RFC 4035 section 5.3.4): the RRset at {@code qname} was synthesised from
   * the wildcard at {@code closestEncloser} (the RRSIG labels field says which), so an NSEC must
   * show that {@code qname} itself does not exist: it covers the name, and the closest encloser
   * it implies is the wildcard's parent (else a closer name exists and the wildcard was not the
   * one to apply; Unbound's val_nsec_proves_positive_wildcard checks the same).
   */
  public static Result wildcardAnswer(Name qname, Name closestEncloser, List<NSECRecord> nsecs) {
    if (!isProperAncestor(closestEncloser, qname)) {
      return new NotProven(closestEncloser + " is not a closest encloser of " + qname);
    }
    for (NSECRecord nsec : nsecs) {
      if (covers(nsec, qname) && closestEncloser(qname, nsec).equals(closestEncloser)) {
        return new Proven("NSEC " + nsec.getName() + " -> " + nsec.getNext() + " covers " + qname
            + " below closest encloser " + closestEncloser);
      }
    }
    return new NotProven("no NSEC shows that " + qname + " does not exist below " + closestEncloser);
  }

  /**
   * An insecure delegation (RFC 4035 section 5.2): the parent's NSEC at {@code child} has NS set
   * and both DS and SOA clear (an NSEC with SOA set comes from the child's apex, RFC 6840 section
   * 4.4, and says nothing about the parent's DS).
   */
  public static Result insecureDelegation(Name child, List<NSECRecord> nsecs) {
    for (NSECRecord nsec : nsecs) {
      if (!nsec.getName().equals(child)) {
        continue;
      }
      if (nsec.hasType(Type.SOA)) {
        return new NotProven("NSEC at " + child
            + " is from the child zone's apex (SOA bit set) and cannot deny DS");
      }
      if (!nsec.hasType(Type.NS)) {
        return new NotProven("NSEC at " + child + " has no NS bit: " + child
            + " is not a delegation");
      }
      if (nsec.hasType(Type.DS)) {
        return new NotProven("NSEC at " + child + " lists DS: the delegation is signed");
      }
      return new Proven("NSEC at " + child + " shows NS without DS");
    }
    return new NotProven("no NSEC at " + child + " to deny its DS");
  }

  /**
   * The closest encloser of {@code qname} implied by an NSEC that covers it: the longer of the
   * common ancestors of the name with the NSEC owner and with the next name.
   */
  static Name closestEncloser(Name qname, NSECRecord covering) {
    Name withOwner = commonAncestor(qname, covering.getName());
    Name withNext = commonAncestor(qname, covering.getNext());
    return withOwner.labels() >= withNext.labels() ? withOwner : withNext;
  }

  static Name commonAncestor(Name a, Name b) {
    int k = Math.min(a.labels(), b.labels());
    for (; k > 1; k--) {
      Name sa = new Name(a, a.labels() - k);
      if (sa.equals(new Name(b, b.labels() - k))) {
        return sa;
      }
    }
    return Name.root;
  }

  private static Result wildcardDenied(Name qname, NSECRecord covering, List<NSECRecord> nsecs) {
    Name encloser = closestEncloser(qname, covering);
    Name wildcard = wildcardAt(encloser);
    String coverText = "NSEC " + covering.getName() + " -> " + covering.getNext();
    if (wildcard == null) {
      return new NotProven("the wildcard at closest encloser " + encloser + " is too long");
    }
    for (NSECRecord nsec : nsecs) {
      if (nsec.getName().equals(wildcard)) {
        return new NotProven("wildcard " + wildcard + " exists: " + qname
            + " may be synthesised from it");
      }
    }
    NSECRecord wildcardCovering = find(nsecs, wildcard);
    if (wildcardCovering == null) {
      return new NotProven(coverText + " covers " + qname + " but no NSEC covers the wildcard "
          + wildcard + " at closest encloser " + encloser);
    }
    return new Proven(coverText + " covers " + qname + "; NSEC " + wildcardCovering.getName()
        + " -> " + wildcardCovering.getNext() + " covers " + wildcard);
  }

  private static Result bitmapDenies(NSECRecord nsec, Name name, int qtype, String what) {
    String type = Type.string(qtype);
    if (qtype == Type.DS && nsec.hasType(Type.SOA) && !name.equals(Name.root)) {
      // RFC 6840 section 4.4: the child apex's NSEC says nothing about the parent's DS.
      return new NotProven(what + " is from the child zone's apex (SOA bit set) and cannot deny DS");
    }
    if (nsec.hasType(qtype)) {
      return new NotProven(what + " lists " + type);
    }
    if (nsec.hasType(Type.CNAME)) {
      return new NotProven(what + " lists CNAME: the answer is an alias");
    }
    if (qtype != Type.DS && nsec.hasType(Type.NS) && !nsec.hasType(Type.SOA)) {
      // RFC 6840 section 4.4: the parent side of a delegation proves nothing about the child's
      // data, only the absence of DS.
      return new NotProven(what + " is from the parent side of a delegation (NS set, SOA clear)"
          + " and can deny only DS, not " + type);
    }
    return new Proven(what + " lacks " + type + " and CNAME");
  }

  private static NSECRecord find(List<NSECRecord> nsecs, Name name) {
    for (NSECRecord nsec : nsecs) {
      if (covers(nsec, name)) {
        return nsec;
      }
    }
    return null;
  }

  private static List<NSECRecord> inZone(Name zone, List<NSECRecord> nsecs) {
    return nsecs.stream()
        .filter(n -> n.getName().subdomain(zone) && n.getNext().subdomain(zone))
        .toList();
  }

  private static boolean wraps(NSECRecord nsec) {
    return nsec.getNext().compareTo(nsec.getName()) <= 0;
  }

  private static boolean cutsBelowOwner(NSECRecord nsec) {
    return (nsec.hasType(Type.NS) && !nsec.hasType(Type.SOA)) || nsec.hasType(Type.DNAME);
  }

  private static boolean isProperAncestor(Name ancestor, Name name) {
    return name.subdomain(ancestor) && !name.equals(ancestor);
  }

  /**
   * The wildcard whose absence must also be shown for {@code qname} not to exist, given the NSEC
   * that covers it (RFC 4035 section 5.4): {@code *.} and the closest encloser; null if too long.
   */
  public static Name wildcardFor(Name qname, NSECRecord covering) {
    return wildcardAt(closestEncloser(qname, covering));
  }

  private static Name wildcardAt(Name encloser) {
    try {
      return Name.concatenate(WILDCARD_LABEL, encloser);
    } catch (NameTooLongException e) {
      return null;
    }
  }
}
