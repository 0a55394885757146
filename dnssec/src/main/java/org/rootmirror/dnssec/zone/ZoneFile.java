package org.rootmirror.dnssec.zone;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Reads a zone from a master file (RFC 1035 section 5) with dnsjava's parser. A large file is cut
 * into runs of whole records parsed on all cores: parsing the 2.2 MB root zone is most of the
 * time a cold `rootmirror verify` takes. Any error is reported by a plain sequential parse, so
 * messages and line numbers are those of the whole file.
 */
public final class ZoneFile {
  /** Below this size, splitting costs more than it saves. */
  private static final int SPLIT_THRESHOLD = 256 * 1024;

  private ZoneFile() {}

  /** Reads {@code file}, resolving relative names against {@code origin}. */
  public static Zone read(Path file, Name origin) throws IOException {
    return parse(Files.readAllBytes(file), file.toString(), origin);
  }

  /** Parses master-file text from {@code in}; {@code source} names it in error messages. */
  public static Zone parse(InputStream in, String source, Name origin) throws IOException {
    return parse(in.readAllBytes(), source, origin);
  }

  /**
   * Parses master-file text; {@code source} names it in error messages.
   *
   * @throws ZoneParseException naming the line of the first record that could not be parsed
   */
  public static Zone parse(byte[] text, String source, Name origin) throws IOException {
    int parts = text.length < SPLIT_THRESHOLD ? 1 : Runtime.getRuntime().availableProcessors();
    int[] cuts = parts > 1 ? RecordBoundaries.split(text, parts) : null;
    if (cuts != null) {
      try {
        List<List<Record>> runs = IntStream.range(0, cuts.length - 1).parallel()
            .mapToObj(i -> parseRun(text, cuts[i], cuts[i + 1], origin))
            .toList();
        List<Record> records = new ArrayList<>(runs.stream().mapToInt(List::size).sum());
        runs.forEach(records::addAll);
        return Zone.of(origin, records);
      } catch (UncheckedIOException e) {
        // fall through: the sequential parse reports the error with the file's own line numbers
      }
    }
    try {
      return Zone.of(origin, records(new ByteArrayInputStream(text), origin));
    } catch (IOException e) {
      throw ZoneParseException.from(source, e);
    }
  }

  private static List<Record> parseRun(byte[] text, int from, int to, Name origin) {
    try {
      return records(new ByteArrayInputStream(text, from, to - from), origin);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Record> records(InputStream in, Name origin) throws IOException {
    List<Record> records = new ArrayList<>(16_384);
    try (Master master = new Master(in, origin)) {
      master.disableIncludes(true); // a downloaded zone must not make us read local files
      Record r;
      while ((r = master.nextRecord()) != null) {
        records.add(r);
      }
    }
    return records;
  }
}
