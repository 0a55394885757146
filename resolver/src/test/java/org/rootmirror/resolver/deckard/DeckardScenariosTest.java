package org.rootmirror.resolver.deckard;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Deckard's resolver scenarios (../shared/deckard, CZ.NIC, mostly from Unbound's test data), one
 * dynamic test each, replayed against the real resolver stack by {@link ScenarioRun}.
 * docs/CONFORMANCE.md is the list of record: every scenario is there as pass, fail or n/a with
 * its reason, and this test holds the code to it, both ways: a "pass" that fails is a regression,
 * and a "fail" that passes must be marked pass. Only Knot Resolver's own modules (module_*) may
 * be n/a. {@code -Ddeckard.scenarios=GLOB} picks some; {@code -Ddeckard.report=FILE} writes what
 * each one did, one line each (and FILE.NAME, the whole failure of each that failed).
 */
class DeckardScenariosTest {
  private static final Pattern ROW = Pattern.compile("^\\|\\s*`?([A-Za-z0-9_.-]+)`?\\s*\\|\\s*(pass|fail|n/a)\\s*\\|\\s*(.*?)\\s*\\|\\s*$");

  record Listed(String result, String reason) {}

  @TestFactory
  Stream<DynamicTest> everyScenarioDoesWhatConformanceMdSays() throws IOException {
    Path deckard = Path.of(System.getProperty("rootmirror.deckard", "../../shared/deckard"));
    Path scenarios = deckard.resolve("scenarios");
    assumeTrue(Files.isDirectory(scenarios), "Deckard's scenarios are not at " + scenarios + " (set -Drootmirror.deckard): skipped");
    Map<String, Listed> listed = conformance(Path.of(System.getProperty("rootmirror.docs", "../docs")).resolve("CONFORMANCE.md"));
    PathMatcher only = FileSystems.getDefault().getPathMatcher("glob:" + System.getProperty("deckard.scenarios", "*"));
    String report = System.getProperty("deckard.report");
    List<Path> files;
    try (Stream<Path> all = Files.list(scenarios)) {
      files = all.filter(p -> p.getFileName().toString().endsWith(".rpl")).sorted().toList();
    }
    assertTrue(files.size() > 100, "expected Deckard's scenario set in " + scenarios + ", found " + files.size() + " files");
    Stream<DynamicTest> listedExist = Stream.of(DynamicTest.dynamicTest("every scenario in CONFORMANCE.md exists", () -> {
      for (String name : listed.keySet()) {
        assertTrue(Files.exists(scenarios.resolve(name + ".rpl")), "docs/CONFORMANCE.md lists " + name + ", which is not in " + scenarios);
      }
    }));
    Stream<DynamicTest> each = files.stream()
        .filter(p -> only.matches(Path.of(name(p))) || only.matches(p.getFileName()))
        .map(file -> DynamicTest.dynamicTest(name(file), () -> play(file, listed.get(name(file)), report)));
    return Stream.concat(listedExist, each);
  }

  private static void play(Path file, Listed listed, String report) throws Exception {
    String name = name(file);
    if (listed != null && listed.result().equals("n/a")) {
      assertTrue(name.startsWith("module_"), name + ": only Knot Resolver's modules (module_*) may be n/a in docs/CONFORMANCE.md");
      abort("not applicable: " + listed.reason());
    }
    Throwable failure = null;
    try {
      new ScenarioRun(Scenario.read(file)).play();
    } catch (AssertionError | Exception e) {
      failure = e;
    }
    if (report != null) {
      String line = name + "\t" + (failure == null ? "pass" : "fail\t" + firstLine(failure)) + "\n";
      Files.writeString(Path.of(report), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      if (failure != null) {
        Files.writeString(Path.of(report + "." + name), String.valueOf(failure.getMessage()), StandardCharsets.UTF_8);
      }
    }
    if (listed == null) {
      fail(name + " is not in docs/CONFORMANCE.md (it " + (failure == null ? "passes)" : "fails)\n" + failure.getMessage()));
    }
    if (listed.result().equals("pass")) {
      if (failure instanceof AssertionError a) {
        throw a;
      }
      if (failure != null) {
        throw new AssertionError(name + ": " + failure, failure);
      }
      return;
    }
    if (failure == null) {
      fail(name + " passes now: mark it pass in docs/CONFORMANCE.md");
    }
    abort("known failure (docs/CONFORMANCE.md): " + listed.reason() + "; now: " + firstLine(failure));
  }

  private static String name(Path file) {
    String f = file.getFileName().toString();
    return f.substring(0, f.length() - ".rpl".length());
  }

  private static String firstLine(Throwable t) {
    String m = String.valueOf(t.getMessage());
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).replace('\t', ' ');
  }

  /** The rows of the scenario table: | name | pass, fail or n/a | reason |. */
  static Map<String, Listed> conformance(Path doc) throws IOException {
    Map<String, Listed> rows = new LinkedHashMap<>();
    if (!Files.exists(doc)) {
      return rows;
    }
    for (String line : Files.readAllLines(doc, StandardCharsets.UTF_8)) {
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        rows.put(m.group(1), new Listed(m.group(2), m.group(3)));
      }
    }
    return rows;
  }
}
