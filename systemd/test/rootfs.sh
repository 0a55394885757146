#!/usr/bin/env bash
# rootfs.sh: prints the path of a Debian root file system for the boot test, made with
# debootstrap on first use and cached under $ROOTMIRROR_CI_CACHE (default
# /var/cache/rootmirror-ci), keyed by the suite and package list so a change makes a new one.
set -euo pipefail
suite=${ROOTMIRROR_CI_SUITE:-bookworm}
mirror=${ROOTMIRROR_CI_MIRROR:-http://deb.debian.org/debian}
# systemd to boot; dbus for systemctl; dnsutils, iproute2, procps for the checks; no JDK: the
# host's is bind-mounted read-only
packages=systemd,systemd-sysv,dbus,dnsutils,iproute2,procps
cache=${ROOTMIRROR_CI_CACHE:-/var/cache/rootmirror-ci}
key=$(printf '%s %s %s' "$suite" "$mirror" "$packages" | sha256sum | cut -c1-12)
root=$cache/rootfs-$suite-$key
if [ ! -f "$root/.complete" ]; then
  mkdir -p "$cache"
  rm -rf "$root.tmp"
  echo "rootfs: debootstrap $suite into $root (cached for the next run)" >&2
  debootstrap --variant=minbase --include="$packages" "$suite" "$root.tmp" "$mirror" >&2
  # a fixed machine id and no getty: the container boots the same way each time, and quietly
  rm -f "$root.tmp/etc/machine-id" && echo 0123456789abcdef0123456789abcdef > "$root.tmp/etc/machine-id"
  touch "$root.tmp/.complete"
  rm -rf "$root" && mv "$root.tmp" "$root"
fi
echo "$root"
