package org.rootmirror.sync.server.xfr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.rootmirror.sync.server.ResponseSink;
import org.xbill.DNS.Compression;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The messages of one transfer answer (a whole zone, a difference, a lone SOA), encoded once.
 *
 * <p>The same bytes go to every client that asks: per query only the ID, the RD bit, the question's type and an OPT
 * record are written into a copy (RFC 5936 section 2.2.1: the ID and question are the query's).
 *
 * <p>Each message holds as many records as fit in {@value #MESSAGE_LIMIT} bytes, so that every
 * name in it can be a compression target (a pointer has 14 bits, RFC 1035 section 4.1.4), as NSD
 * does. Owner names are compressed, and so are the names in NS and SOA data (RFC 3597 section 4
 * allows it for the types of RFC 1035 only); other data is written as it is, never compressed.
 * The question, {@code . IN AXFR} or {@code . IN IXFR}, is in the first message only.
 */
final class TransferPlan {
  /** The largest message, header and question included, but not the OPT record added per query. */
  static final int MESSAGE_LIMIT = 0x3FFF;

  private static final int HEADER = 12;
  /** The question is the root name (one byte), then the type at this offset, then the class. */
  private static final int QTYPE_OFFSET = HEADER + 1;
  private static final int ARCOUNT_OFFSET = 10;
  private static final int ANCOUNT_OFFSET = 6;
  /** QR and AA set, opcode QUERY, rcode NOERROR (RFC 5936 section 2.2.1). */
  private static final int FLAGS = 0x8400;
  private static final int OPT_LENGTH = 11;

  private final List<byte[]> messages;
  private final int records;

  private TransferPlan(List<byte[]> messages, int records) {
    this.messages = List.copyOf(messages);
    this.records = records;
  }

  /** Encodes {@code answer} in order, in as few messages as {@link #MESSAGE_LIMIT} allows. */
  static TransferPlan of(List<? extends Record> answer) {
    List<byte[]> messages = new ArrayList<>();
    Encoder m = new Encoder(true);
    for (Record r : answer) {
      if (!m.add(r)) {
        messages.add(m.finish());
        m = new Encoder(false);
        m.addAlways(r);
      }
    }
    messages.add(m.finish());
    return new TransferPlan(messages, answer.size());
  }

  int messageCount() {
    return messages.size();
  }

  int recordCount() {
    return records;
  }

  /** The bytes of every message together, before any OPT record. */
  long bytes() {
    return messages.stream().mapToLong(m -> m.length).sum();
  }

  /** Whether the answer is one message of at most {@code limit} bytes, the OPT record included when there is one. */
  boolean fitsOneMessage(int limit, Edns edns) {
    return messages.size() == 1 && messages.get(0).length + (edns == null ? 0 : OPT_LENGTH) <= limit;
  }

  /**
   * Sends every message in order, each a fresh buffer the sink may keep.
   *
   * @param qtype the query's type, AXFR or IXFR, written into the first message's question
   * @param edns the query's EDNS, or null when it had no OPT record: then the replies have none either
   */
  void send(int id, boolean recursionDesired, int qtype, Edns edns, ResponseSink sink) throws IOException {
    for (int i = 0; i < messages.size(); i++) {
      byte[] m = messages.get(i);
      ByteBuffer b = ByteBuffer.allocate(m.length + (edns == null ? 0 : OPT_LENGTH));
      b.put(m);
      b.putShort(0, (short) id);
      if (recursionDesired) {
        b.put(2, (byte) (b.get(2) | 0x01)); // RD copied (RFC 5936 section 2.2.1)
      }
      if (i == 0) {
        b.putShort(QTYPE_OFFSET, (short) qtype);
      }
      if (edns != null) {
        // RFC 6891 section 6.1.1: an OPT in the request, one in the response
        b.putShort(ARCOUNT_OFFSET, (short) 1);
        b.put((byte) 0).putShort((short) Type.OPT).putShort((short) Replies.EDNS_PAYLOAD)
            .put((byte) 0).put((byte) 0).putShort((short) (edns.dnssecOk() ? 0x8000 : 0)).putShort((short) 0);
      }
      b.flip();
      sink.send(b);
    }
  }

  /** What a query's OPT record asked for that the replies echo: the DO bit (RFC 3225 section 3). */
  record Edns(boolean dnssecOk) {}

  /** One message being filled. */
  private static final class Encoder {
    private final DNSOutput out = new DNSOutput(MESSAGE_LIMIT + 1024);
    private final Compression compression = new Compression();
    private int count;

    Encoder(boolean question) {
      out.writeU16(0); // ID, per query
      out.writeU16(FLAGS);
      out.writeU16(question ? 1 : 0);
      out.writeU16(0); // ANCOUNT, at the end
      out.writeU16(0);
      out.writeU16(0);
      if (question) {
        out.writeU8(0); // the root
        out.writeU16(Type.AXFR); // per query
        out.writeU16(DClass.IN);
      }
    }

    /** Adds {@code r} unless the message would grow past the limit; an empty message takes any record. */
    boolean add(Record r) {
      int mark = out.current();
      write(r);
      if (out.current() > MESSAGE_LIMIT && count > 0) {
        // the compression table now names offsets past the mark, but nothing more is written here
        out.jump(mark);
        return false;
      }
      count++;
      return true;
    }

    void addAlways(Record r) {
      write(r);
      count++;
    }

    byte[] finish() {
      out.writeU16At(count, ANCOUNT_OFFSET);
      return out.toByteArray();
    }

    private void write(Record r) {
      r.getName().toWire(out, compression);
      out.writeU16(r.getType());
      out.writeU16(r.getDClass());
      out.writeU32(r.getTTL());
      int lengthAt = out.current();
      out.writeU16(0);
      int start = out.current();
      switch (r) {
        case NSRecord ns -> ns.getTarget().toWire(out, compression);
        case SOARecord soa -> {
          soa.getHost().toWire(out, compression);
          soa.getAdmin().toWire(out, compression);
          out.writeU32(soa.getSerial());
          out.writeU32(soa.getRefresh());
          out.writeU32(soa.getRetry());
          out.writeU32(soa.getExpire());
          out.writeU32(soa.getMinimum());
        }
        default -> {
          // dnsjava writes a lone record uncompressed: owner name, 10 bytes of type to length, data
          byte[] wire = r.toWire(Section.ANSWER);
          int from = r.getName().length() + 10;
          out.writeByteArray(wire, from, wire.length - from);
        }
      }
      out.writeU16At(out.current() - start, lengthAt);
    }
  }
}
