package org.rootmirror.sync.source;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Objects;
import org.rootmirror.sync.source.FetchException.Kind;

/** Reads the zone from a local file ({@code file:/path}), skipped when its size and modification time are as before. */
public final class FileSource implements ZoneSource {
  private final URI uri;
  private final Path path;

  /** @throws IllegalArgumentException for anything but a {@code file:} URI naming a local path */
  public FileSource(URI uri) {
    Objects.requireNonNull(uri, "uri");
    if (!"file".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("not a file: URI: " + uri);
    }
    this.path = Path.of(uri); // refuses relative, query-bearing and remote (file://host/) forms
    this.uri = uri;
  }

  @Override
  public URI uri() {
    return uri;
  }

  @Override
  public FetchResult fetch(FetchContext context) throws FetchException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new FetchException(uri, Kind.NOT_FOUND, "no such file " + path, e);
    } catch (IOException e) {
      throw new FetchException(uri, Kind.IO, "cannot read the attributes of " + path + ": " + BoundedCopy.describe(e), e);
    }
    if (!attributes.isRegularFile()) {
      throw new FetchException(uri, Kind.IO, path + " is not a regular file");
    }
    Instant modified = attributes.lastModifiedTime().toInstant();
    long size = attributes.size();
    Known known = context.known();
    if (modified.equals(known.modified()) && size == known.size()) {
      return new FetchResult.Unchanged("file " + path + ": size " + size + " and modification time " + modified + " as before");
    }
    try (BoundedCopy copy = BoundedCopy.start(uri, context)) {
      InputStream in;
      try {
        in = Files.newInputStream(path);
      } catch (NoSuchFileException e) {
        throw new FetchException(uri, Kind.NOT_FOUND, "no such file " + path, e); // removed since it was looked at
      } catch (IOException e) {
        throw copy.failure(e, "opening " + path);
      }
      copy.abortWith(in);
      // A file rewritten in place while it is read comes out short or long, and is refused:
      // the next attempt reads it whole.
      byte[] text = copy.read(in, size, BoundedCopy.Decoder.IDENTITY);
      return new FetchResult.Fetched(text, null, modified, text.length, "file " + path + ", " + text.length + " bytes");
    }
  }

  @Override
  public String toString() {
    return uri.toString();
  }
}
