package org.rootmirror.sync.testing;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.rootmirror.sync.source.FetchContext;
import org.rootmirror.sync.source.FetchException;
import org.rootmirror.sync.source.FetchResult;
import org.rootmirror.sync.source.ZoneSource;

/** A source that serves whatever the test sets: zone text, "unchanged", or a failure. */
public final class StaticSource implements ZoneSource {
  private final URI uri;
  private volatile byte[] text;
  private volatile FetchException failure;
  private volatile boolean unchanged;
  private final AtomicInteger fetches = new AtomicInteger();

  public StaticSource(String uri) {
    this.uri = URI.create(uri);
  }

  public StaticSource serve(byte[] zone) {
    text = zone;
    failure = null;
    unchanged = false;
    return this;
  }

  public StaticSource fail(FetchException.Kind kind, String why) {
    failure = new FetchException(uri, kind, why);
    return this;
  }

  public StaticSource unchanged() {
    unchanged = true;
    failure = null;
    return this;
  }

  public int fetches() {
    return fetches.get();
  }

  @Override
  public URI uri() {
    return uri;
  }

  @Override
  public FetchResult fetch(FetchContext context) throws FetchException {
    fetches.incrementAndGet();
    if (failure != null) {
      throw failure;
    }
    if (unchanged) {
      return new FetchResult.Unchanged("test source says unchanged");
    }
    return new FetchResult.Fetched(text, null, null, text.length, "test");
  }
}
