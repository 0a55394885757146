package org.rootmirror.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.sync.server.net.ListenException;

/**
 * Everyday mistakes end a command with one line naming what to fix and exit status 2, never a
 * stack trace: a port in use, a port that needs privilege, a missing or unreadable file, a bad
 * anchors file. Ports here are ephemeral ones the test holds itself.
 */
class EverydayFailuresTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    // a command that does not fail runs until stopped: the deadline makes that a failure, not a hang
    return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      var cli = Main.commandLine();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      return cli.execute(args);
    });
  }

  /** The port of a UDP and TCP socket pair the test holds on 127.0.0.1. */
  private record Taken(DatagramSocket udp, ServerSocket tcp) implements AutoCloseable {
    static Taken loopback() throws IOException {
      ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      return new Taken(new DatagramSocket(tcp.getLocalPort(), InetAddress.getLoopbackAddress()), tcp);
    }

    String address() {
      return "127.0.0.1:" + tcp.getLocalPort();
    }

    @Override
    public void close() {
      udp.close();
      try {
        tcp.close();
      } catch (IOException ignored) {
        // the test is over
      }
    }
  }

  private void assertOneLine(String command, String expected, int code) {
    assertEquals(2, code, err.toString());
    List<String> lines = err.toString().lines().filter(l -> !l.contains(" INFO ") && !l.startsWith("INFO ")).toList();
    assertEquals(1, lines.size(), err.toString());
    assertTrue(lines.get(0).startsWith("rootmirror " + command + ": " + expected), lines.get(0));
    assertFalse(err.toString().contains("Exception") || err.toString().contains("\tat "), "no Java in:\n" + err);
  }

  @Test
  void runWithTheResolverPortInUseSaysWhichAddressAndExitsTwo() throws Exception {
    try (Taken taken = Taken.loopback()) {
      int code = run("run", "--state-dir", dir.resolve("state").toString(), "--runtime-dir", dir.resolve("run").toString(),
          "--listen", taken.address(), "--mirror-listen", "127.0.0.1:0", "--metrics", "off");
      assertOneLine("run", "address " + taken.address() + " is already in use (TCP): ", code);
    }
  }

  @Test
  void runWithTheMetricsPortInUseSaysWhichAddressAndExitsTwo() throws Exception {
    try (Taken taken = Taken.loopback()) {
      int code = run("run", "--state-dir", dir.resolve("state").toString(), "--runtime-dir", dir.resolve("run").toString(),
          "--listen", "127.0.0.1:0", "--mirror-listen", "127.0.0.1:0", "--metrics", taken.address());
      assertOneLine("run", "address " + taken.address() + " is already in use (metrics, HTTP): ", code);
    }
  }

  @Test
  void syncDaemonWithItsPortInUseSaysWhichAddressAndExitsTwo() throws Exception {
    try (Taken taken = Taken.loopback()) {
      int code = run("sync-daemon", "--state-dir", dir.resolve("state").toString(), "--runtime-dir", dir.resolve("run").toString(),
          "--listen", taken.address());
      assertOneLine("sync-daemon", "address " + taken.address() + " is already in use (TCP): ", code);
    }
  }

  @Test
  void aPrivilegedPortWithoutPrivilegeSaysHowToGetIt() throws Exception {
    // the operating system's words, as the JDK passes them on (EACCES)
    ListenException e = ListenException.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 53), "UDP",
        new BindException("Permission denied"));
    assertEquals(ListenException.Why.PERMISSION, e.why());
    assertEquals("permission denied to listen on 127.0.0.1:53 (UDP): ports below 1024 need privilege: run as root, "
        + "grant CAP_NET_BIND_SERVICE, or choose a port above 1023", e.getMessage());
    assertEquals(e.getMessage(), Failures.operatorLine(new IOException("cannot serve", e)), "found wherever it is wrapped");
    // the command that read the address names its own option
    ListenException mirror = e.forOption("--mirror-listen");
    assertEquals("permission denied to listen on 127.0.0.1:53 (UDP): ports below 1024 need privilege: run as root, "
        + "grant CAP_NET_BIND_SERVICE, or use --mirror-listen with a port above 1023", mirror.getMessage());
    assertEquals(ListenException.Why.PERMISSION, mirror.why());
    assertEquals(e.address(), mirror.address());
  }

  @Test
  void runOnPortOneWithoutPrivilegeSaysHowToGetIt() throws Exception {
    Path start = Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start");
    boolean privileged = ProcessHandle.current().info().user().map("root"::equals).orElse(true)
        || !Files.isReadable(start) || Integer.parseInt(Files.readString(start).strip()) <= 1;
    assumeTrue(!privileged, "this process may bind port 1 (running as root, or unprivileged ports start at 0 or 1),"
        + " so permission denied cannot happen; aPrivilegedPortWithoutPrivilegeSaysHowToGetIt checks the message");
    int code = run("sync-daemon", "--state-dir", dir.resolve("state").toString(), "--runtime-dir", dir.resolve("run").toString(),
        "--listen", "127.0.0.1:1");
    assertOneLine("sync-daemon", "permission denied to listen on 127.0.0.1:1 (TCP): ports below 1024 need privilege", code);
  }

  @Test
  void verifyOfAMissingFileSaysSoAndExitsTwo() {
    int code = run("verify", dir.resolve("root.zone").toString());
    assertOneLine("verify", "file not found: " + dir.resolve("root.zone"), code);
  }

  @Test
  void runWithAMissingAnchorsFileSaysSoAndExitsTwo() {
    int code = run("run", "--state-dir", dir.resolve("state").toString(), "--runtime-dir", dir.resolve("run").toString(),
        "--anchors", dir.resolve("none.ds").toString(), "--listen", "127.0.0.1:0", "--mirror-listen", "127.0.0.1:0", "--metrics", "off");
    assertOneLine("run", "--anchors: no such file: " + dir.resolve("none.ds"), code);
  }

  @Test
  void runWithABadAnchorsFileNamesItsLineAndExitsTwo() throws IOException {
    Path anchors = Files.writeString(dir.resolve("bad.ds"), ". IN DS 20326 8 2 not-hex\n");
    int code = run("run", "--state-dir", dir.resolve("state").toString(), "--runtime-dir", dir.resolve("run").toString(),
        "--anchors", anchors.toString(), "--listen", "127.0.0.1:0", "--mirror-listen", "127.0.0.1:0", "--metrics", "off");
    assertOneLine("run", anchors + ":1: ", code);
    assertFalse(err.toString().contains("<none>"), err.toString());
  }

  @Test
  void anchorVerifyOfAMissingFileSaysSoAndExitsTwo() {
    int code = run("anchor", "verify", "--xml", dir.resolve("root-anchors.xml").toString(), "--p7s", dir.resolve("root-anchors.p7s").toString());
    assertEquals(2, code, err.toString());
    assertEquals(1, err.toString().lines().count(), err.toString());
    assertTrue(err.toString().contains(dir.resolve("root-anchors.xml") + ": no such file"), err.toString());
  }

  @Test
  void filesThatCannotBeReadAreNamedWithTheReasonInWords() {
    assertEquals("file not found: /x/root.zone", Failures.operatorLine(new NoSuchFileException("/x/root.zone")));
    assertEquals("permission denied: /x/root.zone", Failures.operatorLine(new AccessDeniedException("/x/root.zone")));
  }

  @Test
  void anUnexpectedFaultExitsOneWithItsStackTraceForTheBugReport() {
    var cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    int code = new Failures().handleExecutionException(new IllegalStateException("broken invariant"), cli, null);
    assertEquals(1, code);
    assertTrue(err.toString().startsWith("rootmirror: internal error, please report: "), err.toString());
    assertTrue(err.toString().contains("\tat "), err.toString());
  }
}
