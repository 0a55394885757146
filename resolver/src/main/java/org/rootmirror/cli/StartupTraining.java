package org.rootmirror.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The training run from which the launcher makes the JVM's start-up cache (JDK 25 AOT cache, or a
 * CDS archive on JDK 21 to 24; bin/jvm-launch): the classes and profiles of a real start, so that a
 * restart loads them ready-made (issue 11). {@code daemon} stores a small signed root zone with
 * {@code refresh}, starts {@code run} on free loopback ports, asks the resolver and the mirror until
 * both answer, and stops; {@code one-shot} runs {@code verify} on the same zone. Everything happens
 * in the empty directory given, which the caller removes afterwards, and nothing leaves loopback:
 * the zone's only anchor is its own key, and its only source is its file.
 *
 * <p>Usage: {@code java -cp rootmirror.jar org.rootmirror.cli.StartupTraining daemon|one-shot DIR};
 * exit status 0 when the run answered as it should.
 */
public final class StartupTraining {
  /** The training zone and its anchor, resources beside this class (made by TrainingZoneMaker). */
  static final String ZONE = "training.zone";
  static final String ANCHOR = "training.ds";
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private StartupTraining() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !(args[0].equals("daemon") || args[0].equals("one-shot"))) {
      System.err.println("usage: StartupTraining daemon|one-shot DIR");
      System.exit(2);
    }
    Path dir = Path.of(args[1]);
    int status = args[0].equals("daemon") ? daemon(dir) : oneShot(dir);
    System.exit(status); // stops `run` through its shutdown hook, as SIGTERM would
  }

  private static int oneShot(Path dir) throws IOException {
    return Main.run("verify", copy(ZONE, dir).toString(), "--anchors", copy(ANCHOR, dir).toString(), "--require-zonemd");
  }

  private static int daemon(Path dir) throws Exception {
    Path zone = copy(ZONE, dir);
    Path anchor = copy(ANCHOR, dir);
    Path config = Files.createFile(dir.resolve("rootmirror.conf")); // empty: /etc/rootmirror is not read
    String[] common = {"--config", config.toString(), "--state-dir", dir.resolve("state").toString(),
        "--runtime-dir", dir.resolve("run").toString(), "--anchors", anchor.toString(), "--source", "file:" + zone};
    int stored = Main.run(concat(new String[] {"refresh"}, common));
    if (stored != 0) {
      return stored;
    }
    int resolverPort = freePort();
    int mirrorPort = freePort();
    int metricsPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      metricsPort = probe.getLocalPort();
    }
    String[] run = concat(new String[] {"run"}, common);
    run = concat(run, new String[] {"--listen", "127.0.0.1:" + resolverPort, "--mirror-listen", "127.0.0.1:" + mirrorPort,
        "--metrics", "127.0.0.1:" + metricsPort});
    String[] runArgs = run;
    Thread.ofPlatform().daemon().name("training-run").start(() -> Main.run(runArgs));
    Instant deadline = Instant.now().plus(DEADLINE);
    boolean resolver = false;
    boolean mirror = false;
    while (!(resolver && mirror) && Instant.now().isBefore(deadline)) {
      resolver = resolver || rcode(resolverPort, "nosuchtld-training.", Type.A, true) == Rcode.NXDOMAIN;
      mirror = mirror || rcode(mirrorPort, ".", Type.SOA, false) == Rcode.NOERROR;
    }
    // a name under a delegation: the iterator's path, to an address where nothing listens
    rcode(resolverPort, "www.tld1.", Type.AAAA, true);
    return resolver && mirror ? 0 : 1;
  }

  private static int rcode(int port, String name, int type, boolean recursive) {
    try {
      SimpleResolver to = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      to.setTimeout(Duration.ofSeconds(2));
      Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
      if (!recursive) {
        query.getHeader().unsetFlag(Flags.RD);
      }
      return to.send(query).getRcode();
    } catch (IOException e) {
      return -1; // not listening yet, or no answer in time
    }
  }

  private static int freePort() throws IOException {
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      return probe.getLocalPort();
    }
  }

  private static Path copy(String resource, Path dir) throws IOException {
    try (InputStream in = StartupTraining.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("the jar has no " + resource);
      }
      Path file = dir.resolve(resource);
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    }
  }

  private static String[] concat(String[] a, String[] b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }
}
