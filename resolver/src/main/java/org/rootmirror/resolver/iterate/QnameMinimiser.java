package org.rootmirror.resolver.iterate;

import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * QNAME minimisation (RFC 9156): what to ask the servers of the current zone cut next, one
 * resolution at a time. Pure and immutable: every response gives a new state.
 *
 * <p>The algorithm is RFC 9156 section 3: CHILD starts at the zone cut (step 2); while CHILD is
 * not the query name, labels are added from the query name (step 4, how many after section 2.3)
 * and CHILD is asked with {@link #MINIMISED_QTYPE}; a referral moves the cut down (step 6a); any
 * other NOERROR answer, NODATA for an empty non-terminal or even a CNAME, only lengthens CHILD
 * under the same cut (step 6c); NXDOMAIN for an intermediate name ends the resolution, since
 * nothing exists below a name that does not exist (step 6d, RFC 8020). The full name is asked with
 * the original type as the last step (step 3).
 *
 * <p>DNAME responses (step 6b) and DS questions asked at the parent (step 1a: the caller passes
 * the parent's cut) are the iterator's business.
 */
public final class QnameMinimiser {
  /**
   * RFC 9156 section 2.3: the most minimised queries per resolution ("a RECOMMENDED value of
   * 10"); the query with the full name counts among them.
   */
  public static final int MAX_MINIMISE_COUNT = 10;

  /** RFC 9156 section 2.3: the first queries add one label each ("a good value is 4"). */
  public static final int MINIMISE_ONE_LAB = 4;

  /**
   * The type of every intermediate query: NS, as RFC 7816 had it and as Knot Resolver asks (and
   * Deckard's scenarios, written for it, answer only NS for intermediate names). The question
   * then asks exactly what the resolver wants to learn, the zone cut. RFC 9156 section 2.1 weighs
   * NS against A: Unbound asks A, since some servers answer NS questions for names that are not
   * cuts badly and an A question looks like any other traffic; those servers are the reason
   * relaxed minimisation asks the whole name when a minimised question fails (section 2.3).
   */
  public static final int MINIMISED_QTYPE = Type.NS;

  /** One question to send: a name and a type. */
  public record Query(Name name, int type) {
    public Query {
      Objects.requireNonNull(name, "name");
      Type.check(type);
    }

    @Override
    public String toString() {
      return name + " " + Type.string(type);
    }
  }

  /** What to do after a response that is not a referral. */
  public sealed interface Next {
    /** Send {@code state.query()} to the same servers. */
    record Ask(QnameMinimiser state) implements Next {}

    /**
     * The name asked does not exist, so neither does the query name below it (RFC 8020 section
     * 2): answer NXDOMAIN.
     */
    record NameError(Name nonexistent) implements Next {}

    /** The response to the full question is the answer (or NODATA): resolution is done. */
    record Answered() implements Next {}
  }

  private final Name qname;
  private final int qtype;
  private final Name cut;
  private final Name child;
  private final int sent;

  private QnameMinimiser(Name qname, int qtype, Name cut, Name child, int sent) {
    this.qname = qname;
    this.qtype = qtype;
    this.cut = cut;
    this.child = child;
    this.sent = sent;
  }

  /**
   * Starts a resolution of {@code qname}/{@code qtype} at {@code zoneCut}, the closest enclosing
   * zone whose servers are known (RFC 9156 section 3, steps 1 and 2).
   *
   * @throws IllegalArgumentException if {@code qname} is not at or below {@code zoneCut}
   */
  public static QnameMinimiser start(Name qname, int qtype, Name zoneCut) {
    Objects.requireNonNull(qname, "qname");
    Objects.requireNonNull(zoneCut, "zoneCut");
    Type.check(qtype);
    requireAbsolute(qname);
    requireAbsolute(zoneCut);
    if (!qname.subdomain(zoneCut)) {
      throw new IllegalArgumentException(qname + " is not at or below the zone cut " + zoneCut);
    }
    return new QnameMinimiser(qname, qtype, zoneCut, zoneCut, 0).advance();
  }

  /** The question to send now to the servers of {@link #zoneCut()}. */
  public Query query() {
    return isFinal() ? new Query(qname, qtype) : new Query(child, MINIMISED_QTYPE);
  }

  /** Whether {@link #query()} is the original question rather than a minimised one. */
  public boolean isFinal() {
    return child.equals(qname);
  }

  /** The zone whose servers are asked. */
  public Name zoneCut() {
    return cut;
  }

  /** The original query name. */
  public Name qname() {
    return qname;
  }

  /** The original query type. */
  public int qtype() {
    return qtype;
  }

  /** How many queries this resolution has asked so far, this one included. */
  public int queriesSent() {
    return sent;
  }

  /**
   * A referral to {@code newCut}: ask its servers, starting again one step below it (RFC 9156
   * section 3, step 6a, back to step 1).
   *
   * @throws IllegalArgumentException if {@code newCut} is not strictly below the current cut and
   *     at or above the query name (an upward or sideways referral, which bailiwick checks remove)
   */
  public QnameMinimiser onReferral(Name newCut) {
    Objects.requireNonNull(newCut, "newCut");
    requireAbsolute(newCut);
    if (newCut.equals(cut) || !newCut.subdomain(cut) || !qname.subdomain(newCut)) {
      throw new IllegalArgumentException(
          "referral to " + newCut + " from " + cut + " does not lead toward " + qname);
    }
    return new QnameMinimiser(qname, qtype, newCut, newCut, sent).advance();
  }

  /**
   * A NOERROR response that is not a referral. For a minimised query this is an empty
   * non-terminal, a record of the minimised type or a CNAME: all mean "keep going under the same
   * cut" (RFC 9156 section 3, step 6c). For the full question it is the answer.
   */
  public Next onNoError() {
    if (isFinal()) {
      return new Next.Answered();
    }
    return new Next.Ask(new QnameMinimiser(qname, qtype, cut, child, sent).advance());
  }

  /**
   * NXDOMAIN: the name asked does not exist. For a minimised query the query name, below it, does
   * not exist either (RFC 9156 section 3, step 6d; RFC 8020 section 2).
   */
  public Next onNameError() {
    return new Next.NameError(child);
  }

  /** RFC 9156 section 3, steps 3 and 4: the next CHILD, and the query count for it. */
  private QnameMinimiser advance() {
    int remaining = qname.labels() - child.labels();
    if (remaining == 0 || (remaining == 1 && parentSideType(qtype))) {
      return new QnameMinimiser(qname, qtype, cut, qname, sent + 1);
    }
    int add = labelsToAdd(remaining, sent);
    Name next = new Name(qname, remaining - add);
    return new QnameMinimiser(qname, qtype, cut, next, sent + 1);
  }

  /**
   * RFC 9156 section 2.3: the first {@link #MINIMISE_ONE_LAB} queries add one label; the next
   * ones share the remaining labels out evenly over the queries left before {@link
   * #MAX_MINIMISE_COUNT}; after that, the whole name.
   */
  static int labelsToAdd(int remaining, int alreadySent) {
    if (alreadySent < MINIMISE_ONE_LAB) {
      return 1;
    }
    if (alreadySent < MAX_MINIMISE_COUNT - 1) {
      return Math.max(1, remaining / (MAX_MINIMISE_COUNT - alreadySent));
    }
    return remaining;
  }

  /** RFC 9156 section 3, step 3: types whose data lives at the parent side of a cut. */
  private static boolean parentSideType(int type) {
    return type == Type.DS || type == Type.NSEC || type == Type.NSEC3 || type == Type.RRSIG;
  }

  private static void requireAbsolute(Name name) {
    if (!name.isAbsolute()) {
      throw new IllegalArgumentException(name + " is not absolute");
    }
  }

  @Override
  public String toString() {
    return "QnameMinimiser[" + query() + " at " + cut + ", query " + sent + "]";
  }
}
