package org.rootmirror.dnssec.anchor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A set of trust anchors: the built-in root anchors, anchors read from a file or text (for the root
 * and for any other zones), or none at all, which means "do not validate" (RFC 4033 section 5: with
 * no trust anchor nothing can be proven secure, so nothing is bogus either).
 */
public final class TrustAnchors {
  private static final Logger log = LoggerFactory.getLogger(TrustAnchors.class);

  /**
   * IANA's root KSKs in force today, as published in root-anchors.xml: KSK-2017 (valid from
   * 2017-02-02) and KSK-2024 (valid from 2024-07-18). The same values as Debian's dns-root-data.
   */
  private static final String BUILT_IN =
      """
      . IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
      . IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16
      """;

  private static final Instant KSK_2017_FROM = Instant.parse("2017-02-02T00:00:00Z");
  private static final Instant KSK_2024_FROM = Instant.parse("2024-07-18T00:00:00Z");

  private final List<TrustAnchor> anchors;

  private TrustAnchors(List<TrustAnchor> anchors) {
    this.anchors = List.copyOf(anchors);
  }

  public static TrustAnchors of(List<TrustAnchor> anchors) {
    return new TrustAnchors(anchors);
  }

  /** No anchors: a resolver given these does not validate (no AD, never bogus). */
  public static TrustAnchors none() {
    return new TrustAnchors(List.of());
  }

  /** Whether there is any anchor, that is whether a resolver with these anchors validates at all. */
  public boolean validating() {
    return !anchors.isEmpty();
  }

  /** The root trust anchors compiled into rootmirror. */
  public static TrustAnchors builtIn() {
    List<TrustAnchor> list = new ArrayList<>();
    for (TrustAnchor a : parseZoneFormat(BUILT_IN, "built-in anchors").anchors) {
      Instant from = a.keyTag() == 20326 ? KSK_2017_FROM : KSK_2024_FROM;
      list.add(new TrustAnchor(a.record(), from, null));
    }
    return new TrustAnchors(list);
  }

