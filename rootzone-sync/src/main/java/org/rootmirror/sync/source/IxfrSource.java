package org.rootmirror.sync.source;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.sync.source.FetchException.Kind;
import org.rootmirror.sync.source.XfrClient.Deadline;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.ZoneTransferIn;

/**
 * {@code ixfr://host[:port]}: only the differences since the zone held (RFC 1995), applied to it
 * here, so that the result is still the whole zone text and is validated whole. An SOA query comes
 * first, as for {@link AxfrSource}. With no zone held, the primary sending the full zone, or
 * differences that do not fit the zone held, the result comes from an AXFR-style transfer.
 */
public final class IxfrSource implements ZoneSource {
  private final XfrClient client;

  /** A source of the root zone at {@code uri}; the port defaults to 53, an IPv6 host is bracketed. */
  public IxfrSource(URI uri) {
    this(uri, Name.root);
  }

  /** A source of {@code zone} (an absolute name) at {@code uri}. */
  public IxfrSource(URI uri, Name zone) {
    this.client = XfrClient.of(uri, "ixfr", zone);
  }

  @Override
  public URI uri() {
    return client.uri();
  }

  @Override
  public FetchResult fetch(FetchContext context) throws FetchException {
    Deadline deadline = Deadline.start(context.limits());
    InetSocketAddress primary = client.resolve();
    long serial = client.primarySerial(primary, context.limits(), deadline);
    Zone current = context.current();
    SOARecord held = current == null ? null : current.soa();
    // the skip goes by what is known, as for AXFR; the zone held is what differences apply to
    FetchResult.Unchanged unchanged = XfrClient.unchanged(serial, context.known().serial());
    if (unchanged != null) {
      return unchanged;
    }
    if (held == null) {
      return client.axfr(primary, context, deadline, "no zone held to apply differences to: ");
    }

    // RFC 1995 section 2: the query carries the serial held; fall back to AXFR when IXFR is not implemented
    XfrCollector collector = new XfrCollector(client.zone(), context.limits().maxBytes(), context.progress());
    ZoneTransferIn transfer = ZoneTransferIn.newIXFR(client.zone(), held.getSerial(), true, primary, null);
    client.run(transfer, collector, context.limits(), deadline);
    String from = "from " + XfrClient.address(primary);
    if (collector.isCurrent()) {
      return new FetchResult.Unchanged("IXFR " + from + ": serial " + held.getSerial() + " is current");
    }
    if (collector.isAxfr()) {
      return client.fetched(collector.text(), "IXFR " + from + " answered with the whole zone: serial "
          + collector.serial() + ", " + collector.records() + " records");
    }
    if (!collector.isIxfr()) {
      throw new FetchException(uri(), Kind.PROTOCOL, "the IXFR did not answer with a zone or differences");
    }
    List<IxfrDeltas.Delta> deltas = collector.deltas();
    List<Record> records;
    try {
      records = IxfrDeltas.apply(current.records(), deltas);
    } catch (IxfrDeltas.Mismatch e) {
      // as BIND does: differences that do not fit are no reason to give up on the primary
      return client.axfr(primary, context, deadline, "IXFR did not fit the zone held (" + e.getMessage() + "), so ");
    }
    byte[] text = text(records, context.limits().maxBytes());
    context.progress().bytes(text.length, text.length);
    long end = ((SOARecord) records.get(0)).getSerial();
    int deleted = deltas.stream().mapToInt(d -> d.deletes().size()).sum();
    int added = deltas.stream().mapToInt(d -> d.adds().size()).sum();
    return client.fetched(text, "IXFR " + from + ": serial " + held.getSerial() + " -> " + end + " in "
        + deltas.size() + (deltas.size() == 1 ? " difference" : " differences") + ", " + deleted + " records deleted, "
        + added + " added, " + records.size() + " records");
  }

  private byte[] text(List<Record> records, long maxBytes) throws FetchException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
    for (Record r : records) {
      out.writeBytes((r + "\n").getBytes(StandardCharsets.UTF_8));
      if (out.size() > maxBytes) {
        throw new FetchException(uri(), Kind.TOO_LARGE, "the zone is larger than the cap of " + maxBytes + " bytes");
      }
    }
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return client.uri().toString();
  }
}
