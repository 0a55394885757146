package org.rootmirror.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.rootmirror.cli.config.Settings;
import org.rootmirror.sync.control.ControlClient;
import org.rootmirror.sync.control.ControlRequest;
import org.rootmirror.sync.control.DaemonNote;

/**
 * DaemonLink -- finds the daemon that {@code refresh} and {@code status} talk to: at the runtime
 * directory's control socket, else at the socket named by the note the daemon left in the state
 * directory ({@link DaemonNote}), so that {@code refresh --state-dir X} reaches the daemon serving
 * X wherever its runtime directory is, and never syncs beside it (issue 11).
 */
final class DaemonLink {
  /** A daemon runs for these settings but cannot be asked; the message says why and what to do. */
  static final class Unreachable extends Exception {
    private final boolean denied;

    Unreachable(String message, boolean denied) {
      super(message, null, false, false);
      this.denied = denied;
    }

    /** Whether this user may not use the socket (rather than no answer from it). */
    boolean denied() {
      return denied;
    }
  }

  private DaemonLink() {}

  /**
   * Sends {@code request} to the daemon and relays its reply lines.
   *
   * @return the daemon's exit code, or empty when no daemon runs for these settings
   * @throws Unreachable when one runs but cannot be asked
   */
  static OptionalInt send(Settings settings, ControlRequest request, Consumer<String> lines) throws Unreachable {
    Path socket = SyncOptions.socket(settings);
    try {
      return OptionalInt.of(ControlClient.send(socket, request, lines));
    } catch (IOException noDaemon) {
      Optional<String> denied = SyncOptions.deniedReason(socket, noDaemon);
      if (denied.isPresent()) {
        throw new Unreachable(denied.get(), true);
      }
    }
    Optional<DaemonNote> note = DaemonNote.read(settings.stateDir());
    if (note.isEmpty()) {
      return OptionalInt.empty();
    }
    Path noted = note.get().socket();
    if (!noted.toAbsolutePath().equals(socket.toAbsolutePath())) {
      try {
        return OptionalInt.of(ControlClient.send(noted, request, lines));
      } catch (IOException noAnswer) {
        Optional<String> denied = SyncOptions.deniedReason(noted, noAnswer);
        if (denied.isPresent()) {
          throw new Unreachable(denied.get(), true);
        }
      }
    }
    if (note.get().alive()) {
      throw new Unreachable("a rootmirror daemon (pid " + note.get().pid() + ") serves " + settings.stateDir()
          + " but does not answer on " + noted + "; wait for it, or stop it (if none runs, remove "
          + settings.stateDir().resolve(DaemonNote.FILE) + ")", false);
    }
    return OptionalInt.empty(); // a note left by a daemon that died
  }
}
