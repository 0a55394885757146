package org.rootmirror.dnssec.testing;

import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints each skipped or aborted test with its reason on the console, where Surefire shows only a
 * count ("Skipped: 1") and keeps the reason in the XML report. Registered for every module's
 * tests by META-INF/services in this module's test jar, which the others use.
 */
public final class SkipReasons implements TestExecutionListener {
  @Override
  public void executionSkipped(TestIdentifier test, String reason) {
    System.err.println("SKIPPED " + name(test) + ": " + reason);
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    // a failed assumption (Assumptions.assumeTrue) aborts the test: a skip with a reason
    if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
      System.err.println("SKIPPED " + name(test) + ": "
          + result.getThrowable().map(Throwable::getMessage).filter(m -> !m.isBlank()).orElse("aborted"));
    }
  }

  private static String name(TestIdentifier test) {
    Optional<String> method = test.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
        .map(m -> m.getClassName().substring(m.getClassName().lastIndexOf('.') + 1) + "." + m.getMethodName());
    return method.orElse(test.getDisplayName());
  }
}
