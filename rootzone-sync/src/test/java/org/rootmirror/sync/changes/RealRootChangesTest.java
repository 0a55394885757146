package org.rootmirror.sync.changes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.sync.changes.ZoneDifference.DelegationChange;
import org.rootmirror.sync.testing.EditedRoot;

/**
 * The real root zone against a next version with one TLD removed, one added, one DS replaced and
 * one glue address changed: exactly those four changes, and nothing from the rest of the zone.
 */
class RealRootChangesTest {
  private static Zone real;
  private static Zone next;

  @BeforeAll
  static void read() throws IOException {
    real = EditedRoot.real();
    next = EditedRoot.next(real);
  }

  @Test
  void theRealZoneComparedWithItselfDiffersInNothing() {
    assertTrue(ZoneComparison.between(real, real).isEmpty());
  }

  @Test
  void theFourEditsAreTheWholeDifference() {
    ZoneDifference d = ZoneComparison.between(real, next);
    assertTrue(d.dnskey().isEmpty());
    assertEquals(List.of(EditedRoot.ADDED), d.added().stream().map(a -> a.name().toString()).toList());
    assertEquals(List.of(EditedRoot.REMOVED), d.removed().stream().map(r -> r.name().toString()).toList());
    assertEquals(List.of(EditedRoot.DS_CHANGED, EditedRoot.GLUE_CHANGED), d.changed().stream().map(c -> c.name().toString()).toList());
    DelegationChange de = d.changed().get(0);
    assertEquals(List.of(EditedRoot.NEW_DS), de.ds().added().stream().map(r -> r.rdataToString()).toList());
    assertEquals(List.of(EditedRoot.OLD_DS), de.ds().removed().stream().map(r -> r.rdataToString()).toList());
    DelegationChange zm = d.changed().get(1);
    assertEquals(List.of(EditedRoot.NEW_GLUE), zm.glue().added().stream().map(r -> r.rdataToString()).toList());
    assertEquals(List.of(EditedRoot.OLD_GLUE), zm.glue().removed().stream().map(r -> r.rdataToString()).toList());
    assertEquals(2, d.dsAdded(), "the new DS of de. and the DS of the new TLD");
    assertEquals(2, d.dsRemoved(), "the old DS of de. and the DS of the removed TLD");
    assertEquals(ZoneComparison.delegationCount(real), ZoneComparison.delegationCount(next));
  }

  @Test
  void theSummaryHasExactlyFourChangeLines() {
    ChangeEntry e = new ChangeEntry(2026073103L, 2026073102L, Instant.parse("2026-07-31T21:00:00Z"),
        ZoneComparison.delegationCount(next), ZoneComparison.between(real, next), null);
    List<String> lines = ChangesText.lines(e);
    assertEquals(5, lines.size(), String.join("\n", lines));
    assertEquals("2026073103 (published 2026-07-31T21:00:00Z, after 2026073102): 1438 TLDs; 1 added, 1 removed, 2 changed", lines.get(0));
    assertTrue(lines.get(1).startsWith("  + newtld.  TLD added: NS a.nic.newtld., b.nic.newtld.; DS 54321 13 2 A1A2A3A4...; 2 glue addresses"),
        lines.get(1));
    assertTrue(lines.get(2).startsWith("  - aaa.  TLD removed (had NS a.nic.aaa., b.nic.aaa., c.nic.aaa., "), lines.get(2));
    assertEquals("  ~ de.  DS +12345 13 2 01020304... -26755 8 2 F3413578...", lines.get(3));
    assertEquals("  ~ zm.  glue +pch.nic.zm. A 192.0.2.73 -pch.nic.zm. A 204.61.216.73", lines.get(4));
  }
}
