package org.rootmirror.dnssec.zonemd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneMDRecord;

/** The digests of RFC 8976 Appendix A, recomputed from the example zones printed there. */
class ZoneDigestTest {
  /** RFC 8976 A.1, "Simple ZONEMD Example". */
  static final String SIMPLE =
      """
      example.      86400  IN  SOA     ns1 admin 2018031900 (
                                       1800 900 604800 86400 )
                    86400  IN  NS      ns1
                    86400  IN  NS      ns2
                    86400  IN  ZONEMD  2018031900 1 1 (
                                       c68090d90a7aed71
                                       6bc459f9340e3d7c
                                       1370d4d24b7e2fc3
                                       a1ddc0b9a87153b9
                                       a9713b3c9ae5cc27
                                       777f98b8e730044c )
      ns1           3600   IN  A       203.0.113.63
      ns2           3600   IN  AAAA    2001:db8::63
      """;

  /** RFC 8976 A.2, "Complex ZONEMD Example": occluded data, duplicates, case, out-of-zone data. */
  static final String COMPLEX =
      """
      example.      86400  IN  SOA     ns1 admin 2018031900 (
                                       1800 900 604800 86400 )
                    86400  IN  NS      ns1
                    86400  IN  NS      ns2
                    86400  IN  ZONEMD  2018031900 1 1 (
                                       a3b69bad980a3504
                                       e1cffcb0fd6397f9
                                       3848071c93151f55
                                       2ae2f6b1711d4bd2
                                       d8b39808226d7b9d
                                       b71e34b72077f8fe )
      ns1           3600   IN  A       203.0.113.63
      NS2           3600   IN  AAAA    2001:db8::63
      occluded.sub  7200   IN  TXT     "I'm occluded but must be digested"
      sub           7200   IN  NS      ns1
      duplicate     300    IN  TXT     "I must be digested just once"
      duplicate     300    IN  TXT     "I must be digested just once"
      foo.test.     555    IN  TXT     "out-of-zone data must be excluded"
      UPPERCASE     3600   IN  TXT     "canonicalize uppercase owner names"
      *             777    IN  PTR     dont-forget-about-wildcards
      mail          3600   IN  MX      20 MAIL1
      mail          3600   IN  MX      10 Mail2.Example.
      sortme        3600   IN  AAAA    2001:db8::5:61
      sortme        3600   IN  AAAA    2001:db8::3:62
      sortme        3600   IN  AAAA    2001:db8::4:63
      sortme        3600   IN  AAAA    2001:db8::1:65
      sortme        3600   IN  AAAA    2001:db8::2:64
      non-apex      900    IN  ZONEMD  2018031900 1 1 (
                                       616c6c6f77656420
                                       6275742069676e6f
                                       7265642e20616c6c
                                       6f77656420627574
                                       2069676e6f726564
                                       2e20616c6c6f7765 )
      """;

  /**
   * RFC 8976 A.3, "EXAMPLE Zone with Multiple Digests": SHA-512 beside an unsupported hash. The
   * example's third ZONEMD (scheme 241, hash 1, 20 octets) is left out: dnsjava 3.7 refuses to
   * parse it, checking the SHA-384 length whatever the scheme; it is not digested either way.
   */
  static final String MULTIPLE =
      """
      example.      86400  IN  SOA     ns1 admin 2018031900 (
                                       1800 900 604800 86400 )
      example.      86400  IN  NS      ns1.example.
      example.      86400  IN  NS      ns2.example.
      example.      86400  IN  ZONEMD  2018031900 1 2 (
                                       08cfa1115c7b948c
                                       4163a901270395ea
                                       226a930cd2cbcf2f
                                       a9a5e6eb85f37c8a
                                       4e114d884e66f176
                                       eab121cb02db7d65
                                       2e0cc4827e7a3204
                                       f166b47e5613fd27 )
      example.      86400  IN  ZONEMD  2018031900 1 240 (
                                       e2d523f654b9422a
                                       96c5a8f44607bbee )
      ns1.example.  3600   IN  A       203.0.113.63
      ns2.example.  86400  IN  TXT     "This example has multiple digests"
      NS2.EXAMPLE.  3600   IN  AAAA    2001:db8::63
      """;

  private static final Name EXAMPLE = Name.fromConstantString("example.");

  @Test
  void simpleExampleDigestMatchesRfc8976() throws IOException {
    assertDigestMatchesRecord(zone(SIMPLE), ZoneDigest.HASH_SHA384);
  }

  @Test
  void complexExampleExcludesOutOfZoneDataAndCountsDuplicatesOnce() throws IOException {
    assertDigestMatchesRecord(zone(COMPLEX), ZoneDigest.HASH_SHA384);
  }

  @Test
  void sha512DigestMatchesRfc8976() throws IOException {
    assertDigestMatchesRecord(zone(MULTIPLE), ZoneDigest.HASH_SHA512);
  }

  @Test
  void recordOrderDoesNotChangeTheDigest() throws IOException {
    Zone zone = zone(COMPLEX);
    List<Record> shuffled = new ArrayList<>(zone.records());
    Collections.shuffle(shuffled, new java.util.Random(8976));
    assertArrayEquals(
        ZoneDigest.compute(EXAMPLE, zone.records(), ZoneDigest.HASH_SHA384),
        ZoneDigest.compute(EXAMPLE, shuffled, ZoneDigest.HASH_SHA384));
  }

  @Test
  void changedTtlChangesTheDigest() throws IOException {
    Zone zone = zone(SIMPLE);
    String changed = SIMPLE.replace("ns1           3600", "ns1           3601");
    assertFalse(java.util.Arrays.equals(
        ZoneDigest.compute(EXAMPLE, zone.records(), ZoneDigest.HASH_SHA384),
        ZoneDigest.compute(EXAMPLE, zone(changed).records(), ZoneDigest.HASH_SHA384)));
  }

  @Test
  void unknownHashAlgorithmIsRefused() throws IOException {
    Zone zone = zone(SIMPLE);
    assertThrows(IllegalArgumentException.class, () -> ZoneDigest.compute(EXAMPLE, zone.records(), 240));
  }

  private static void assertDigestMatchesRecord(Zone zone, int hash) {
    ZoneMDRecord published = zone.apex(Type.ZONEMD).stream()
        .map(ZoneMDRecord.class::cast)
        .filter(z -> z.getScheme() == ZoneDigest.SCHEME_SIMPLE && z.getHashAlgorithm() == hash)
        .findFirst().orElseThrow();
    assertArrayEquals(published.getDigest(), ZoneDigest.compute(zone.origin(), zone.records(), hash));
  }

  static Zone zone(String text) throws IOException {
    return ZoneFile.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "rfc8976", EXAMPLE);
  }
}
