package org.rootmirror.dnssec.zone;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** Reads a zone from a master file (RFC 1035 section 5) with dnsjava's parser. */
public final class ZoneFile {
  private ZoneFile() {}

  /** Reads {@code file}, resolving relative names against {@code origin}. */
  public static Zone read(Path file, Name origin) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      return parse(in, file.toString(), origin);
    }
  }

  /**
   * Parses master-file text from {@code in}; {@code source} names it in error messages.
   *
   * @throws ZoneParseException naming the line of the first record that could not be parsed
   */
  public static Zone parse(InputStream in, String source, Name origin) throws IOException {
    List<Record> records = new ArrayList<>(32_768);
    try (Master master = new Master(in, origin)) {
      master.disableIncludes(); // a downloaded zone must not make us read local files
      Record r;
      while ((r = master.nextRecord()) != null) {
        records.add(r);
      }
    } catch (ZoneParseException e) {
      throw e;
    } catch (IOException e) {
      throw ZoneParseException.from(source, e);
    }
    return Zone.of(origin, records);
  }
}
