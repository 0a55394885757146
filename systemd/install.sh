#!/usr/bin/env bash
# install.sh: installs rootmirror as a systemd service: the jar and its launcher under PREFIX,
# the default configuration, the unit and its sysusers.d user, and enables the service. It also
# makes the JVM's start-up cache beside the jar (a training run of about ten seconds, on loopback).
#
#   systemd/install.sh [--prefix DIR] [--destdir DIR] [--jar FILE] [--no-enable] [--with-resolved]
#   systemd/install.sh --uninstall [--purge] [--prefix DIR] [--destdir DIR]
#
# --prefix       where the jar and launcher go (default /usr/local): PREFIX/lib/rootmirror,
#                PREFIX/bin/rootmirror; units and sysusers.d under PREFIX/lib when systemd reads
#                that tree (/usr and /usr/local), else under /etc
# --destdir      stage everything under DIR (also $DESTDIR) and change nothing on this system:
#                no user is made, nothing enabled (for packaging and tests)
# --jar          the jar to install (default resolver/target/rootmirror.jar of this checkout)
# --no-enable    install only: the user is made and systemd reloaded, the service not enabled
# --with-resolved  also make systemd-resolved forward to rootmirror (resolved/rootmirror.conf)
# --uninstall    stop, disable and remove what install put there; the state directory
#                (/var/lib/rootmirror) and the configuration stay unless --purge
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
checkout=$(dirname "$src")

prefix=/usr/local destdir=${DESTDIR:-} jar=$checkout/resolver/target/rootmirror.jar
enable=yes resolved=no mode=install purge=no unitdir="" sysconfdir=/etc localstatedir=/var
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) prefix=$2; shift ;;
    --prefix=*) prefix=${1#*=} ;;
    --destdir) destdir=$2; shift ;;
    --destdir=*) destdir=${1#*=} ;;
    --jar) jar=$2; shift ;;
    --jar=*) jar=${1#*=} ;;
    --unitdir=*) unitdir=${1#*=} ;;
    --no-enable) enable=no ;;
    --with-resolved) resolved=yes ;;
    --uninstall) mode=uninstall ;;
    --purge) purge=yes ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
