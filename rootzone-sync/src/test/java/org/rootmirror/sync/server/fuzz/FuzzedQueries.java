package org.rootmirror.sync.server.fuzz;

import java.util.List;
import java.util.SplittableRandom;
import org.rootmirror.sync.server.fuzz.QueryShapes.Shape;

/**
 * A seeded stream of malformed and mutated DNS queries: the same seed gives the same packets, so
 * a failure found with a random seed can be replayed. Each packet is of one {@link Kind}, drawn
 * evenly; one in eight has bits flipped on top. Not thread-safe: one per sending thread.
 *
 * <pre>{@code
 * FuzzedQueries queries = new FuzzedQueries(seed, List.of("com.", "version.bind."));
 * FuzzedQueries.Packet p = queries.next();
 * }</pre>
 */
public final class FuzzedQueries {
  /** What was done to a packet. */
  public enum Kind {
    VALID,
    TRUNCATED,
    BIT_FLIPS,
    JUNK_BYTES,
    BAD_LABEL,
    POINTER_LOOP,
    POINTER_FORWARD,
    WRONG_COUNTS,
    HUGE_COUNTS,
    BAD_EDNS,
    OPT_MISPLACED,
    RESPONSE,
    OPCODE,
    FLAGS,
    TINY,
    MAX_SIZE,
    RANDOM,
    NAME_LIMITS,
    EXTRA_RECORDS,
    TRANSFER,
    SPLICE
  }

  /** One packet: its bytes, what was done to it, and whether bits were flipped on top. */
  public record Packet(byte[] wire, Kind kind, boolean flipped) {
    @Override
    public String toString() {
      return kind + (flipped ? "+flips" : "") + " (" + wire.length + " bytes)";
    }
  }

  private static final Kind[] KINDS = Kind.values();

  private final SplittableRandom random;
  private final QueryShapes shapes;

  /** @param names names the server under test knows, so that many queries reach its answers */
  public FuzzedQueries(long seed, List<String> names) {
    this.random = new SplittableRandom(seed);
    this.shapes = new QueryShapes(names);
  }

  public Packet next() {
    Kind kind = KINDS[random.nextInt(KINDS.length)];
    byte[] wire = make(kind);
    boolean flipped = wire.length > 0 && kind != Kind.BIT_FLIPS && random.nextInt(8) == 0;
    if (flipped) {
      wire = Mutations.bitFlips(random, wire);
    }
    return new Packet(wire, kind, flipped);
  }

  private byte[] make(Kind kind) {
    SplittableRandom r = random;
    Shape s = shapes.query(r);
    return switch (kind) {
      case VALID -> s.wire();
      case TRUNCATED -> Mutations.truncated(r, s);
      case BIT_FLIPS -> Mutations.bitFlips(r, s.wire());
      case JUNK_BYTES -> Mutations.junkBytes(r, s.wire());
      case BAD_LABEL -> Mutations.badLabel(r, s);
      case POINTER_LOOP -> Mutations.pointerLoop(r, shapes);
      case POINTER_FORWARD -> Mutations.pointerForward(r, shapes);
      case WRONG_COUNTS -> Mutations.wrongCounts(r, s.wire());
      case HUGE_COUNTS -> Mutations.hugeCounts(r, s.wire());
      case BAD_EDNS -> Mutations.badEdns(r, shapes);
      case OPT_MISPLACED -> Mutations.optMisplaced(r, shapes);
      case RESPONSE -> Mutations.response(r, s.wire());
      case OPCODE -> Mutations.opcode(r, s.wire());
      case FLAGS -> Mutations.flags(r, s.wire());
      case TINY -> Mutations.tiny(r, s.wire());
      case MAX_SIZE -> Mutations.maxSize(r, s);
      case RANDOM -> Mutations.random(r);
      case NAME_LIMITS -> Mutations.nameLimits(r, shapes);
      case EXTRA_RECORDS -> Mutations.extraRecords(r, shapes);
      case TRANSFER -> Mutations.transfer(r);
      case SPLICE -> Mutations.splice(r, s.wire(), shapes.query(r).wire());
    };
  }
}
