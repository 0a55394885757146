package org.rootmirror.sync.server.interop;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Debian programs the interoperability tests run: found on the PATH or in the sbin
 * directories (which a user's PATH may lack), or the calling test skipped with a message naming
 * the package; and loopback ports free for them to take.
 */
public final class Tools {
  private Tools() {}

  /** The path of {@code name}; skips the calling test, naming the Debian package, when it is not installed. */
  public static String require(String name, String debianPackage) {
    Optional<Path> found = find(name);
    assumeTrue(found.isPresent(),
        name + " is not installed (Debian package " + debianPackage + "); skipping the check against it (CI installs it)");
    return found.get().toString();
  }

  public static Optional<Path> find(String name) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin", "/bin"));
    return dirs.stream()
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, name))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** Runs a client to completion (at most {@code limit}) and returns what it printed, stdout and stderr together. */
  public static String run(Duration limit, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    // a client's output is small; read it after the wait so that a hung client cannot block the test
    if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      throw new AssertionError(String.join(" ", command) + " did not finish within " + limit + ":\n" + output(p));
    }
    return output(p);
  }

  private static String output(Process p) throws IOException {
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  /** A port free on {@code address} for both UDP and TCP, for a server to take. */
  public static int freePort(InetAddress address) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, address);
          DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, tcp.getLocalPort()))) {
        return tcp.getLocalPort();
      } catch (IOException e) {
        if (attempt == 20) {
          throw e;
        }
      }
    }
  }

  /** Whether a server could bind {@code address} over UDP and TCP now, that is whether the last holder let it go. */
  public static boolean released(InetSocketAddress address) {
    try (ServerSocket tcp = new ServerSocket()) {
      tcp.setReuseAddress(true); // as servers do: TIME_WAIT connections do not hold the port
      tcp.bind(address);
      try (DatagramSocket udp = new DatagramSocket(address)) {
        return true;
      }
    } catch (IOException e) {
      return false;
    }
  }

  /** Waits (10 s at most) until {@code address} is free again; fails naming who held it. */
  public static void awaitReleased(InetSocketAddress address, String holder) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!released(address)) {
      if (System.nanoTime() > end) {
        throw new AssertionError(holder + " still holds " + address + " 10 s after it was stopped");
      }
      Thread.sleep(50);
    }
  }
}
