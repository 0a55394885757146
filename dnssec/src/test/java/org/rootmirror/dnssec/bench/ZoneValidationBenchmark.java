package org.rootmirror.dnssec.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.dnssec.validate.ValidationReport;
import org.rootmirror.dnssec.validate.ZoneValidator;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.rootmirror.dnssec.zonemd.ZoneDigest;
import org.xbill.DNS.Name;

/**
 * Whole-zone validation of the real 2026 root zone, already parsed, after warm-up (target: under
 * 100 ms), and its parts. Run with bench/jmh; the fixtures path comes from -Drootmirror.fixtures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class ZoneValidationBenchmark {
  private static final Instant TIME = Instant.parse("2026-08-01T00:00:00Z");

  private Path file;
  private Zone zone;
  private ZoneValidator validator;

  @Setup
  public void load() throws IOException {
    file = Path.of(System.getProperty("rootmirror.fixtures", "../shared/fixtures"), "rootzone", "root.zone.2026073102");
    zone = ZoneFile.read(file, Name.root);
    validator = new ZoneValidator(TrustAnchors.builtIn(), true);
    ValidationReport report = validator.validate(zone, TIME);
    if (!report.valid()) {
      throw new IllegalStateException("fixture does not validate: " + report.summary());
    }
  }

  @Benchmark
  public ValidationReport validateParsedRootZone() {
    return validator.validate(zone, TIME);
  }

  @Benchmark
  public Zone parseRootZone() throws IOException {
    return ZoneFile.read(file, Name.root);
  }

  @Benchmark
  public byte[] zonemdSha384() {
    return ZoneDigest.compute(zone.origin(), zone.records(), ZoneDigest.HASH_SHA384);
  }
}
