package org.rootmirror.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest (set at build time), or "development" when run from classes. */
final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {"rootmirror " + (v == null ? "development" : v)};
  }
}
