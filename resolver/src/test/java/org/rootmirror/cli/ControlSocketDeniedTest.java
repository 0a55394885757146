package org.rootmirror.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.rootmirror.cli.config.Settings;

/** `refresh` and `status` tell "not allowed" apart from "no daemon" (which they handle alone). */
class ControlSocketDeniedTest {
  /** The defaults: the runtime directory is /run/rootmirror. */
  private final Settings settings = Settings.defaults();

  @Test
  void connectRefusedForPermissionsNamesTheGroup() {
    Optional<String> reason = SyncOptions.deniedReason(settings, new SocketException("Permission denied"));
    assertTrue(reason.orElseThrow().contains("/run/rootmirror/control.sock"), reason.toString());
    assertTrue(reason.orElseThrow().contains("rootmirror group"), reason.toString());
    assertTrue(SyncOptions.deniedReason(settings, new AccessDeniedException("/run/rootmirror/control.sock")).isPresent());
  }

  @Test
  void noDaemonIsNotADenial() {
    assertEquals(Optional.empty(), SyncOptions.deniedReason(settings, new SocketException("Connection refused")));
    assertEquals(Optional.empty(), SyncOptions.deniedReason(settings, new NoSuchFileException("/run/rootmirror/control.sock")));
  }
}
