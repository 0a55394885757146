package org.rootmirror.sync.control;

import java.util.function.Consumer;

/** Carries out one control request, writing reply lines; returns the command's exit code. */
@FunctionalInterface
public interface ControlHandler {
  int handle(ControlRequest request, Consumer<String> reply);
}
