package org.rootmirror.dnssec.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The real-world fixtures in ../shared/fixtures, read by path and never copied. A test that needs
 * them is skipped, with a message saying why, where they are absent (a user's fresh clone).
 */
public final class Fixtures {
  private Fixtures() {}

  /** The root zone of 2026-07-31: ZONEMD SHA-384, KSK-2017 signing; valid 2026-07-31T19:00Z to 2026-08-13T20:00Z. */
  public static final String ZONE_2026 = "root.zone.2026073102";
  public static final Instant TIME_2026 = Instant.parse("2026-08-01T00:00:00Z");
  /** The root zone of 2019-12-13: no ZONEMD, KSK-2017. */
  public static final String ZONE_2019 = "root.zone.2019121300";
  public static final Instant TIME_2019 = Instant.parse("2019-12-14T00:00:00Z");
  /** The root zone of 2014-06-25: KSK-2010 (root-anchors-2014.xml), split RRSIG lines. */
  public static final String ZONE_2014 = "root.zone.2014062501";
  public static final Instant TIME_2014 = Instant.parse("2014-06-26T00:00:00Z");

  /** The fixtures directory; skips the calling test when it is absent. */
  public static Path dir() {
    String configured = System.getProperty("rootmirror.fixtures");
    Path dir = configured != null ? Path.of(configured) : Path.of("..", "..", "shared", "fixtures");
    assumeTrue(Files.isDirectory(dir),
        "real fixtures not found at " + dir.toAbsolutePath().normalize()
            + " (they live in ../shared/fixtures beside the repository; CI has them)");
    return dir;
  }

  public static Path rootZone(String name) {
    return dir().resolve("rootzone").resolve(name);
  }

  public static Path trustAnchor(String name) {
    return dir().resolve("trust-anchors").resolve(name);
  }
}
