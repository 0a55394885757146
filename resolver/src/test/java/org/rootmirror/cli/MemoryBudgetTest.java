package org.rootmirror.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How the heap is shared: the resolutions in flight follow the heap, and a heap not set from max-memory is pointed out. */
class MemoryBudgetTest {
  private static final long MB = 1L << 20;

  @Test
  void theDefaultMemoryAllowsAboutAsManyResolutionsInFlightAsUnbound() {
    MemoryBudget budget = MemoryBudget.of(MemoryBudget.heapFor(512 * MB), 512 * MB, 64 * MB);
    assertEquals(320 * MB, budget.heap(), "512 MB but an eighth and 128 MB");
    assertEquals(853, budget.resolutionsInFlight(), "a third of 320 MB, 128 KB each");
    assertTrue(budget.heapFollowsMaxMemory());
    assertEquals("memory: heap 320 MB, cache up to 64 MB, up to 853 resolutions in flight (max-memory 512m)", budget.describe());
  }

  @Test
  void resolutionsInFlightGrowWithTheHeapUpToTheirCap() {
    assertEquals(2048, MemoryBudget.of(MemoryBudget.heapFor(1024 * MB), 1024 * MB, 64 * MB).resolutionsInFlight());
    assertEquals(4096, MemoryBudget.of(MemoryBudget.heapFor(8192 * MB), 8192 * MB, 64 * MB).resolutionsInFlight());
    assertEquals(MemoryBudget.MIN_IN_FLIGHT, MemoryBudget.of(4 * MB, 384 * MB, 64 * MB).resolutionsInFlight());
  }

  @Test
  void aHeapNotSetFromMaxMemorySaysHowToStart() {
    MemoryBudget budget = MemoryBudget.of(6144 * MB, 512 * MB, 64 * MB);
    assertFalse(budget.heapFollowsMaxMemory());
    assertTrue(budget.describe().endsWith("max-memory 512m asks for a heap of 320 MB: start rootmirror with its launcher "
        + "(bin/rootmirror, or the installed one), and without -Xmx in ROOTMIRROR_JAVA_OPTS"), budget.describe());
  }
}
