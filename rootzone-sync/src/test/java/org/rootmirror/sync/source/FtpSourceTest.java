package org.rootmirror.sync.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rootmirror.sync.source.Fetching.context;
import static org.rootmirror.sync.source.Fetching.fails;
import static org.rootmirror.sync.source.Fetching.limits;
import static org.rootmirror.sync.source.Fetching.withMax;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.filesystem.nativefs.NativeFileSystemFactory;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FileSystemView;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpFile;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.usermanager.ClearTextPasswordEncryptor;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.sync.source.FetchException.Kind;

/** FtpSource against Apache FtpServer on 127.0.0.1, serving a copy of the real root zone from a temporary directory. */
class FtpSourceTest {
  private static final String PASSWORD = "s3cret:+/";

  private byte[] zone;

  @TempDir Path home;

  /** Command lines the server received, in order ("RETR root.zone"). */
  private final List<String> commands = new CopyOnWriteArrayList<>();
  /** Commands the server answers with 502, as a server without RFC 3659 does. */
  private final Set<String> unsupported = ConcurrentHashMap.newKeySet();
  private final CountDownLatch release = new CountDownLatch(1);
  /** How the server's reads of a file behave: as they are, or stalling, failing, trickling. */
  private volatile UnaryOperator<InputStream> shape = UnaryOperator.identity();
  private FtpServer server;
  private int port;

  @BeforeEach
  void startServer() throws Exception {
    zone = Fetching.zone2026();
    Files.write(home.resolve("root.zone"), zone);
    FtpServerFactory factory = new FtpServerFactory();
    ListenerFactory listener = new ListenerFactory();
    listener.setServerAddress("127.0.0.1");
    listener.setPort(0);
    DataConnectionConfigurationFactory data = new DataConnectionConfigurationFactory();
    data.setPassiveAddress("127.0.0.1");
    listener.setDataConnectionConfiguration(data.createDataConnectionConfiguration());
    factory.addListener("default", listener.createListener());
    factory.setUserManager(users());
    NativeFileSystemFactory files = new NativeFileSystemFactory();
    factory.setFileSystem(user -> shaped(files.createFileSystemView(user)));
    factory.setFtplets(new HashMap<>(Map.of("recorder", new DefaultFtplet() {
      @Override
      public FtpletResult beforeCommand(FtpSession session, FtpRequest request) throws FtpException, IOException {
        commands.add(request.getRequestLine());
        if (unsupported.contains(request.getCommand())) {
          session.write(new DefaultFtpReply(502, "Command not implemented."));
          return FtpletResult.SKIP;
        }
        return FtpletResult.DEFAULT;
      }
    }))); // a mutable map: the server clears it when it stops
    server = factory.createServer();
    server.start();
    port = factory.getListener("default").getPort();
  }