  /**
   * Reads anchors from {@code file}: IANA's root-anchors.xml, or DS and DNSKEY records in zone-file
   * format (root.ds, root.key). The format is recognised from the content.
   */
  public static TrustAnchors read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String head = new String(bytes, 0, Math.min(bytes.length, 256), StandardCharsets.UTF_8).stripLeading();
    if (head.startsWith("<")) {
      return parseXml(bytes, file.toString());
    }
    return parseZoneFormat(new String(bytes, StandardCharsets.UTF_8), file.toString());
  }

  /**
   * DS and DNSKEY records in zone-file format, as in root.key or Unbound's {@code trust-anchor:}
   * strings ({@code ". 3600 IN DS 19036 8 2 49AAC1..."}, {@code "example.com. IN DNSKEY 257 3 5
   * AwEAA..."}): for any zones, several per text, with or without TTL and class, algorithms as
   * numbers or mnemonics (RFC 4034 appendix A.1: {@code RSASHA256}, {@code ECDSAP256SHA256}). Other
   * record types are an error, so that a wrong file is not taken for an empty anchor set.
   *
   * @throws IllegalArgumentException naming the source and line of the first bad record, in one line
   */
  public static TrustAnchors parseZoneFormat(String text, String source) {
    List<TrustAnchor> list = new ArrayList<>();
    String numeric = unmatchableDs(numericDsAlgorithms(text), source, list);
    try (Master master = new Master(new ByteArrayInputStream(numeric.getBytes(StandardCharsets.UTF_8)), Name.root, 0)) {
      Record r;
      while ((r = master.nextRecord()) != null) {
        if (r.getDClass() != DClass.IN || !(r instanceof DSRecord || r instanceof DNSKEYRecord)) {
          throw new IllegalArgumentException(
              source + ": only IN DS and DNSKEY records can be trust anchors, not: " + r);
        }
        list.add(TrustAnchor.of(r));
      }
    } catch (IOException e) {
      // dnsjava says "<none>:2: expected a string": the source is ours to name
      String message = String.valueOf(e.getMessage()).replace('\n', ' ').replaceFirst("^<none>:(\\d+): ", "$1: ");
      throw new IllegalArgumentException(source + ":" + (Character.isDigit(message.charAt(0)) ? "" : " ") + message, e);
    }
    if (list.isEmpty()) {
      throw new IllegalArgumentException(source + ": no DS or DNSKEY records found");
    }
    return new TrustAnchors(list);
  }

  /** A DS record on one line: owner, optional TTL and class, key tag, algorithm, digest type, digest. */
  private static final Pattern DS_LINE = Pattern.compile(
      "(?im)^(\\S+)((?:[ \\t]+(?:\\d+|IN))*)[ \\t]+DS[ \\t]+(\\d+)[ \\t]+(\\d+)[ \\t]+(\\d+)[ \\t]+([0-9A-F][0-9A-F \\t]*?)[ \\t]*(?:;.*)?$");

  /**
   * Takes out of {@code text} the DS records whose digest has not the length of their digest type
   * (a SHA-1 digest of 32 bytes, say), which dnsjava refuses to read, and adds them to {@code
   * list} as they are, with one warning each. Such an anchor can match no key (RFC 4034 section
   * 5.1.4: the digest is the hash of the key), so the zone it anchors is bogus, as Unbound loads
   * it and answers SERVFAIL below it, rather than the resolver refusing to start.
   */
  private static String unmatchableDs(String text, String source, List<TrustAnchor> list) {
    Matcher m = DS_LINE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String hex = m.group(6).replaceAll("[ \\t]", "");
      int digestType;
      int expected;
      DSRecord ds;
      try {
        digestType = Integer.parseInt(m.group(5));
        expected = digestLength(digestType);
        if (expected < 0 || hex.length() % 2 != 0 || hex.length() / 2 == expected) {
          continue;
        }
        ds = dsAsItIs(Name.fromString(m.group(1), Name.root), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
            digestType, HexFormat.of().parseHex(hex));
      } catch (IOException | NumberFormatException e) {
        continue; // left for Master to report
      }
      log.warn("{}: trust anchor {} DS {} {} {}: a digest of type {} is {} bytes, this one {}: it can match no key, and {} will be bogus",
          source, ds.getName(), ds.getFootprint(), ds.getAlgorithm(), digestType, digestType, expected, hex.length() / 2, ds.getName());
      list.add(TrustAnchor.of(ds));
      m.appendReplacement(out, "");
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The digest length of a DS digest type dnsjava checks (RFC 4034, RFC 4509, RFC 6605), or -1. */
  private static int digestLength(int digestType) {
    return switch (digestType) {
      case DNSSEC.Digest.SHA1 -> 20;
      case DNSSEC.Digest.SHA256 -> 32;
      case DNSSEC.Digest.SHA384 -> 48;
      default -> -1;
    };
  }

  /** A DS with whatever digest it has: through the wire form, as dnsjava's constructors check the length. */
  private static DSRecord dsAsItIs(Name owner, int keyTag, int algorithm, int digestType, byte[] digest) throws IOException {
    DNSOutput wire = new DNSOutput();
    owner.toWire(wire, null);
    wire.writeU16(Type.DS);
    wire.writeU16(DClass.IN);
    wire.writeU32(0);
    wire.writeU16(4 + digest.length);
    wire.writeU16(keyTag);
    wire.writeU8(algorithm);
    wire.writeU8(digestType);
    wire.writeByteArray(digest);
    return (DSRecord) Record.fromWire(wire.toByteArray(), Section.ANSWER);
  }

  /** The DS algorithm field in a DS record's text: after the type and the key tag. */
  private static final Pattern DS_ALGORITHM =
      Pattern.compile("(?i)(\\bDS\\s+\\d+\\s+)([A-Z][A-Z0-9-]*)(?=\\s)");

  /**
   * dnsjava reads a DNSKEY's algorithm as a number or a mnemonic but a DS's only as a number;
   * RFC 4034 section 5.3 allows the mnemonic in both, and anchors are often written so.
   */
  private static String numericDsAlgorithms(String text) {
    Matcher m = DS_ALGORITHM.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      int algorithm = DNSSEC.Algorithm.value(m.group(2).toUpperCase(Locale.ROOT));
      String replacement = algorithm < 0 ? m.group(0) : m.group(1) + algorithm;
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * IANA's root-anchors.xml (RFC 9718): one DS per KeyDigest, in force from its validFrom until
   * its validUntil. This does not check the file's signature; {@link AnchorSignature} does.
   *
   * @throws IllegalArgumentException naming what is missing or malformed
   */
  public static TrustAnchors parseXml(byte[] xml, String source) {
    Document doc;
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      // the file comes from the network: no DTDs, no external entities
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setExpandEntityReferences(false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(null);
      doc = b.parse(new ByteArrayInputStream(xml));
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new IllegalArgumentException(source + ": not a valid root-anchors XML file: " + e.getMessage(), e);
    }
    Element root = doc.getDocumentElement();
    if (!"TrustAnchor".equals(root.getTagName())) {
      throw new IllegalArgumentException(source + ": root element is <" + root.getTagName() + ">, not <TrustAnchor>");
    }
    Name zone;
    try {
      zone = Name.fromString(text(root, "Zone", source), Name.root);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": bad <Zone>: " + e.getMessage(), e);
    }
    List<TrustAnchor> list = new ArrayList<>();
    NodeList digests = root.getElementsByTagName("KeyDigest");
    for (int i = 0; i < digests.getLength(); i++) {
      Element kd = (Element) digests.item(i);
      String where = source + ": KeyDigest " + kd.getAttribute("id");
      try {
        int keyTag = Integer.parseInt(text(kd, "KeyTag", where));
        int algorithm = Integer.parseInt(text(kd, "Algorithm", where));
        int digestType = Integer.parseInt(text(kd, "DigestType", where));
        byte[] digest = HexFormat.of().parseHex(text(kd, "Digest", where));
        Instant from = instant(kd.getAttribute("validFrom"), where + " validFrom");
        Instant until = kd.hasAttribute("validUntil") ? instant(kd.getAttribute("validUntil"), where + " validUntil") : null;
        DSRecord ds = new DSRecord(zone, DClass.IN, 0, keyTag, algorithm, digestType, digest);
        list.add(new TrustAnchor(ds, from, until));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    if (list.isEmpty()) {
      throw new IllegalArgumentException(source + ": no <KeyDigest> elements");
    }
    return new TrustAnchors(list);
  }

  private static String text(Element parent, String tag, String where) {
    NodeList n = parent.getElementsByTagName(tag);
    if (n.getLength() != 1) {
      throw new IllegalArgumentException(where + ": expected one <" + tag + ">, found " + n.getLength());
    }
    return n.item(0).getTextContent().strip();
  }

  private static Instant instant(String text, String where) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException(where + " is missing");
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(where + ": not an ISO 8601 date-time: " + text, e);
    }
  }

  /**
   * Hex SHA-256 over the anchors (each record in canonical wire form with its validity), in an
   * order of their own: equal for equal anchor sets, so a zone validated with one set is known to
   * need validating again under another.
   */
  public String fingerprint() {
    List<String> parts = new ArrayList<>();
    for (TrustAnchor a : anchors) {
      parts.add(HexFormat.of().formatHex(a.record().toWireCanonical()) + " " + a.validFrom() + " " + a.validUntil());
    }
    parts.sort(null);
    try {
      java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(String.join("\n", parts).getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Every anchor, whatever its validity period. */
  public List<TrustAnchor> all() {
    return anchors;
  }

  /** The anchors in force at {@code time}. */
  public List<TrustAnchor> validAt(Instant time) {
    return anchors.stream().filter(a -> a.validAt(time)).toList();
  }

  @Override
  public String toString() {
    return anchors.toString();
  }
}
