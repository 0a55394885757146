package org.rootmirror.systemd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code systemd/install.sh} into a temporary DESTDIR, checked file by file, its uninstall, and
 * the installed unit through {@code systemd-analyze verify} and {@code security --offline=true}.
 */
class InstallScriptTest {
  /** The exposure score `systemd-analyze security` gave the unit (README, "Running as a service"). */
  static final double EXPOSURE_RECORDED = 1.4;

  @TempDir Path dir;
  Path checkout;
  Path dest;
  Path jar;

  @BeforeEach
  void setUp() throws IOException {
    checkout = Path.of(System.getProperty("user.dir")).getParent();
    assumeTrue(Files.isExecutable(checkout.resolve("systemd/install.sh")), "no systemd/install.sh beside " + checkout);
    dest = dir.resolve("dest");
    jar = dir.resolve("fake.jar");
    Files.write(jar, new byte[] {'P', 'K', 3, 4, 42});
  }

  @Test
  void installPutsEachFileInPlaceWithItsModeAndPathsFilledIn() throws Exception {
    Result r = install("--with-resolved");
    assertEquals(0, r.exit, r.output);

    Map<String, String> expected = new TreeMap<>(Map.of(
        "usr/local/lib/rootmirror/rootmirror.jar", "rw-r--r--",
        "usr/local/lib/rootmirror/java-home", "rwxr-xr-x",
        "usr/local/lib/rootmirror/jvm-launch", "rwxr-xr-x",
        "usr/local/bin/rootmirror", "rwxr-xr-x",
        "usr/local/lib/systemd/system/rootmirror.service", "rw-r--r--",
        "usr/local/lib/sysusers.d/rootmirror.conf", "rw-r--r--",
        "etc/systemd/resolved.conf.d/rootmirror.conf", "rw-r--r--"));
    boolean defaultConfig = Files.exists(checkout.resolve("systemd/rootmirror.conf"));
    if (defaultConfig) {
      expected.put("etc/rootmirror/rootmirror.conf", "rw-r--r--");
    }
    assertEquals(expected, installedFiles());

    assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(dest.resolve("usr/local/lib/rootmirror/rootmirror.jar")));
    assertEquals(Files.readString(checkout.resolve("bin/java-home")), read("usr/local/lib/rootmirror/java-home"));
    assertEquals(Files.readString(checkout.resolve("bin/jvm-launch")), read("usr/local/lib/rootmirror/jvm-launch"));
    assertTrue(read("usr/local/bin/rootmirror").contains("\nlib=/usr/local/lib/rootmirror\n"), read("usr/local/bin/rootmirror"));
    String unit = read("usr/local/lib/systemd/system/rootmirror.service");
    assertTrue(unit.contains("\nExecStart=/usr/local/bin/rootmirror run --config /etc/rootmirror/rootmirror.conf\n"), unit);
    for (String file : expected.keySet()) {
      if (!file.endsWith(".jar")) {
        assertFalse(Pattern.compile("@[A-Z]+@").matcher(read(file)).find(), file + " has a placeholder left");
      }
    }
    assertEquals(Files.readString(checkout.resolve("systemd/resolved/rootmirror.conf")), read("etc/systemd/resolved.conf.d/rootmirror.conf"));
    if (defaultConfig) {
      assertEquals(Files.readString(checkout.resolve("systemd/rootmirror.conf")), read("etc/rootmirror/rootmirror.conf"));
    }
  }

  @Test
  void resolvedDropInOnlyWhenAskedFor() throws Exception {
    assertEquals(0, install().exit);
    assertFalse(Files.exists(dest.resolve("etc/systemd/resolved.conf.d")));
  }

  @Test
  void reinstallKeepsTheAdministratorsConfiguration() throws Exception {
    Path config = dest.resolve("etc/rootmirror/rootmirror.conf");
    Files.createDirectories(config.getParent());
    Files.writeString(config, "# mine\n");
    Result r = install();
    assertEquals(0, r.exit, r.output);
    assertEquals("# mine\n", Files.readString(config));
    assertTrue(r.output.contains("kept /etc/rootmirror/rootmirror.conf"), r.output);
  }

  @Test
  void prefixOutsideUsrPutsUnitsUnderEtc() throws Exception {
    Result r = install("--prefix", "/opt/rootmirror");
    assertEquals(0, r.exit, r.output);
    assertTrue(Files.exists(dest.resolve("opt/rootmirror/bin/rootmirror")));
    assertTrue(Files.exists(dest.resolve("opt/rootmirror/lib/rootmirror/rootmirror.jar")));
    assertTrue(read("etc/systemd/system/rootmirror.service").contains("\nExecStart=/opt/rootmirror/bin/rootmirror run "));
    assertTrue(Files.exists(dest.resolve("etc/sysusers.d/rootmirror.conf")));
  }

  @Test
  void uninstallRemovesWhatInstallPutThereAndKeepsStateUnlessPurged() throws Exception {
    assertEquals(0, install("--with-resolved").exit);
    Path zone = dest.resolve("var/lib/rootmirror/zones/root.zone");
    Files.createDirectories(zone.getParent());
    Files.writeString(zone, ". 86400 IN SOA a. b. 1 1 1 1 1\n");
    Path config = dest.resolve("etc/rootmirror/rootmirror.conf");
    Files.createDirectories(config.getParent());
    Files.writeString(config, "# mine\n");

    Result r = install("--uninstall");
    assertEquals(0, r.exit, r.output);
    assertEquals(Map.of("etc/rootmirror/rootmirror.conf", "rw-r--r--", "var/lib/rootmirror/zones/root.zone", "rw-r--r--"),
        installedFiles(), r.output);

    r = install("--uninstall", "--purge");
    assertEquals(0, r.exit, r.output);
    assertEquals(Map.of(), installedFiles(), r.output);
  }

  @Test
  void missingJarIsAnErrorThatSaysHowToBuildIt() throws Exception {
    Files.delete(jar);
    Result r = install();
    assertEquals(1, r.exit);
    assertTrue(r.output.contains("build it first"), r.output);
  }

  @Test
  void installedUnitPassesSystemdAnalyzeVerify() throws Exception {
    Path unit = installedUnitWithLauncherInDestdir();
    Result r = run(List.of("systemd-analyze", "verify", unit.toString()));
    assertEquals(0, r.exit, r.output);
    // unknown or misspelt settings are warnings, not failures: none may name the unit
    assertFalse(r.output.contains("rootmirror.service"), r.output);
  }

  @Test
  void installedUnitExposureStaysAtTheRecordedScore() throws Exception {
    Path unit = installedUnitWithLauncherInDestdir();
    Result r = run(List.of("systemd-analyze", "security", "--offline=true", "--no-pager", unit.toString()));
    assertEquals(0, r.exit, r.output);
    Matcher m = Pattern.compile("Overall exposure level for rootmirror.service: ([0-9.]+)").matcher(r.output);
    assertTrue(m.find(), r.output);
    double exposure = Double.parseDouble(m.group(1));
    assertTrue(exposure <= EXPOSURE_RECORDED, "exposure " + exposure + " is worse than the recorded " + EXPOSURE_RECORDED + "\n" + r.output);
  }

  /** The installed unit, its ExecStart pointed into DESTDIR so that verify finds the launcher. */
  private Path installedUnitWithLauncherInDestdir() throws Exception {
    assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed (apt-get install systemd)");
    assertEquals(0, install().exit);
    String unit = read("usr/local/lib/systemd/system/rootmirror.service")
        .replace("ExecStart=/usr/local/bin/", "ExecStart=" + dest.resolve("usr/local/bin") + "/");
    Path copy = dir.resolve("units/rootmirror.service");
    Files.createDirectories(copy.getParent());
    Files.writeString(copy, unit);
    return copy;
  }

  private Map<String, String> installedFiles() throws IOException {
    Map<String, String> files = new TreeMap<>();
    if (Files.exists(dest)) {
      try (Stream<Path> walk = Files.walk(dest)) {
        for (Path p : walk.filter(Files::isRegularFile).toList()) {
          files.put(dest.relativize(p).toString(), PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        }
      }
    }
    return files;
  }

  private String read(String file) throws IOException {
    return Files.readString(dest.resolve(file));
  }

  private Result install(String... options) throws Exception {
    List<String> command = new ArrayList<>(List.of(checkout.resolve("systemd/install.sh").toString(),
        "--destdir", dest.toString(), "--jar", jar.toString()));
    command.addAll(List.of(options));
    return run(command);
  }

  private record Result(int exit, String output) {}

  private Result run(List<String> command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("SYSTEMD_LOG_COLOR", "0");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
    return new Result(p.exitValue(), out);
  }

  private static boolean onPath(String tool) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
  }
}