  @AfterEach
  void stopServer() {
    release.countDown();
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void fetchReturnsTheZoneBytesInBinaryOverPassive() throws Exception {
    FetchResult.Fetched fetched = assertInstanceOf(FetchResult.Fetched.class, source("/root.zone").fetch(FetchContext.fresh()));

    assertArrayEquals(zone, fetched.text());
    assertEquals(zone.length, fetched.size());
    // MDTM carries milliseconds from this server
    assertEquals(Files.getLastModifiedTime(home.resolve("root.zone")).toInstant().truncatedTo(ChronoUnit.MILLIS), fetched.modified());
    assertTrue(commands.contains("USER anonymous"), commands::toString);
    assertTrue(commands.contains("TYPE I"), commands::toString);
    assertTrue(commands.contains("PASV") || commands.contains("EPSV"), commands::toString);
    assertTrue(commands.indexOf("MDTM root.zone") < commands.indexOf("RETR root.zone"), commands::toString);
    assertTrue(commands.indexOf("SIZE root.zone") < commands.indexOf("RETR root.zone"), commands::toString);
  }

  @Test
  void sameMdtmAndSizeGiveUnchangedWithoutRetr() throws Exception {
    FetchResult.Fetched first = assertInstanceOf(FetchResult.Fetched.class, source("/root.zone").fetch(FetchContext.fresh()));
    commands.clear();

    FetchResult second = source("/root.zone").fetch(knowing(first));

    FetchResult.Unchanged unchanged = assertInstanceOf(FetchResult.Unchanged.class, second);
    assertTrue(unchanged.why().contains("SIZE " + zone.length), unchanged.why());
    assertTrue(commands.contains("MDTM root.zone") && commands.contains("SIZE root.zone"), commands::toString);
    assertFalse(commands.stream().anyMatch(c -> c.startsWith("RETR")), commands::toString);
  }

  @Test
  void newerModificationTimeFetchesTheZoneAgain() throws Exception {
    FetchResult.Fetched first = assertInstanceOf(FetchResult.Fetched.class, source("/root.zone").fetch(FetchContext.fresh()));
    Instant later = first.modified().plus(Duration.ofMinutes(30));
    Files.setLastModifiedTime(home.resolve("root.zone"), FileTime.from(later));

    FetchResult second = source("/root.zone").fetch(knowing(first));

    FetchResult.Fetched fetched = assertInstanceOf(FetchResult.Fetched.class, second);
    assertArrayEquals(zone, fetched.text());
    assertEquals(later, fetched.modified());
  }

  @Test
  void missingFileIsNotFound() throws Exception {
    FetchException e = fails(Kind.NOT_FOUND, source("/nothing-here"), FetchContext.fresh());

    assertTrue(e.getMessage().contains("MDTM nothing-here: 550"), e.getMessage());
  }

  @Test
  void missingFileIsNotFoundWithoutMdtmAndSize() throws Exception {
    unsupported.addAll(Set.of("MDTM", "SIZE"));

    FetchException e = fails(Kind.NOT_FOUND, source("/nothing-here"), FetchContext.fresh());

    assertTrue(e.getMessage().contains("RETR nothing-here: 550"), e.getMessage());
  }

  @Test
  void sizeOverTheCapIsRefusedBeforeRetr() throws Exception {
    FetchException e = fails(Kind.TOO_LARGE, source("/root.zone"), context(withMax(1024 * 1024)));

    assertTrue(e.getMessage().contains("announced size of " + zone.length + " bytes exceeds the limit of 1048576"), e.getMessage());
    assertFalse(commands.stream().anyMatch(c -> c.startsWith("RETR")), commands::toString);
  }

  @Test
  void capCountsTheBytesWhenTheServerHasNoSize() throws Exception {
    unsupported.addAll(Set.of("MDTM", "SIZE"));

    FetchException e = fails(Kind.TOO_LARGE, source("/root.zone"), context(withMax(1024 * 1024)));

    assertTrue(e.getMessage().contains("zone text exceeds the limit of 1048576 bytes"), e.getMessage());
    assertTrue(commands.contains("RETR root.zone"), commands::toString);
  }

  @Test
  void serverWithoutMdtmAndSizeStillServesTheZone() throws Exception {
    unsupported.addAll(Set.of("MDTM", "SIZE"));

    FetchResult.Fetched fetched = assertInstanceOf(FetchResult.Fetched.class, source("/root.zone").fetch(FetchContext.fresh()));

    assertArrayEquals(zone, fetched.text());
    assertNull(fetched.modified(), "no MDTM, no modification time");
  }

  @Test
  void transferThatStopsIsAStall() throws Exception {
    shape = in -> new FilterInputStream(in) {
      private int sent;

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (sent >= 100_000) {
          awaitRelease();
          return -1;
        }
        int n = super.read(b, off, Math.min(len, 100_000 - sent));
        sent += Math.max(n, 0);
        return n;
      }
    };

    FetchException e = fails(Kind.STALL, source("/root.zone"), context(limits(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(1))));

    // the server buffers, so some of the 100000 bytes may still be on its side
    assertTrue(e.getMessage().matches(".*nothing received for 1 s while reading the body, after \\d+ of " + zone.length + " bytes"),
        e.getMessage());
  }

