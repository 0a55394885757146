package org.rootmirror.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.dnssec.validate.ValidationReport;
import org.rootmirror.dnssec.validate.ZoneValidator;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.xbill.DNS.Name;

/** The training run that bin/jvm-launch makes the start-up cache from. */
class StartupTrainingTest {
  @TempDir Path dir;

  @Test
  void theTrainingZoneIsValidFromNowUntilItsSignaturesExpireIn2090() throws IOException {
    Path zone = resource(StartupTraining.ZONE);
    TrustAnchors anchor = TrustAnchors.read(resource(StartupTraining.ANCHOR));
    ZoneValidator validator = new ZoneValidator(anchor, true);
    for (Instant at : List.of(Instant.now(), Instant.parse("2089-12-31T00:00:00Z"))) {
      ValidationReport report = validator.validate(ZoneFile.read(zone, Name.root), at);
      assertTrue(report.valid(), at + ": " + report.summary());
    }
    ValidationReport after = validator.validate(ZoneFile.read(zone, Name.root), TrainingZoneMaker.EXPIRATION.plusSeconds(1));
    assertFalse(after.valid(), "the validity the maker gave: " + after.summary());
  }

  @Test
  void oneShotTrainingVerifiesTheZone() throws Exception {
    Process training = train("one-shot");
    assertEquals(0, training.exitValue(), log());
    assertTrue(log().contains("valid: . serial 2026010100"), log());
  }

  @Test
  void daemonTrainingStoresTheZoneStartsRunAndIsAnsweredByResolverAndMirror() throws Exception {
    Process training = train("daemon");
    assertEquals(0, training.exitValue(), log());
    assertTrue(log().contains("serving stored zone 2026010100"), "run started from the zone refresh stored:\n" + log());
    assertTrue(Files.exists(dir.resolve("work/state/zones/root.zone.2026010100")), log());
  }

  @Test
  void aWrongKindIsAUsageError() throws Exception {
    assertEquals(2, train("neither").exitValue(), log());
  }

  private Process train(String kind) throws IOException, InterruptedException {
    Path work = Files.createDirectories(dir.resolve("work"));
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), StartupTraining.class.getName(), kind, work.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("training.log").toFile())
        .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the training did not end within 120 s:\n" + log());
    }
    return p;
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("training.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private Path resource(String name) throws IOException {
    try (InputStream in = StartupTraining.class.getResourceAsStream(name)) {
      Path file = dir.resolve(name);
      Files.copy(in, file);
      return file;
    }
  }
}
