package org.rootmirror.sync.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rootmirror.sync.source.Fetching.context;
import static org.rootmirror.sync.source.Fetching.fails;
import static org.rootmirror.sync.source.Fetching.withMax;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.dnssec.testing.Fixtures;
import org.rootmirror.sync.source.FetchException.Kind;

/** FileSource on the real root zone, read in place or from a temporary copy. */
class FileSourceTest {
  private Path fixture;
  private byte[] zone;

  @TempDir Path dir;

  @BeforeEach
  void readZone() throws Exception {
    fixture = Fixtures.rootZone(Fixtures.ZONE_2026);
    zone = Fetching.zone2026();
  }

  @Test
  void fetchReturnsTheFileBytesWithItsSizeAndModificationTime() throws Exception {
    List<long[]> progress = new ArrayList<>();
    FetchContext context = new FetchContext(Limits.defaults(), Known.NOTHING, null, (r, t) -> progress.add(new long[] {r, t}));

    FetchResult result = new FileSource(fixture.toUri()).fetch(context);

    FetchResult.Fetched fetched = assertInstanceOf(FetchResult.Fetched.class, result);
    assertArrayEquals(zone, fetched.text());
    assertEquals(zone.length, fetched.size());
    assertEquals(Files.getLastModifiedTime(fixture).toInstant(), fetched.modified());
    assertArrayEquals(new long[] {zone.length, zone.length}, progress.getLast());
  }

  @Test
  void sameSizeAndModificationTimeGiveUnchanged() throws Exception {
    FileSource source = new FileSource(fixture.toUri());
    FetchResult.Fetched first = assertInstanceOf(FetchResult.Fetched.class, source.fetch(FetchContext.fresh()));

    FetchResult second = source.fetch(context(Limits.defaults(), new Known(2026073102, null, first.modified(), first.size())));

    FetchResult.Unchanged unchanged = assertInstanceOf(FetchResult.Unchanged.class, second);
    assertTrue(unchanged.why().contains("size " + zone.length), unchanged.why());
  }

  @Test
  void touchedFileIsReadAgain() throws Exception {
    Path copy = Files.write(dir.resolve("root.zone"), zone);
    FileSource source = new FileSource(copy.toUri());
    FetchResult.Fetched first = assertInstanceOf(FetchResult.Fetched.class, source.fetch(FetchContext.fresh()));
    Files.setLastModifiedTime(copy, FileTime.from(first.modified().plus(Duration.ofSeconds(1))));

    FetchResult second = source.fetch(context(Limits.defaults(), new Known(2026073102, null, first.modified(), first.size())));

    assertArrayEquals(zone, assertInstanceOf(FetchResult.Fetched.class, second).text());
  }

  @Test
  void missingFileIsNotFound() throws Exception {
    Path missing = dir.resolve("no-such.zone");

    FetchException e = fails(Kind.NOT_FOUND, new FileSource(missing.toUri()), FetchContext.fresh());

    assertTrue(e.getMessage().contains("no such file " + missing), e.getMessage());
  }

  @Test
  void directoryIsRefused() throws Exception {
    FetchException e = fails(Kind.IO, new FileSource(dir.toUri()), FetchContext.fresh());

    assertTrue(e.getMessage().contains("is not a regular file"), e.getMessage());
  }

  @Test
  void fileOverTheCapIsRefused() throws Exception {
    FetchException e = fails(Kind.TOO_LARGE, new FileSource(fixture.toUri()), context(withMax(zone.length - 1)));

    assertTrue(e.getMessage().contains("announced size of " + zone.length + " bytes exceeds the limit of " + (zone.length - 1)),
        e.getMessage());
  }

  @Test
  void fileExactlyAtTheCapIsRead() throws Exception {
    FetchResult result = new FileSource(fixture.toUri()).fetch(context(withMax(zone.length)));

    assertArrayEquals(zone, assertInstanceOf(FetchResult.Fetched.class, result).text());
  }

  @Test
  void remoteFileUriIsRefusedWhenTheSourceIsMade() {
    assertThrows(IllegalArgumentException.class, () -> new FileSource(URI.create("file://server/root.zone")));
  }
}
