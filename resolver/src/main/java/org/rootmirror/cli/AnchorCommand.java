package org.rootmirror.cli;

import picocli.CommandLine.Command;

/** {@code rootmirror anchor ...}: trust anchor files. */
@Command(name = "anchor", description = "Work with trust anchor files.", mixinStandardHelpOptions = true)
final class AnchorCommand {}
