package org.rootmirror.resolver.interop;

import java.util.Locale;
import org.rootmirror.resolver.interop.ResolverMatchesUnboundTest.Outcome;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The ways rootmirror's answers differ from Unbound 1.17.1's (Debian 12) for the same question
 * through the same mini-internet that are understood, each with its reason and a check narrow
 * enough that a difference of another kind is not mistaken for it.
 */
enum UnboundDifference {
  UNBOUND_FAILS_A_CNAME_QUESTION_UNDER_A_DNAME(
      "Asked for type CNAME at a name under a DNAME, Unbound answers SERVFAIL: its validator looks for the DS of the"
          + " query name to build the chain of trust, gets the DNAME answer, and gives up (its log: \"DS got DNAME"
          + " answer ... while building chain of trust\"). The CNAME synthesised from the signed DNAME answers the"
          + " question (RFC 6672 section 3.1) and is validated through the DNAME's signature (section 5.3.1), which"
          + " rootmirror does.") {
    @Override
    boolean explains(Outcome o) {
      return o.qtype() == Type.CNAME && o.unbound().rcode() == Rcode.SERVFAIL && o.ours().rcode() == Rcode.NOERROR
          && o.ours().answer().stream().anyMatch(r -> r.startsWith(lower(o.qname()) + " CNAME "))
          && o.ours().answer().stream().allMatch(r -> isCname(r) || isDnameAbove(r, o.qname()));
    }
  };

  private final String reason;

  UnboundDifference(String reason) {
    this.reason = reason;
  }

  String reason() {
    return reason;
  }

  /** Whether this difference accounts for everything that differs in {@code o}. */
  abstract boolean explains(Outcome o);

  /** The first difference that explains {@code o}, or null. */
  static UnboundDifference explaining(Outcome o) {
    for (UnboundDifference d : values()) {
      if (d.explains(o)) {
        return d;
      }
    }
    return null;
  }

  private static boolean isCname(String record) {
    return record.split(" ")[1].equals("CNAME");
  }

  /** Whether {@code record} ("owner TYPE rdata") is a DNAME whose owner is a proper ancestor of {@code qname}. */
  private static boolean isDnameAbove(String record, Name qname) {
    String[] f = record.split(" ");
    Name owner = Name.fromConstantString(f[0]);
    return f[1].equals("DNAME") && qname.subdomain(owner) && !qname.equals(owner);
  }

  private static String lower(Name name) {
    return name.toString().toLowerCase(Locale.ROOT);
  }
}
