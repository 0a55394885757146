package org.rootmirror.sync.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** ZoneSources maps a configured URI to the source for its scheme. */
class ZoneSourcesTest {
  @Test
  void everyDefaultSourceIsAccepted() {
    for (URI uri : DefaultSources.URIS) {
      assertEquals(uri, ZoneSources.fromUri(uri).uri());
    }
  }

  @Test
  void eachSchemeGetsItsSource() {
    assertInstanceOf(HttpsSource.class, ZoneSources.fromUri(URI.create("https://www.internic.net/domain/root.zone")));
    assertInstanceOf(FtpSource.class, ZoneSources.fromUri(URI.create("ftp://ftp.internic.net/domain/root.zone")));
    assertInstanceOf(FileSource.class, ZoneSources.fromUri(URI.create("file:/var/lib/rootmirror/root.zone")));
    assertInstanceOf(AxfrSource.class, ZoneSources.fromUri(URI.create("axfr://[2001:500:2::c]")));
    assertInstanceOf(IxfrSource.class, ZoneSources.fromUri(URI.create("ixfr://192.0.32.132:53")));
  }

  @Test
  void schemeIsCaseInsensitiveAndTheUriIsKept() {
    URI uri = URI.create("HTTPS://www.internic.net/domain/root.zone");

    assertEquals(uri, ZoneSources.fromUri(uri).uri());
  }

  @Test
  void plainHttpIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ZoneSources.fromUri(URI.create("http://www.internic.net/domain/root.zone")));

    assertTrue(e.getMessage().contains("plain http is refused"), e.getMessage());
  }

  @Test
  void unknownSchemeIsRefusedNamingTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ZoneSources.fromUri(URI.create("gopher://example.org/root.zone")));

    assertTrue(e.getMessage().contains("unknown zone source scheme \"gopher\""), e.getMessage());
    assertTrue(e.getMessage().contains("known: https, ftp, axfr, ixfr, file"), e.getMessage());
  }
}
