package org.rootmirror.cli;

import java.net.URI;
import org.rootmirror.sync.source.ZoneSource;

/** Makes the source for a configured URI. */
final class Sources {
  private Sources() {}

  static ZoneSource of(URI uri) {
    throw new IllegalArgumentException("unsupported source " + uri);
  }
}
