package org.rootmirror.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.testing.Fixtures;
import org.rootmirror.sync.testing.RootZoneVersions;

/**
 * The service under a real systemd: {@code systemd/test/boot-test.sh} boots a Debian root file
 * system with systemd-nspawn, installs with install.sh and checks the running service. Opt-in
 * ({@code ROOTMIRROR_BOOT_TEST=1}, set by {@code .ci/run}): it needs root, systemd-nspawn,
 * debootstrap, the built jar and, on first use, Debian's archive.
 */
class BootUnderSystemdTest {
  @Test
  void installedServiceBootsBindsPort53AsItsUserResolvesAndAnswersRefresh() throws Exception {
    assumeTrue("1".equals(System.getenv("ROOTMIRROR_BOOT_TEST")), "the boot test is opt-in: ROOTMIRROR_BOOT_TEST=1");
    assumeTrue(Files.exists(Fixtures.rootZone(Fixtures.ZONE_2026)), "no root zone fixture to cut a test root from");
    Path checkout = Path.of(System.getProperty("user.dir")).getParent();
    assumeTrue(Files.exists(checkout.resolve("resolver/target/rootmirror.jar")), "no jar: run bin/mvn package first");

    // a small root re-signed with a test key, valid from yesterday for a week, kept in target/
    // so that a failure can be looked at
    Path work = checkout.resolve("resolver/target/boot-test");
    Files.createDirectories(work);
    RootZoneVersions versions = new RootZoneVersions(Instant.now().minus(Duration.ofDays(1)));
    Files.write(work.resolve("root.zone"), versions.text(1));
    Files.writeString(work.resolve("anchors.ds"), versions.anchors().all().get(0).record() + "\n");

    // The root file system first, on its own: made from Debian's archive on first use. An archive
    // that cannot be reached is this machine's problem, not the service's, so the test is skipped
    // then (loudly); everything after it must pass.
    Process rootfs = new ProcessBuilder(checkout.resolve("systemd/test/rootfs.sh").toString()).redirectErrorStream(true).start();
    String made = new String(rootfs.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(rootfs.waitFor(20, TimeUnit.MINUTES), "rootfs.sh did not finish");
    assumeTrue(rootfs.exitValue() == 0, "SKIPPED: no Debian root file system for the boot test (debootstrap failed):\n"
        + made.substring(Math.max(0, made.length() - 2000)));

    Process p = new ProcessBuilder(checkout.resolve("systemd/test/boot-test.sh").toString(), work.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "boot-test.sh did not finish");
    Files.writeString(work.resolve("boot-test.log"), out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("boot-test: OK"), out);
  }
}
