package org.rootmirror.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.rootmirror.sync.server.net.ListenException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * What a command that threw tells the operator. Everyday mistakes (a port in use or below 1024,
 * a missing or unreadable file, an I/O error) are one line, "rootmirror run: address
 * 127.0.0.1:53 is already in use (UDP): ...", and exit status 2, with no stack trace. Anything
 * else is a fault of rootmirror's own: one line, then the stack trace for the bug report, and
 * exit status 1.
 */
final class Failures implements IExecutionExceptionHandler {
  /** Exit status of a usage or I/O error (Main's contract). */
  static final int USAGE_OR_IO = 2;
  /** Exit status of an unexpected failure. */
  static final int FAULT = 1;

  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
    PrintWriter err = command.getErr();
    String who = command.getCommandSpec().qualifiedName();
    String line = operatorLine(e);
    if (line != null) {
      err.println(who + ": " + line);
      err.flush();
      return USAGE_OR_IO;
    }
    err.println(who + ": internal error, please report: " + e);
    e.printStackTrace(err);
    err.flush();
    return FAULT;
  }

  /** The one line for an everyday failure, or null when {@code e} is not one. */
  static String operatorLine(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ListenException listen) {
        return listen.getMessage(); // wherever it is wrapped, the bind failure is what to fix
      }
    }
    Throwable top = e instanceof UncheckedIOException u ? u.getCause() : e;
    if (top instanceof FileSystemException files) {
      return file(files);
    }
    if (top instanceof IOException io) {
      return io.getMessage() == null || io.getMessage().isBlank() ? "input/output error" : io.getMessage();
    }
    return null;
  }

  /** "file not found: /etc/x", "permission denied: /etc/x", "/etc/x: Read-only file system". */
  static String file(FileSystemException e) {
    String path = e.getFile() == null ? "" : e.getFile();
    if (e instanceof NoSuchFileException) {
      return "file not found: " + path;
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied: " + path;
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory: " + path;
    }
    return path + (e.getReason() == null ? "" : ": " + e.getReason().toLowerCase(java.util.Locale.ROOT));
  }
}
