package org.rootmirror.sync.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Locale;
import org.rootmirror.dnssec.testing.Fixtures;
import org.rootmirror.sync.source.FetchException.Kind;

/** What the source tests share: contexts, limits, and an assertion on how a fetch fails. */
final class Fetching {
  private static byte[] zone;

  private Fetching() {}

  /**
   * The bytes of the real root zone of 2026-07-31 (2.2 MB). Called from {@code @BeforeEach}, so
   * that without the fixtures each test is reported skipped, with the reason.
   */
  static synchronized byte[] zone2026() throws IOException {
    if (zone == null) {
      zone = Files.readAllBytes(Fixtures.rootZone(Fixtures.ZONE_2026));
    }
    return zone;
  }

  /** Asserts that the fetch fails with {@code kind}, naming the source; returns the failure to check its reason. */
  static FetchException fails(Kind kind, ZoneSource source, FetchContext context) {
    FetchException e = assertThrows(FetchException.class, () -> source.fetch(context));
    assertEquals(kind, e.kind(), () -> "wrong kind: " + e.getMessage());
    assertEquals(source.uri(), e.source());
    // the message is the source and the reason in words; the kind is for counters, not repeated
    assertTrue(e.getMessage().startsWith(source.uri() + ": "), e.getMessage());
    assertFalse(e.getMessage().startsWith(source.uri() + ": " + kind.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": "),
        e.getMessage());
    return e;
  }

  static FetchContext context(Limits limits) {
    return context(limits, Known.NOTHING);
  }

  static FetchContext context(Limits limits, Known known) {
    return new FetchContext(limits, known, null, null);
  }

  static Limits limits(Duration connect, Duration deadline, Duration stall) {
    return new Limits(connect, deadline, stall, Limits.DEFAULT_MAX_BYTES);
  }

  static Limits withMax(long maxBytes) {
    Limits d = Limits.defaults();
    return new Limits(d.connectTimeout(), d.deadline(), d.stallTimeout(), maxBytes);
  }
}
