package org.rootmirror.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** `refresh` and `status` tell "not allowed" apart from "no daemon" (which they handle alone). */
class ControlSocketDeniedTest {
  private final SyncOptions options = new SyncOptions();

  {
    options.runtimeDir = Path.of("/run/rootmirror");
  }

  @Test
  void connectRefusedForPermissionsNamesTheGroup() {
    Optional<String> reason = options.deniedReason(new SocketException("Permission denied"));
    assertTrue(reason.orElseThrow().contains("/run/rootmirror/control.sock"), reason.toString());
    assertTrue(reason.orElseThrow().contains("rootmirror group"), reason.toString());
    assertTrue(options.deniedReason(new AccessDeniedException("/run/rootmirror/control.sock")).isPresent());
  }

  @Test
  void noDaemonIsNotADenial() {
    assertEquals(Optional.empty(), options.deniedReason(new SocketException("Connection refused")));
    assertEquals(Optional.empty(), options.deniedReason(new NoSuchFileException("/run/rootmirror/control.sock")));
  }
}
