package org.rootmirror.resolver.deckard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * One ENTRY of a scenario: a DNS message plus how to match it (MATCH) and, as an answer template,
 * how to adjust it (ADJUST) — the rules of Deckard's pydnstest (scenario.py, matchpart.py). Used
 * three ways: the query a STEP sends, the answer a CHECK_ANSWER expects, and the template a RANGE
 * answers the resolver's queries with.
 */
final class Entry {
  /** pydnstest's defaults for records without TTL or class. */
  private static final long DEFAULT_TTL = 3600;
  /** The header flags a REPLY line may name (DO lives in EDNS). */
  private static final List<String> FLAGS = List.of("QR", "AA", "TC", "RD", "RA", "AD", "CD");

  final Set<String> match;
  final Set<String> adjust;
  /** Header flags named by REPLY (QR AA TC RD RA AD CD). */
  final Set<String> flags;
  final boolean dnssecOk;
  final int rcode;
  final int opcode;
  final List<Record> question;
  final List<Record> answer;
  final List<Record> authority;
  final List<Record> additional;
  /** RAW bytes (sent as they are), or null. */
  final byte[] raw;

  private Entry(Builder b) {
    match = b.match;
    adjust = b.adjust;
    flags = b.flags;
    dnssecOk = b.dnssecOk;
    rcode = b.rcode;
    opcode = b.opcode;
    question = List.copyOf(b.question);
    answer = List.copyOf(b.answer);
    authority = List.copyOf(b.authority);
    additional = List.copyOf(b.additional);
    raw = b.raw;
  }

  static InetAddress address(String text) {
    try {
      return org.xbill.DNS.Address.getByAddress(text);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address: " + text);
    }
  }

