package org.rootmirror.sync.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Child JVM main for the lock tests: {@code LockHolder DIR WAIT_MILLIS} asks for the writer lock
 * and prints LOCKED or BUSY; when it got the lock it holds it until its stdin closes, then prints
 * RELEASED.
 */
public final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws Exception {
    ChildJvm.exitAfter(Duration.ofSeconds(60));
    Optional<ZoneStore.WriterLock> lock = new ZoneStore(Path.of(args[0])).lock(Long.parseLong(args[1]));
    if (lock.isEmpty()) {
      ChildJvm.say("BUSY");
      return;
    }
    ChildJvm.say("LOCKED");
    while (System.in.read() >= 0) {
      // hold until the parent closes our stdin
    }
    lock.get().close();
    ChildJvm.say("RELEASED");
  }
}
