package org.rootmirror.sync.source;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;
import org.rootmirror.sync.source.FetchException.Kind;

/** Fetches the zone over FTP (commons-net): passive, binary, MDTM and SIZE first to skip an unchanged file. */
public final class FtpSource implements ZoneSource {
  private static final int DEFAULT_PORT = 21;
  private static final String ANONYMOUS = "anonymous";
  /** RFC 1635: an anonymous user gives an e-mail-like password; a program gives its name. */
  private static final String ANONYMOUS_PASSWORD = "rootmirror@";

  private final URI uri;
  private final String host;
  private final int port;
  private final String path;
  private final String user;
  private final String password;

  /**
   * A source for {@code ftp://[user[:password]@]host[:port]/path}; anonymous without a user.
   * {@link #uri()} leaves the password out, since it is what logs and errors show.
   *
   * @throws IllegalArgumentException for anything but an ftp:// URI with a host and a file path
   */
  public FtpSource(URI uri) {
    Objects.requireNonNull(uri, "uri");
    if (!"ftp".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("not an ftp://host/path URI: " + uri);
    }
    String uriPath = uri.getPath();
    if (uriPath == null || uriPath.isEmpty() || uriPath.endsWith("/")) {
      throw new IllegalArgumentException("ftp URI without a file path: " + uri);
    }
    // RFC 1738 section 3.2.2: the path is relative to the login directory ("%2F" for an
    // absolute one); for anonymous FTP the login directory is the server's root anyway.
    this.path = uriPath.substring(1);
    String bracketed = uri.getHost();
    this.host = bracketed.startsWith("[") ? bracketed.substring(1, bracketed.length() - 1) : bracketed;
    this.port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
    String userInfo = uri.getRawUserInfo();
    if (userInfo == null) {
      this.user = ANONYMOUS;
      this.password = ANONYMOUS_PASSWORD;
    } else {
      int colon = userInfo.indexOf(':');
      this.user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      this.password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
    }
    try {
      this.uri = new URI("ftp", userInfo == null ? null : user, bracketed, uri.getPort(), uriPath, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("bad ftp URI: " + uri, e);
    }
  }

  @Override
  public URI uri() {
    return uri;
  }

  @Override
  public FetchResult fetch(FetchContext context) throws FetchException {
    Limits limits = context.limits();
    FTPClient ftp = new FTPClient();
    ftp.setConnectTimeout(millis(limits.connectTimeout()));
    // SO_TIMEOUT on the control connection (set as it opens) and on the data connection: a read
    // that waits longer than the stall timeout fails, and BoundedCopy calls that a stall.
    ftp.setDefaultTimeout(millis(limits.stallTimeout()));
    ftp.setDataTimeout(limits.stallTimeout());
    try (BoundedCopy copy = BoundedCopy.start(uri, context)) {
      copy.abortWith(ftp::disconnect);
      try {
        connect(ftp, copy, limits);
        if (!ftp.login(user, password)) {
          throw new FetchException(uri, Kind.REFUSED, "login as " + user + " refused: " + reply(ftp));
        }
        ftp.enterLocalPassiveMode(); // the client opens the data connection: works through NAT and firewalls
        if (!ftp.setFileType(FTP.BINARY_FILE_TYPE)) {
          throw new FetchException(uri, Kind.PROTOCOL, "TYPE I (binary) refused: " + reply(ftp));
        }
        Instant modified = modificationTime(ftp);
        long size = size(ftp);
        Known known = context.known();
        if (modified != null && size >= 0 && modified.equals(known.modified()) && size == known.size()) {
          quit(ftp);
          return new FetchResult.Unchanged("FTP MDTM " + modified + " and SIZE " + size + " as before");
        }
        copy.refuseOversize(size); // before RETR: no point starting a transfer that will be refused
        InputStream data = ftp.retrieveFileStream(path);
        if (data == null) {
          throw replyFailure(ftp, "RETR " + path);
        }
        copy.abortWith(() -> {
          try {
            data.close();
          } finally {
            ftp.disconnect();
          }
        });
        byte[] text = copy.read(data, size, BoundedCopy.Decoder.IDENTITY);
        if (!ftp.completePendingCommand()) {
          throw new FetchException(uri, Kind.TRUNCATED,
              "the server ended the transfer after " + text.length + " bytes with: " + reply(ftp));
        }
        quit(ftp);
        return new FetchResult.Fetched(text, null, modified, text.length,
            "FTP " + path + " from " + host + ", " + text.length + " bytes" + (modified == null ? "" : ", modified " + modified));
      } catch (IOException e) {
        throw copy.failure(e, "talking to " + host);
      } finally {
        disconnect(ftp);
      }
    }
  }

  @Override
  public String toString() {
    return uri.toString();
  }

  private void connect(FTPClient ftp, BoundedCopy copy, Limits limits) throws FetchException {
    String authority = uri.getHost() + ":" + port;
    try {
      ftp.connect(host, port);
    } catch (IOException e) {
      if (copy.tripped()) {
        throw copy.failure(e, "connecting to " + authority);
      }
      if (BoundedCopy.causedBy(e, SocketTimeoutException.class)) {
        // commons-net waits for the greeting with the connect timeout too: until "220" the
        // server has not taken the connection.
        throw new FetchException(uri, Kind.CONNECT,
            (ftp.isConnected() ? "connected, but no greeting from " : "no connection to ")
                + authority + " within " + BoundedCopy.show(limits.connectTimeout()), e);
      }
      if (ConnectFailure.is(e)) {
        throw new FetchException(uri, Kind.CONNECT, ConnectFailure.describe(uri.getPort() < 0 ? uri.getHost() : authority, e), e);
      }
      throw copy.failure(e, "connecting to " + authority);
    }
    if (!FTPReply.isPositiveCompletion(ftp.getReplyCode())) {
      throw new FetchException(uri, Kind.REFUSED, "greeting from " + authority + ": " + reply(ftp));
    }
  }

  /** The file's modification time (RFC 3659 MDTM), or null when the server does not say. */
  private Instant modificationTime(FTPClient ftp) throws IOException, FetchException {
    Instant modified = ftp.mdtmInstant(path);
    if (modified == null && ftp.getReplyCode() == FTPReply.FILE_UNAVAILABLE) {
      throw replyFailure(ftp, "MDTM " + path);
    }
    return modified;
  }

  /** The file's size in bytes (RFC 3659 SIZE, exact in binary mode), or -1 when the server does not say. */
  private long size(FTPClient ftp) throws IOException, FetchException {
    String size = ftp.getSize(path);
    if (size == null) {
      if (ftp.getReplyCode() == FTPReply.FILE_UNAVAILABLE) {
        throw replyFailure(ftp, "SIZE " + path);
      }
      return -1;
    }
    try {
      return Long.parseLong(size.trim());
    } catch (NumberFormatException e) {
      return -1; // an unreadable size is no size: download, and count what arrives
    }
  }

  private FetchException replyFailure(FTPClient ftp, String command) {
    int code = ftp.getReplyCode();
    Kind kind = code == FTPReply.FILE_UNAVAILABLE ? Kind.NOT_FOUND
        : code == FTPReply.NOT_LOGGED_IN || code == FTPReply.NEED_ACCOUNT_FOR_STORING_FILES ? Kind.REFUSED
        : Kind.PROTOCOL;
    return new FetchException(uri, kind, command + ": " + reply(ftp));
  }

  private static String reply(FTPClient ftp) {
    String reply = ftp.getReplyString();
    return reply == null ? "no reply" : reply.strip();
  }

  private static void quit(FTPClient ftp) {
    try {
      ftp.logout();
    } catch (IOException ignored) {
      // the transfer is done; a lost QUIT costs nothing
    }
  }

  private static void disconnect(FTPClient ftp) {
    try {
      ftp.disconnect();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  private static String decode(String s) {
    // URLDecoder is for forms, where '+' means a space; in a URI it is a '+'.
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static int millis(Duration d) {
    return (int) Math.min(d.toMillis(), Integer.MAX_VALUE);
  }
}
