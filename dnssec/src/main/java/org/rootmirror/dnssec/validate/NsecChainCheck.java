package org.rootmirror.dnssec.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.rootmirror.dnssec.zone.Zone;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * Check 3: the NSEC chain (RFC 4035 section 2.3). Exactly one NSEC per authoritative name, each
 * pointing to the next in canonical order and the last back to the apex, each type bitmap equal to
 * the types present (at a delegation: NS, DS, NSEC and RRSIG, never the glue).
 */
final class NsecChainCheck {
  private NsecChainCheck() {}

  static List<Problem> run(Zone zone, ZoneShape shape) {
    List<Problem> problems = new ArrayList<>();
    Name origin = zone.origin();
    if (zone.rrset(origin, Type.NSEC3PARAM) != null) {
      problems.add(Problem.error(origin, Type.NSEC3PARAM, Reason.NSEC3_UNSUPPORTED, ""));
      return problems;
    }
    List<Name> names = shape.authoritative;
    for (int i = 0; i < names.size(); i++) {
      Name name = names.get(i);
      Map<Integer, RRset> node = zone.nodes().get(name);
      RRset nsecs = node.get(Type.NSEC);
      if (nsecs == null || nsecs.size() == 0) {
        problems.add(Problem.error(name, Type.NSEC, Reason.NSEC_MISSING, ""));
        continue;
      }
      if (nsecs.size() > 1) {
        problems.add(Problem.error(name, Type.NSEC, Reason.NSEC_DUPLICATE, nsecs.size() + " NSEC records"));
      }
      NSECRecord nsec = (NSECRecord) nsecs.first();
      Name expectedNext = names.get((i + 1) % names.size());
      if (!nsec.getNext().equals(expectedNext)) {
        problems.add(Problem.error(name, Type.NSEC, Reason.CHAIN_GAP,
            "next is " + nsec.getNext() + ", the next authoritative name is " + expectedNext));
      }
      TreeSet<Integer> expected = expectedTypes(name, node, shape);
      TreeSet<Integer> actual = new TreeSet<>();
      for (int t : nsec.getTypes()) {
        actual.add(t);
      }
      if (!expected.equals(actual)) {
        problems.add(Problem.error(name, Type.NSEC, Reason.BITMAP_MISMATCH, difference(expected, actual)));
      }
    }
    return problems;
  }

  private static TreeSet<Integer> expectedTypes(Name name, Map<Integer, RRset> node, ZoneShape shape) {
    TreeSet<Integer> types = new TreeSet<>();
    boolean signed = false;
    for (RRset set : node.values()) {
      int type = set.getType();
      boolean counts = shape.isDelegation(name) ? type == Type.NS || shape.authoritative(name, type) : true;
      if (counts && set.size() > 0) {
        types.add(type);
        signed |= !set.sigs().isEmpty();
      }
    }
    if (signed) {
      types.add(Type.RRSIG);
    }
    return types;
  }

  private static String difference(TreeSet<Integer> expected, TreeSet<Integer> actual) {
    TreeSet<Integer> missing = new TreeSet<>(expected);
    missing.removeAll(actual);
    TreeSet<Integer> extra = new TreeSet<>(actual);
    extra.removeAll(expected);
    StringBuilder sb = new StringBuilder();
    if (!missing.isEmpty()) {
      sb.append("missing ").append(names(missing));
    }
    if (!extra.isEmpty()) {
      sb.append(sb.isEmpty() ? "" : ", ").append("not present but listed ").append(names(extra));
    }
    return sb.toString();
  }

  private static String names(TreeSet<Integer> types) {
    return String.join(" ", types.stream().map(Type::string).toList());
  }
}
