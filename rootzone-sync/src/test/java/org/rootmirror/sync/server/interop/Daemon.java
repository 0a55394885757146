package org.rootmirror.sync.server.interop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A DNS server from Debian run in the foreground from a configuration in a temporary directory,
 * its output in a file there. {@link #close()} stops it (SIGTERM to the children it forked and
 * to it, then SIGKILL, by process id) and waits until its address is free again.
 */
public final class Daemon implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;
  private final InetSocketAddress address;

  private Daemon(String name, Process process, Path log, InetSocketAddress address) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.address = address;
  }

  /** Starts {@code command}, which is to serve DNS on {@code address}, and waits until it answers there. */
  public static Daemon start(String name, Path dir, InetSocketAddress address, List<String> command) throws Exception {
    Path log = dir.resolve(name.toLowerCase().replace(' ', '-') + ".out");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Daemon daemon = new Daemon(name, process, log, address);
    try {
      daemon.awaitAnswering();
    } catch (Throwable e) {
      daemon.close();
      throw e;
    }
    return daemon;
  }

  public InetSocketAddress address() {
    return address;
  }

  /** What the server printed, and any log file it wrote in the same directory. */
  public String output() {
    StringBuilder out = new StringBuilder();
    try (var files = Files.list(log.getParent())) {
      for (Path file : files.filter(f -> f.toString().endsWith(".out") || f.toString().endsWith(".log")).toList()) {
        out.append("--- ").append(file.getFileName()).append('\n').append(Files.readString(file, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      out.append("(cannot read the output: ").append(e).append(")\n");
    }
    return out.toString();
  }

  /**
   * Waits (20 s at most) until the server answers a CHAOS {@code version.bind} query, which every
   * server answers (or refuses) locally without asking anyone.
   */
  private void awaitAnswering() throws Exception {
    Message probe = Message.newQuery(Record.newRecord(Name.fromString("version.bind."), Type.TXT, DClass.CH));
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + output());
      }
      try {
        DnsClient.udp(address, probe.toWire(), Duration.ofMillis(200));
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError(name + " did not answer on " + address + " within 20 s:\n" + output());
  }

  @Override
  public void close() throws InterruptedException {
    List<ProcessHandle> children = process.descendants().toList();
    // children first: a server run under strace is strace's child, and strace writes the end
    // of its trace when the server exits, not when it is itself stopped
    for (ProcessHandle child : children) {
      child.destroy();
    }
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    for (ProcessHandle child : children) {
      if (child.isAlive()) {
        child.destroyForcibly();
        child.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
      }
    }
    Tools.awaitReleased(address, name);
  }
}