  /** The query a QUERY step sends: EDNS 0 with a 4096-byte buffer, as pydnstest's Entry. */
  byte[] query(int id) {
    if (raw != null) {
      return raw.clone();
    }
    Message m = message(id);
    m.addRecord(new OPTRecord(4096, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    return m.toWire();
  }

  /**
   * This template's answer to {@code query} (scenario.py DNSReply.adjust_reply), or null when it
   * says do_not_answer. EDNS mirrors the query's; copy_id takes the query's ID and the case of its
   * name; copy_query takes its whole question.
   */
  byte[] reply(Message query) {
    if (adjust.contains("do_not_answer")) {
      return null;
    }
    if (raw != null) {
      byte[] wire = raw.clone();
      if (adjust.contains("raw_id") && wire.length >= 2) {
        wire[0] = (byte) (query.getHeader().getID() >>> 8);
        wire[1] = (byte) query.getHeader().getID();
      }
      return wire;
    }
    boolean copyId = adjust.contains("copy_id");
    // without copy_id the template keeps an ID of its own, which the resolver cannot take for
    // the answer to its query
    Message m = message(copyId ? query.getHeader().getID() : (query.getHeader().getID() + 1) & 0xffff);
    Record asked = query.getQuestion();
    if (adjust.contains("copy_query") && asked != null) {
      m.removeAllRecords(Section.QUESTION);
      m.addRecord(asked, Section.QUESTION);
    } else if (copyId && asked != null && m.getQuestion() != null) {
      Record q = m.getQuestion();
      m.removeAllRecords(Section.QUESTION);
      m.addRecord(Record.newRecord(asked.getName(), q.getType(), q.getDClass()), Section.QUESTION);
    }
    OPTRecord opt = query.getOPT();
    if (opt != null) {
      m.addRecord(new OPTRecord(4096, 0, 0, opt.getFlags() & ExtendedFlags.DO), Section.ADDITIONAL);
    }
    return m.toWire();
  }

  private Message message(int id) {
    Message m = new Message(id);
    Header h = m.getHeader();
    for (String f : flags) {
      h.setFlag(Flags.value(f));
    }
    h.setOpcode(opcode);
    h.setRcode(rcode);
    question.forEach(r -> m.addRecord(r, Section.QUESTION));
    answer.forEach(r -> m.addRecord(r, Section.ANSWER));
    authority.forEach(r -> m.addRecord(r, Section.AUTHORITY));
    additional.forEach(r -> m.addRecord(r, Section.ADDITIONAL));
    return m;
  }

  /**
   * Whether {@code got} matches this entry on every MATCH element (matchpart.py); null when it
   * does, else what differs.
   */
  String mismatch(Message got) {
    for (String element : match) {
      String why = mismatch(element, got);
      if (why != null) {
        return element + ": " + why;
      }
    }
    return null;
  }

  private String mismatch(String element, Message got) {
    Record exp = question.isEmpty() ? null : question.get(0);
    Record gotQ = got.getQuestion();
    return switch (element) {
      case "opcode" -> compare(Opcode.string(opcode), Opcode.string(got.getHeader().getOpcode()));
      case "qtype" -> exp == null && gotQ == null ? null
          : exp == null || gotQ == null ? compare(exp, gotQ) : compare(Type.string(exp.getType()), Type.string(gotQ.getType()));
      case "qname" -> exp == null && gotQ == null ? null
          : exp == null || gotQ == null ? compare(exp, gotQ) : exp.getName().equals(gotQ.getName()) ? null : compare(exp.getName(), gotQ.getName());
      case "qcase" -> exp == null && gotQ == null ? null
          : exp == null || gotQ == null ? compare(exp, gotQ) : compare(exp.getName().toString(), gotQ.getName().toString());
      case "subdomain" -> exp == null || (gotQ == null ? Name.root : gotQ.getName()).subdomain(exp.getName()) ? null
          : "expected a name under " + exp.getName() + ", got " + (gotQ == null ? "no question" : gotQ.getName());
      case "flags" -> compare(flagText(flags), flagText(got.getHeader()));
      case "rcode" -> compare(Rcode.string(rcode), Rcode.string(got.getRcode()));
      case "answer" -> records(answer, got.getSection(Section.ANSWER));
      case "authority" -> records(authority, got.getSection(Section.AUTHORITY));
      case "additional" -> records(additional, got.getSection(Section.ADDITIONAL));
      default -> "unsupported MATCH element";
    };
  }

  private static String compare(Object expected, Object got) {
    return String.valueOf(expected).equals(String.valueOf(got)) ? null : "expected \"" + expected + "\" got \"" + got + "\"";
  }

  private static String flagText(Set<String> names) {
    return FLAGS.stream().filter(names::contains).reduce((a, b) -> a + " " + b).orElse("");
  }

  private static String flagText(Header h) {
    return FLAGS.stream().filter(f -> h.getFlag(Flags.value(f))).reduce((a, b) -> a + " " + b).orElse("");
  }

  /**
   * Each expected record in what came and each record that came expected, counts equal; owners
   * case-insensitive, TTLs ignored, rdata compared in canonical form (matchpart.compare_rrs).
   * OPT and TSIG are not section records in pydnstest.
   */
  private static String records(List<Record> expected, List<Record> got) {
    List<Record> received = got.stream().filter(r -> r.getType() != Type.OPT && r.getType() != Type.TSIG).toList();
    List<String> e = canonical(expected);
    List<String> g = canonical(received);
    if (e.equals(g)) {
      return null;
    }
    return "expected\n    " + String.join("\n    ", expected.stream().map(Record::toString).toList())
        + "\n  got\n    " + String.join("\n    ", received.stream().map(Record::toString).toList());
  }

  private static List<String> canonical(List<Record> records) {
    List<String> keys = new ArrayList<>();
    for (Record r : records) {
      keys.add(r.getName().canonicalize() + " " + r.getDClass() + " " + r.getType() + " " + HexFormat.of().formatHex(r.rdataToWireCanonical()));
    }
    keys.sort(Comparator.naturalOrder());
    return keys;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    if (raw != null) {
      return "RAW " + HexFormat.of().formatHex(raw);
    }
    s.append("REPLY ").append(Rcode.string(rcode)).append(' ').append(flagText(flags)).append(dnssecOk ? " DO" : "");
    question.forEach(r -> s.append("\n  ? ").append(r.getName()).append(' ').append(Type.string(r.getType())));
    answer.forEach(r -> s.append("\n  AN ").append(r));
    authority.forEach(r -> s.append("\n  AU ").append(r));
    additional.forEach(r -> s.append("\n  AD ").append(r));
    return s.toString();
  }

  static final class Builder {
    private final Set<String> match = new LinkedHashSet<>();
    private final Set<String> adjust = new LinkedHashSet<>();
    private final Set<String> flags = new LinkedHashSet<>();
    private boolean dnssecOk;
    private int rcode = Rcode.NOERROR;
    private int opcode = Opcode.QUERY;
    private final List<Record> question = new ArrayList<>();
    private final List<Record> answer = new ArrayList<>();
    private final List<Record> authority = new ArrayList<>();
    private final List<Record> additional = new ArrayList<>();
    private byte[] raw;

    void match(List<String> elements) {
      for (String e : elements) {
        switch (e) {
          case "all" -> match.addAll(List.of("opcode", "qtype", "qname", "flags", "rcode", "answer", "authority", "additional"));
          case "question" -> match.addAll(List.of("qtype", "qname"));
          default -> match.add(e);
        }
      }
    }

    void adjust(List<String> elements) {
      adjust.addAll(elements);
    }

    void reply(List<String> words) {
      for (String w : words) {
        String u = w.toUpperCase(Locale.ROOT);
        if (FLAGS.contains(u)) {
          flags.add(u);
        } else if (u.equals("DO")) {
          dnssecOk = true;
        } else if (Rcode.value(u) >= 0) {
          rcode = Rcode.value(u);
        } else if (Opcode.value(u) >= 0) {
          opcode = Opcode.value(u);
        }
        // anything else (words of a stray comment) is ignored, as pydnstest ignores it
      }
    }

    void raw(String hex) {
      raw = HexFormat.of().parseHex(hex);
    }

    /** A record line: owner [TTL] [class] type rdata (rdata absent in the question section). */
    void record(String section, List<String> tokens) {
      try {
        Name owner = Name.fromString(tokens.get(0), Name.root);
        int i = 1;
        long ttl = DEFAULT_TTL;
        if (i < tokens.size() && tokens.get(i).matches("\\d+")) {
          ttl = Long.parseLong(tokens.get(i++));
        }
        int dclass = DClass.IN;
        if (i < tokens.size() && DClass.value(tokens.get(i)) >= 0 && Type.value(tokens.get(i)) < 0) {
          dclass = DClass.value(tokens.get(i++));
        }
        int type = Type.value(tokens.get(i++), true);
        if (type < 0) {
          throw new IllegalArgumentException("unknown type " + tokens.get(i - 1));
        }
        List<String> rdata = new ArrayList<>(tokens.subList(i, tokens.size()));
        switch (section) {
          case "QUESTION" -> question.add(Record.newRecord(owner, type, dclass));
          case "ANSWER", "AUTHORITY", "ADDITIONAL" -> {
            if (type == Type.DS && rdata.size() > 1 && !rdata.get(1).matches("\\d+")) {
              rdata.set(1, Integer.toString(DNSSEC.Algorithm.value(rdata.get(1))));
            }
            Record r = rdata.isEmpty() ? Record.newRecord(owner, type, dclass, ttl) : fromText(owner, type, dclass, ttl, rdata);
            (section.equals("ANSWER") ? answer : section.equals("AUTHORITY") ? authority : additional).add(r);
          }
          default -> throw new IllegalArgumentException("unknown section " + section);
        }
      } catch (TextParseException e) {
        throw new IllegalArgumentException("bad record " + String.join(" ", tokens) + ": " + e.getMessage());
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("bad record " + String.join(" ", tokens) + ": " + e.getMessage());
      }
    }

    /**
     * dnspython's reader, which pydnstest uses, takes base64 with surplus padding ("UNUSABLE==",
     * for a signature meant not to verify); dnsjava does not, so such a field is re-padded.
     */
    private static Record fromText(Name owner, int type, int dclass, long ttl, List<String> rdata) throws java.io.IOException {
      String text = String.join(" ", rdata);
      try {
        return Record.fromString(owner, type, dclass, ttl, text, Name.root);
      } catch (TextParseException e) {
        if (type != Type.RRSIG && type != Type.DNSKEY || !text.endsWith("=")) {
          throw e;
        }
        String last = rdata.get(rdata.size() - 1).replace("=", "");
        String padded = last + "=".repeat((4 - last.length() % 4) % 4);
        List<String> fixed = new ArrayList<>(rdata.subList(0, rdata.size() - 1));
        fixed.add(padded);
        return Record.fromString(owner, type, dclass, ttl, String.join(" ", fixed), Name.root);
      }
    }

    Entry build() {
      return new Entry(this);
    }
  }
}
