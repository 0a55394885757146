package org.rootmirror.sync.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The one zone everything serves from, swapped with a single reference exchange so readers never
 * see a half-built zone. Empty before the first valid zone and after the zone expires: the server
 * then answers SERVFAIL and the resolver falls back to the public roots.
 */
public final class PublishedZone {
  private final AtomicReference<ZoneSnapshot> current = new AtomicReference<>();
  private final List<Consumer<Optional<ZoneSnapshot>>> listeners = new CopyOnWriteArrayList<>();

  public Optional<ZoneSnapshot> current() {
    return Optional.ofNullable(current.get());
  }

  public void publish(ZoneSnapshot snapshot) {
    current.set(snapshot);
    listeners.forEach(l -> l.accept(Optional.of(snapshot)));
  }

  /** Stops serving the zone (it expired); listeners hear {@code Optional.empty()}. */
  public void withdraw() {
    if (current.getAndSet(null) != null) {
      listeners.forEach(l -> l.accept(Optional.empty()));
    }
  }

  /** Called after every publish and withdrawal, on the thread that made it. */
  public void onChange(Consumer<Optional<ZoneSnapshot>> listener) {
    listeners.add(listener);
  }
}