prefix=${prefix%/}
case $prefix in /*) ;; *) echo "install.sh: --prefix must be absolute" >&2; exit 2 ;; esac
# systemd reads units and sysusers.d from /usr/lib and /usr/local/lib (systemd.unit(5),
# sysusers.d(5)); any other prefix puts them under /etc
case $prefix in
  /usr|/usr/local) libsystemd=$prefix/lib ;;
  *) libsystemd=$sysconfdir ;;
esac
unitdir=${unitdir:-$libsystemd/systemd/system}
bindir=$prefix/bin
libdir=$prefix/lib/rootmirror
sysusersdir=$libsystemd/sysusers.d
confdir=$sysconfdir/rootmirror
resolveddir=$sysconfdir/systemd/resolved.conf.d
statedir=$localstatedir/lib/rootmirror
# changes to the running system only when installing into it
live=no
[ -z "$destdir" ] && live=yes

say() { echo "install.sh: $*"; }
# put SRC DEST MODE [SED-EXPR]: copies SRC to DESTDIR/DEST with MODE, replacing @NAMES@
put() {
  local from=$1 to=$destdir$2 mode=$3
  mkdir -p "$(dirname "$to")"
  sed -e "s|@BINDIR@|$bindir|g" -e "s|@LIBDIR@|$libdir|g" "$from" > "$to.tmp"
  chmod "$mode" "$to.tmp"
  mv -f "$to.tmp" "$to"
  say "installed $2"
}
# copies a binary file unchanged
put_raw() {
  local from=$1 to=$destdir$2 mode=$3
  mkdir -p "$(dirname "$to")"
  cp "$from" "$to.tmp"
  chmod "$mode" "$to.tmp"
  mv -f "$to.tmp" "$to"
  say "installed $2"
}
remove() {
  if [ -e "$destdir$1" ] || [ -L "$destdir$1" ]; then rm -rf "$destdir$1"; say "removed $1"; fi
}
systemd_running() { [ "$live" = yes ] && [ -d /run/systemd/system ]; }

if [ "$mode" = uninstall ]; then
  if systemd_running; then
    systemctl disable --now rootmirror.service 2>/dev/null || true
  fi
  remove "$unitdir/rootmirror.service"
  remove "$sysusersdir/rootmirror.conf"
  remove "$bindir/rootmirror"
  remove "$libdir"
  had_resolved=no
  [ -e "$destdir$resolveddir/rootmirror.conf" ] && had_resolved=yes
  remove "$resolveddir/rootmirror.conf"
  if [ "$purge" = yes ]; then
    remove "$confdir"
    remove "$statedir"
  else
    if [ -e "$destdir$statedir" ]; then say "kept $statedir (the validated zones; --purge removes it)"; fi
    if [ -e "$destdir$confdir" ]; then say "kept $confdir (--purge removes it)"; fi
  fi
  if systemd_running; then
    systemctl daemon-reload
    if [ "$had_resolved" = yes ]; then systemctl try-restart systemd-resolved.service; fi
  fi
  # the user stays, as Debian leaves system users: files it owned may remain
  exit 0
fi

if [ ! -f "$jar" ]; then
  echo "install.sh: $jar is missing: build it first (bin/mvn -B -q -DskipTests package) or pass --jar" >&2
  exit 1
fi
put_raw "$jar" "$libdir/rootmirror.jar" 0644
put "$checkout/bin/java-home" "$libdir/java-home" 0755
put "$checkout/bin/jvm-launch" "$libdir/jvm-launch" 0755
put "$src/rootmirror.sh" "$bindir/rootmirror" 0755
if [ "$live" = yes ]; then
  # the JVM's start-up cache for this jar and JDK (bin/jvm-launch): a restart serves the stored
  # zone sooner; without it rootmirror starts slower and works the same. A staged tree (--destdir)
  # has no cache: the jar's path there is not the one it will run from
  if java_home=$("$libdir/java-home" --runtime) && "$libdir/jvm-launch" --make-startup-cache "$java_home" "$libdir/rootmirror.jar"; then
    say "made the start-up cache in $libdir"
  fi
fi
put "$src/rootmirror.service" "$unitdir/rootmirror.service" 0644
put "$src/sysusers.d/rootmirror.conf" "$sysusersdir/rootmirror.conf" 0644
# the configuration is the administrator's once installed: never overwritten
if [ -e "$destdir$confdir/rootmirror.conf" ]; then
  say "kept $confdir/rootmirror.conf; the default is $src/rootmirror.conf"
elif [ -f "$src/rootmirror.conf" ]; then
  put "$src/rootmirror.conf" "$confdir/rootmirror.conf" 0644
else
  say "no default configuration in $src yet: $confdir/rootmirror.conf not installed"
fi
if [ "$resolved" = yes ]; then put "$src/resolved/rootmirror.conf" "$resolveddir/rootmirror.conf" 0644; fi

if [ "$live" = yes ]; then
  if command -v systemd-sysusers >/dev/null; then
    systemd-sysusers "$sysusersdir/rootmirror.conf"
  else
    getent group rootmirror >/dev/null || groupadd --system rootmirror
    getent passwd rootmirror >/dev/null || useradd --system --gid rootmirror --home-dir "$statedir" --no-create-home --shell /usr/sbin/nologin rootmirror
  fi
  if systemd_running; then
    systemctl daemon-reload
    if [ "$enable" = yes ]; then
      # restart, not start: a reinstalled jar takes effect
      systemctl enable rootmirror.service && systemctl restart rootmirror.service
    else
      say "not enabled: systemctl enable --now rootmirror"
    fi
    if [ "$resolved" = yes ]; then systemctl try-restart systemd-resolved.service; fi
  else
    say "systemd is not running: enable with systemctl enable rootmirror once it is"
  fi
fi
