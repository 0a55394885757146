package org.rootmirror.cli;

import picocli.CommandLine.Command;

@Command(name = "verify")
final class VerifyCommand {}