  @Test
  void transferTricklingPastTheDeadlineIsATimeout() throws Exception {
    shape = in -> new FilterInputStream(in) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        sleep(50);
        return super.read(b, off, Math.min(len, 1000));
      }
    };
    long start = System.nanoTime();

    FetchException e = fails(Kind.TIMEOUT, source("/root.zone"), context(limits(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofSeconds(2))));

    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(e.getMessage().contains("the deadline of 1500 ms passed while reading the body"), e.getMessage());
    assertTrue(ms < 3000, "took " + ms + " ms");
  }

  @Test
  void transferEndingBeforeSizeIsTruncated() throws Exception {
    shape = in -> new FilterInputStream(in) {
      private int sent;

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (sent >= zone.length / 2) {
          throw new IOException("disk gone");
        }
        int n = super.read(b, off, Math.min(len, zone.length / 2 - sent));
        sent += Math.max(n, 0);
        return n;
      }
    };

    FetchException e = fails(Kind.TRUNCATED, source("/root.zone"), FetchContext.fresh());

    // the server loses what it had buffered when its read fails, so "after" is at most half
    assertTrue(e.getMessage().matches(".*the transfer ended after \\d+ of the " + zone.length + " bytes announced"), e.getMessage());
  }

  @Test
  void userAndPasswordComeFromTheUriAndThePasswordIsNotShown() throws Exception {
    URI uri = URI.create("ftp://mirror:" + PASSWORD.replace(":", "%3A").replace("/", "%2F") + "@127.0.0.1:" + port + "/root.zone");
    FtpSource source = new FtpSource(uri);

    FetchResult.Fetched fetched = assertInstanceOf(FetchResult.Fetched.class, source.fetch(FetchContext.fresh()));

    assertArrayEquals(zone, fetched.text());
    assertTrue(commands.contains("USER mirror"), commands::toString);
    assertEquals(URI.create("ftp://mirror@127.0.0.1:" + port + "/root.zone"), source.uri());
  }

  @Test
  void wrongPasswordIsRefusedWithoutShowingIt() throws Exception {
    FtpSource source = new FtpSource(URI.create("ftp://mirror:wrong-one@127.0.0.1:" + port + "/root.zone"));

    FetchException e = fails(Kind.REFUSED, source, FetchContext.fresh());

    assertTrue(e.getMessage().contains("login as mirror refused: 530"), e.getMessage());
    assertFalse(e.getMessage().contains("wrong-one"), e.getMessage());
  }

  @Test
  void unansweredConnectFailsAfterTheConnectTimeout() throws Exception {
    try (SilentListener silent = new SilentListener()) {
      FtpSource source = new FtpSource(URI.create("ftp://127.0.0.1:" + silent.port() + "/root.zone"));
      long start = System.nanoTime();

      FetchException e = fails(Kind.CONNECT, source, context(limits(Duration.ofMillis(300), Duration.ofSeconds(10), Duration.ofSeconds(10))));

      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(e.getMessage().contains("no connection to 127.0.0.1:" + silent.port() + " within 300 ms"), e.getMessage());
      assertTrue(ms >= 250 && ms < 3000, "took " + ms + " ms");
    }
  }

  @Test
  void refusedConnectionIsAConnectFailure() throws Exception {
    int closedPort;
    try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = gone.getLocalPort();
    }

    FetchException e = fails(Kind.CONNECT, new FtpSource(URI.create("ftp://127.0.0.1:" + closedPort + "/root.zone")), FetchContext.fresh());

    assertTrue(e.getMessage().endsWith(": cannot connect to 127.0.0.1:" + closedPort + " (connection refused)"), e.getMessage());
  }

  @Test
  void serverThatNeverGreetsFailsAfterTheConnectTimeout() throws Exception {
    // the kernel completes the connect on the listener's behalf; nobody ever says "220"
    try (ServerSocket mute = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"))) {
      FtpSource source = new FtpSource(URI.create("ftp://127.0.0.1:" + mute.getLocalPort() + "/root.zone"));

      FetchException e = fails(Kind.CONNECT, source, context(limits(Duration.ofMillis(300), Duration.ofSeconds(10), Duration.ofSeconds(10))));

      assertTrue(e.getMessage().contains("connected, but no greeting from 127.0.0.1:" + mute.getLocalPort() + " within 300 ms"),
          e.getMessage());
    }
  }

  @Test
  void uriWithoutAFileIsRefusedWhenTheSourceIsMade() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FtpSource(URI.create("ftp://ftp.internic.net/domain/")));

    assertTrue(e.getMessage().contains("without a file path"), e.getMessage());
  }

  // --- the server

  private UserManager users() throws FtpException {
    PropertiesUserManagerFactory factory = new PropertiesUserManagerFactory();
    factory.setPasswordEncryptor(new ClearTextPasswordEncryptor());
    UserManager users = factory.createUserManager();
    BaseUser anonymous = new BaseUser();
    anonymous.setName("anonymous");
    anonymous.setHomeDirectory(home.toString());
    users.save(anonymous);
    BaseUser mirror = new BaseUser();
    mirror.setName("mirror");
    mirror.setPassword(PASSWORD);
    mirror.setHomeDirectory(home.toString());
    users.save(mirror);
    return users;
  }

  /** The native file system, with every file's reads passed through {@link #shape}. */
  private FileSystemView shaped(FileSystemView view) {
    return proxy(FileSystemView.class, view, (method, result) ->
        method.getName().equals("getFile") && result != null
            ? proxy(FtpFile.class, (FtpFile) result, (m, r) -> m.getName().equals("createInputStream") ? shape.apply((InputStream) r) : r)
            : result);
  }

  private interface After {
    Object apply(Method method, Object result);
  }

  private static <T> T proxy(Class<T> type, T target, After after) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
      try {
        return after.apply(method, method.invoke(target, args));
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }));
  }

  private void awaitRelease() {
    try {
      release.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // --- the client side

  private FtpSource source(String path) {
    return new FtpSource(URI.create("ftp://127.0.0.1:" + port + path));
  }

  private static FetchContext knowing(FetchResult.Fetched fetched) {
    return context(Limits.defaults(), new Known(2026073102, fetched.etag(), fetched.modified(), fetched.size()));
  }
}
