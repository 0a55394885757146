package org.rootmirror.resolver.iterate;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A local root copy that may not be known yet: at start-up the stored zone is still being read and
 * validated. Until it is known whether there is a valid copy, questions that need the root wait
 * (each within its own deadline) rather than ask a public root server: while a valid stored zone
 * exists, no packet goes to one (RFC 8806 section 2). A plain {@code Supplier<RootCopy>} is known
 * from the start.
 */
public interface AwaitedRootCopy extends Supplier<RootCopy> {
  /**
   * Waits at most {@code max} until it is known whether there is a copy ({@link #get} then says
   * which); true when it is known. Cheap once known: one volatile read.
   */
  boolean awaitKnown(Duration max) throws InterruptedException;
}
