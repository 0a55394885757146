package org.rootmirror.sync.changes;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.rootmirror.sync.changes.ZoneDifference.Delegation;
import org.rootmirror.sync.changes.ZoneDifference.DelegationChange;
import org.rootmirror.sync.changes.ZoneDifference.RecordChange;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * ChangesText -- a {@link ChangeEntry} for people: a line naming the serial, then one indented line
 * per change: {@code +} a TLD added, {@code -} one removed, {@code ~} one RRset of a TLD (or the
 * apex DNSKEY RRset) that changed, with its records added ({@code +}) and removed ({@code -}).
 */
public final class ChangesText {
  /** Enough of a DS digest to tell two apart at a glance; the JSON has it whole. */
  private static final int DIGEST_SHOWN = 8;

  private ChangesText() {}

  public static List<String> lines(ChangeEntry e) {
    List<String> lines = new ArrayList<>();
    String head = e.serial() + " (published " + e.at() + (e.isStart() ? "" : ", after " + e.previous()) + "): "
        + e.delegations() + " TLDs; ";
    ZoneDifference d = e.difference();
    if (e.isStart()) {
      lines.add(head + e.note());
      return lines;
    }
    if (d.isEmpty()) {
      lines.add(head + "no change to delegations or apex keys");
      return lines;
    }
    lines.add(head + d.added().size() + " added, " + d.removed().size() + " removed, " + d.changed().size() + " changed");
    if (!d.dnskey().isEmpty()) {
      lines.add("  ~ .  DNSKEY " + change(d.dnskey(), ChangesText::key));
    }
    for (Delegation a : d.added()) {
      lines.add("  + " + a.name() + "  TLD added: " + records(a));
    }
    for (Delegation r : d.removed()) {
      lines.add("  - " + r.name() + "  TLD removed (had " + records(r) + ")");
    }
    for (DelegationChange c : d.changed()) {
      if (!c.ns().isEmpty()) {
        lines.add("  ~ " + c.name() + "  NS " + change(c.ns(), ChangesText::ns));
      }
      if (!c.ds().isEmpty()) {
        lines.add("  ~ " + c.name() + "  DS " + change(c.ds(), ChangesText::ds));
      }
      if (!c.glue().isEmpty()) {
        lines.add("  ~ " + c.name() + "  glue " + change(c.glue(), ChangesText::glue));
      }
    }
    return lines;
  }

  private static String records(Delegation d) {
    String s = "NS " + join(d.ns(), ChangesText::ns) + "; " + (d.ds().isEmpty() ? "no DS (unsigned)" : "DS " + join(d.ds(), ChangesText::ds));
    int glue = d.glue().size();
    return glue == 0 ? s : s + "; " + glue + (glue == 1 ? " glue address" : " glue addresses");
  }

  private static String change(RecordChange c, Function<Record, String> show) {
    List<String> parts = new ArrayList<>();
    c.added().forEach(r -> parts.add("+" + show.apply(r)));
    c.removed().forEach(r -> parts.add("-" + show.apply(r)));
    return String.join(" ", parts);
  }

  private static String join(List<Record> records, Function<Record, String> show) {
    return records.stream().map(show).collect(Collectors.joining(", "));
  }

  private static String ns(Record r) {
    return ((NSRecord) r).getTarget().toString();
  }

  /** Key tag, algorithm, digest type (RFC 4034 section 5.1) and the digest's start. */
  private static String ds(Record r) {
    DSRecord ds = (DSRecord) r;
    String digest = HexFormat.of().withUpperCase().formatHex(ds.getDigest());
    return ds.getFootprint() + " " + ds.getAlgorithm() + " " + ds.getDigestID() + " "
        + (digest.length() > DIGEST_SHOWN ? digest.substring(0, DIGEST_SHOWN) + "..." : digest);
  }

  private static String glue(Record r) {
    return r.getName() + " " + Type.string(r.getType()) + " " + r.rdataToString();
  }

  /** Key tag, KSK (the SEP flag) or ZSK, algorithm, and the REVOKE flag (RFC 4034 section 2.1.1, RFC 5011 section 7). */
  private static String key(Record r) {
    DNSKEYRecord k = (DNSKEYRecord) r;
    boolean sep = (k.getFlags() & DNSKEYRecord.Flags.SEP_KEY) != 0;
    boolean revoked = (k.getFlags() & DNSKEYRecord.Flags.REVOKE) != 0;
    return k.getFootprint() + " (" + (sep ? "KSK" : "ZSK") + ", algorithm " + k.getAlgorithm() + (revoked ? ", revoked" : "") + ")";
  }
}
