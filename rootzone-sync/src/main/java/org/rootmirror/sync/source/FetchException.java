package org.rootmirror.sync.source;

import java.net.URI;

/**
 * A fetch that failed, saying from where and why, e.g. "https://...: no data for 30 s". The kind
 * is for counters and callers; the message is the reason alone, in words that already say the
 * kind ("cannot connect to www.internic.net (connection refused)", not "connect: cannot connect").
 */
public final class FetchException extends Exception {
  /** The kind of failure, so callers and metrics can tell them apart. */
  public enum Kind {
    CONNECT,
    TIMEOUT,
    STALL,
    TOO_LARGE,
    TRUNCATED,
    REFUSED,
    NOT_FOUND,
    PROTOCOL,
    TLS,
    IO
  }

  private final URI source;
  private final Kind kind;
  private final String problem;

  public FetchException(URI source, Kind kind, String reason, Throwable cause) {
    super(source + ": " + reason, cause);
    this.source = source;
    this.kind = kind;
    this.problem = reason;
  }

  public FetchException(URI source, Kind kind, String reason) {
    this(source, kind, reason, null);
  }

  public URI source() {
    return source;
  }

  public Kind kind() {
    return kind;
  }

  /** The message without the source, e.g. "no data for 30 s", for lines that name it already. */
  public String problem() {
    return problem;
  }
}
