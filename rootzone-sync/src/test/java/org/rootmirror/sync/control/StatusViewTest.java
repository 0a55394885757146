package org.rootmirror.sync.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.sync.accept.NoZoneServed;
import org.rootmirror.sync.accept.SyncRunning;
import org.rootmirror.sync.accept.SyncStatus;

/** What {@code rootmirror status} prints and exits with, from the daemon's state. */
class StatusViewTest {
  private static final Instant NOW = Instant.parse("2026-11-01T12:00:00Z");
  private static final URI SOURCE = URI.create("https://www.internic.net/domain/root.zone");

  @Test
  void aCheckAlreadyDueIsShownAsNowNeverInThePast() {
    StatusView view = new StatusView(null, false, null, null, NOW.minusSeconds(5), NOW, null);
    assertEquals(NOW, view.fields().get("next_check"));
    StatusView later = new StatusView(null, false, null, null, NOW.plusSeconds(900), NOW, null);
    assertEquals(NOW.plusSeconds(900), later.fields().get("next_check"));
  }

  @Test
  void whileASyncRunsItSaysSinceWhenAndFromWhichSource() {
    SyncRunning running = new SyncRunning(NOW.minusSeconds(42), SOURCE);
    StatusView view = new StatusView(null, false, null, running, NOW.minusSeconds(42), NOW, null);
    assertTrue(view.text().contains("syncing since:             2026-11-01T11:59:18Z\n"), view.text());
    assertTrue(view.text().contains("syncing from:              " + SOURCE + "\n"), view.text());
    assertTrue(view.text().contains("next check:                -\n"), "the next check follows the sync under way: " + view.text());
    assertTrue(view.json().contains("\"syncing_since\":\"2026-11-01T11:59:18Z\",\"syncing_from\":\"" + SOURCE + "\""), view.json());
  }

  @Test
  void lastErrorIsOneLinePerSourceInTextAndAListInJson() {
    SyncStatus failed = new SyncStatus(null, null, List.of(SOURCE + ": connect: connection refused", "axfr://192.0.32.132: timeout"));
    StatusView view = new StatusView(null, false, failed, null, NOW.plusSeconds(60), NOW, null);
    assertTrue(view.text().contains("last error:                " + SOURCE + ": connect: connection refused\n"
        + "                           axfr://192.0.32.132: timeout\n"), view.text());
    assertTrue(view.json().contains("\"last_error\":[\"" + SOURCE + ": connect: connection refused\",\"axfr://192.0.32.132: timeout\"]"),
        view.json());
  }

  @Test
  void exitsZeroOnlyWhileAZoneIsServedAndOtherwiseSaysWhatToCheck() {
    String advice = NoZoneServed.advice(NoZoneServed.RESOLVER_MEANWHILE);
    StatusView none = new StatusView(null, false, null, null, null, NOW, advice);
    assertEquals(1, none.exitCode());
    assertTrue(none.text().contains("message:                   no root zone is served; the resolver uses the public root servers meanwhile; "
        + "check the network and the sources (--source), or download root.zone and give it with --source file:"), none.text());
    assertTrue(none.json().startsWith("{\"serving\":false,"), none.json());
    assertTrue(none.json().contains("\"message\":\"no root zone is served;"), none.json());

    StatusView serving = new StatusView(null, true, null, null, null, NOW, null);
    assertEquals(0, serving.exitCode());
    assertFalse(serving.text().contains("message:"), "nothing to say while serving: " + serving.text());
  }
}
