#!/bin/sh
# rootmirror: runs the installed jar with a JDK >= 21 ($JAVA_HOME if it qualifies, else the
# newest under /usr/lib/jvm). systemd/install.sh installs it with the library directory filled in.
set -e
lib=@LIBDIR@
JAVA_HOME=$("$lib/java-home" --runtime)
export JAVA_HOME
exec "$lib/jvm-launch" "$JAVA_HOME" "$lib/rootmirror.jar" "$@"
