/** The {@code rootmirror} command: one subcommand per class, wiring the modules together. */
package org.rootmirror.cli;
