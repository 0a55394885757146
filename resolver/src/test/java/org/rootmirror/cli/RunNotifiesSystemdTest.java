package org.rootmirror.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.rootmirror.resolver.testing.MiniInternet;
import org.xbill.DNS.Record;

/**
 * {@code rootmirror run} under a fake systemd: a Unix datagram socket bound by the test as
 * {@code $NOTIFY_SOCKET} hears READY=1, the serving zone's serial in STATUS, watchdog pings,
 * and STOPPING=1 on SIGTERM (sd_notify(3)).
 */
class RunNotifiesSystemdTest {
  @TempDir Path dir;

  @Test
  void runReportsReadyServingWatchdogAndStoppingToNotifySocket() throws Exception {
    try (MiniInternet net = MiniInternet.builder().start();
        AFUNIXDatagramSocket systemd = AFUNIXDatagramSocket.newInstance()) {
      Path notify = dir.resolve("notify");
      systemd.bind(AFUNIXSocketAddress.of(notify));
      systemd.setSoTimeout(1_000);
      Path zone = dir.resolve("root.zone");
      Files.writeString(zone, net.rootZone().records().stream().map(Record::toString).collect(Collectors.joining("\n", "", "\n")));
      Path anchors = dir.resolve("anchors.ds");
      Files.writeString(anchors, net.trustAnchors().all().get(0).record() + "\n");
      Path hints = dir.resolve("named.root");
      Files.writeString(hints, net.rootHintsText());

      ProcessBuilder builder = new ProcessBuilder(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), Main.class.getName(),
          "run", "--state-dir", dir.resolve("state").toString(), "--runtime-dir", dir.resolve("run").toString(),
          "--source", zone.toUri().toString(), "--anchors", anchors.toString(),
          "--listen", "127.0.0.1:0", "--mirror-listen", "127.0.0.1:0", "--metrics", "127.0.0.1:0", // never a fixed port
          "--hints", hints.toString(), "--upstream-port", String.valueOf(net.port())))
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("daemon.log").toFile());
      builder.environment().put("NOTIFY_SOCKET", notify.toString());
      builder.environment().put("WATCHDOG_USEC", "400000"); // a ping every 0.2 s
      Process daemon = builder.start();
      List<String> heard = new ArrayList<>();
      try {
        Deadline deadline = new Deadline(daemon, System.nanoTime() + Duration.ofSeconds(60).toNanos());
        String ready = await(systemd, heard, deadline, m -> m.contains("READY=1"));
        assertTrue(ready.contains("STATUS="), ready);
        String serial = String.valueOf(net.rootZone().soa().getSerial());
        await(systemd, heard, deadline, m -> m.contains("STATUS=serving root zone serial " + serial));
        await(systemd, heard, deadline, m -> m.equals("WATCHDOG=1"));

        daemon.destroy(); // SIGTERM
        await(systemd, heard, deadline, m -> m.startsWith("STOPPING=1"));
        assertTrue(daemon.waitFor(20, TimeUnit.SECONDS), "run did not stop on SIGTERM");
        assertEquals(143, daemon.exitValue(), log());
      } finally {
        daemon.destroyForcibly();
      }
    }
  }

  /** The whole test's end, and the daemon whose early exit ends the wait too. */
  private record Deadline(Process daemon, long nanos) {}

  /**
   * Receives notifications until one matches; fails with all heard so far and the log when the
   * deadline passes or the daemon exits. Each receive waits at most the socket's timeout (the
   * channel's receive would ignore it).
   */
  private String await(AFUNIXDatagramSocket systemd, List<String> heard, Deadline deadline, Predicate<String> wanted)
      throws IOException {
    byte[] buffer = new byte[4096];
    while (true) {
      if (System.nanoTime() - deadline.nanos() > 0) {
        throw new AssertionError("no such notification within the deadline; heard " + heard + "\n" + log());
      }
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        systemd.receive(packet);
      } catch (SocketTimeoutException e) {
        if (!deadline.daemon().isAlive()) { // nothing queued, and nobody left to send it
          throw new AssertionError("the daemon exited (" + deadline.daemon().exitValue() + "); heard " + heard + "\n" + log());
        }
        continue; // check the deadline again
      }
      String message = new String(packet.getData(), packet.getOffset(), packet.getLength(), StandardCharsets.UTF_8);
      heard.add(message);
      if (wanted.test(message)) {
        return message;
      }
    }
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("daemon.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
