package org.rootmirror.systemd;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/jvm-launch's memory ceiling: the heap it gives the JVM from {@code --max-memory}, from
 * {@code [server] max-memory} of the configuration file, or by default; run against a fake
 * {@code java} that prints its arguments, so no JVM starts.
 */
class JvmLaunchTest {
  @TempDir Path dir;
  Path launcher;
  Path javaHome;

  @BeforeEach
  void setUp() throws IOException {
    launcher = Path.of(System.getProperty("user.dir")).getParent().resolve("bin/jvm-launch");
    assumeTrue(Files.isExecutable(launcher), "no bin/jvm-launch beside the module");
    javaHome = dir.resolve("jdk");
    Files.createDirectories(javaHome.resolve("bin"));
    Files.writeString(javaHome.resolve("release"), "JAVA_VERSION=\"25.0.1\"\n");
    Path java = javaHome.resolve("bin/java");
    Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void runGetsTheHeapOfTheDefault512mAndExitsOnOutOfMemory() throws Exception {
    List<String> args = launch(Map.of(), "run", "--config", dir.resolve("absent.conf").toString());
    assertTrue(args.contains("-Xmx327680k"), args.toString()); // 320 MB: 512 MB but an eighth and 128 MB
    assertTrue(args.contains("-XX:+ExitOnOutOfMemoryError"), args.toString());
  }

  @Test
  void theOptionWinsOverTheFileAndTheFileOverTheDefault() throws Exception {
    Path conf = Files.writeString(dir.resolve("rootmirror.conf"), """
        # max-memory = 8g in a comment is not read
        [sync]
        max-memory = 4g
        [server]
        #max-memory = 8g
          max-memory =  2G   # two gigabytes
        [resolver]
        max-memory = 16g
        """);
    assertTrue(launch(Map.of(), "run", "--config", conf.toString()).contains("-Xmx1703936k"), "1664 MB from the file's 2 GB");
    assertTrue(launch(Map.of(), "run", "--config=" + conf, "--max-memory", "1g").contains("-Xmx786432k"), "768 MB from the option's 1 GB");
    assertTrue(launch(Map.of(), "run", "--max-memory=1024m", "--config", conf.toString()).contains("-Xmx786432k"));
  }

  @Test
  void aValueThatIsNotASizeOrOutOfRangeLeavesTheDefaultForRunToReport() throws Exception {
    for (String bad : List.of("lots", "100", "256m", "2048g", "1.5g")) {
      List<String> args = launch(Map.of(), "run", "--config", dir.resolve("absent.conf").toString(), "--max-memory", bad);
      assertTrue(args.contains("-Xmx327680k"), bad + ": " + args);
      assertEquals(bad, args.get(args.size() - 1), "passed on for run to report");
    }
  }

  @Test
  void oneShotCommandsGetNoCeilingAndJavaOptsComeLastSoTheyWin() throws Exception {
    List<String> verify = launch(Map.of(), "verify", "root.zone");
    assertFalse(verify.stream().anyMatch(a -> a.startsWith("-Xmx")), verify.toString());
    List<String> run = launch(Map.of("ROOTMIRROR_JAVA_OPTS", "-Xmx1g"), "sync-daemon");
    assertTrue(run.indexOf("-Xmx1g") > run.indexOf("-Xmx327680k"), run.toString());
  }

  private List<String> launch(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", launcher.toString(), javaHome.toString(), "rootmirror.jar"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("ROOTMIRROR_JAVA_OPTS");
    builder.environment().putAll(env);
    Process p = builder.start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("jvm-launch did not finish");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    return out.lines().toList();
  }
}
