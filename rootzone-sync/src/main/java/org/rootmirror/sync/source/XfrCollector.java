package org.rootmirror.sync.source;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.ZoneTransferException;
import org.xbill.DNS.ZoneTransferIn;

/**
 * Receives one zone transfer from dnsjava's {@link ZoneTransferIn}: an AXFR-style answer is
 * written out as zone text while it arrives (one {@link Record#toString()} per line, in the order
 * received, the closing SOA left out), IXFR differences are kept as records. Everything received
 * counts against the size cap, measured as zone text.
 */
final class XfrCollector implements ZoneTransferIn.ZoneTransferHandler {
  /** Progress is reported every this many bytes of text. */
  private static final long PROGRESS_STEP = 64 * 1024;

  /** The transfer went past the size cap; thrown from inside the transfer so that it stops at once. */
  static final class TooLarge extends ZoneTransferException {
    private static final long serialVersionUID = 1L;

    TooLarge(String message) {
      super(message);
    }
  }

  private final Name zone;
  private final long maxBytes;
  private final FetchContext.Progress progress;
  private Runnable onRecord = () -> {};
  private long received;
  private long reported;

  // AXFR-style answer
  private ByteArrayOutputStream text;
  private SOARecord first;
  private int records;
  private boolean ended;

  // IXFR-style answer
  private List<IxfrDeltas.Delta> deltas;
  private SOARecord from;
  private List<Record> deletes;
  private SOARecord to;
  private List<Record> adds;

  XfrCollector(Name zone, long maxBytes, FetchContext.Progress progress) {
    this.zone = zone;
    this.maxBytes = maxBytes;
    this.progress = progress;
  }

  /** Runs {@code action} on every record received (the stall watchdog's sign of life). */
  void onRecord(Runnable action) {
    this.onRecord = action;
  }

  @Override
  public void startAXFR() {
    text = new ByteArrayOutputStream(1 << 20);
  }

  @Override
  public void startIXFR() {
    deltas = new ArrayList<>();
  }

  @Override
  public void startIXFRDeletes(Record soa) throws ZoneTransferException {
    onRecord.run();
    finishDelta();
    from = (SOARecord) soa;
    deletes = new ArrayList<>();
    count(soa);
  }

  @Override
  public void startIXFRAdds(Record soa) throws ZoneTransferException {
    onRecord.run();
    to = (SOARecord) soa;
    adds = new ArrayList<>();
    count(soa);
  }

  @Override
  public void handleRecord(Record r) throws ZoneTransferException {
    onRecord.run();
    if (deltas != null) {
      (adds != null ? adds : deletes).add(r);
      count(r);
    } else if (first == null) {
      if (!(r instanceof SOARecord soa) || !soa.getName().equals(zone)) {
        throw new ZoneTransferException("the transfer begins with " + r + ", not the SOA of " + zone);
      }
      first = soa;
      write(r);
    } else if (r instanceof SOARecord last) {
      // RFC 5936 section 2.2: the transfer ends with the SOA it began with
      if (!last.equals(first)) {
        throw new ZoneTransferException("the transfer began with SOA serial " + first.getSerial()
            + " and ended with a different SOA (serial " + last.getSerial() + ")");
      }
      ended = true;
    } else {
      write(r);
    }
  }

  boolean isAxfr() {
    return text != null && ended;
  }

  boolean isIxfr() {
    return deltas != null;
  }

  /** True when the server answered with its SOA alone: the zone held is current. */
  boolean isCurrent() {
    return text == null && deltas == null;
  }

  /** The AXFR-style answer as zone text. */
  byte[] text() {
    progress.bytes(received, received);
    return text.toByteArray();
  }

  long serial() {
    return first.getSerial();
  }

  int records() {
    return records;
  }

  /** The IXFR-style answer: its differences in the order received. */
  List<IxfrDeltas.Delta> deltas() {
    finishDelta();
    return List.copyOf(deltas);
  }

  private void finishDelta() {
    if (from != null && to != null) {
      deltas.add(new IxfrDeltas.Delta(from, deletes, to, adds));
      from = null;
      to = null;
      deletes = null;
      adds = null;
    }
  }

  private void write(Record r) throws TooLarge {
    byte[] line = (r + "\n").getBytes(StandardCharsets.UTF_8);
    grow(line.length);
    text.writeBytes(line);
    records++;
  }

  private void count(Record r) throws TooLarge {
    grow(r.toString().length() + 1L);
  }

  private void grow(long bytes) throws TooLarge {
    received += bytes;
    if (received > maxBytes) {
      throw new TooLarge("the zone is larger than the cap of " + maxBytes + " bytes");
    }
    if (received - reported >= PROGRESS_STEP) {
      reported = received;
      progress.bytes(received, -1);
    }
  }
}
